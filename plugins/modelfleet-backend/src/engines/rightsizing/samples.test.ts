import { samplesFromSeries } from './samples';

describe('samplesFromSeries', () => {
  it('takes the largest replica’s memory, the mean utilization and the summed rate, at instants all three have', () => {
    const s = samplesFromSeries({
      gpuMemoryUsedMiB: [
        {
          labels: { pod: 'a' },
          points: [
            [0, 100],
            [60, 120],
            [120, 90],
          ],
        },
        {
          labels: { pod: 'b' },
          points: [
            [0, 300],
            [60, 80],
          ],
        },
      ],
      gpuUtilization: [
        {
          labels: { pod: 'a' },
          points: [
            [0, 10],
            [60, 20],
            [120, 30],
          ],
        },
        {
          labels: { pod: 'b' },
          points: [
            [0, 30],
            [60, 40],
          ],
        },
      ],
      requestsPerSecond: [
        {
          labels: { pod: 'a' },
          points: [
            [0, 1],
            [60, 2],
          ],
        },
        {
          labels: { pod: 'b' },
          points: [
            [0, 3],
            [60, NaN],
          ],
        },
      ],
    });
    expect(s).toEqual([
      { t: 0, gpuMemoryUsedMiB: 300, gpuUtilization: 20, requestsPerSecond: 4 },
      {
        t: 60,
        gpuMemoryUsedMiB: 120,
        gpuUtilization: 30,
        requestsPerSecond: 2,
      },
    ]);
  });
});
