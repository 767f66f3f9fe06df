import { parseWakes } from './engineSleep';

const workload = {
  cluster: 'gke-prod',
  kind: 'Deployment' as const,
  namespace: 'vision',
  name: 'qwen2-vl',
};

describe('the wakes a wake gate answers', () => {
  it('reads each wake of the pod, its start as ISO 8601 in UTC', () => {
    expect(
      parseWakes(workload, 'qwen2-vl-0', {
        wakes: [
          { startedAt: '2026-12-04T11:40:00.250Z', seconds: 4.5 },
          { startedAt: '2026-12-04T12:45:00+01:00', seconds: 0 },
        ],
      }),
    ).toEqual([
      {
        pod: 'qwen2-vl-0',
        startedAt: '2026-12-04T11:40:00.250Z',
        seconds: 4.5,
      },
      { pod: 'qwen2-vl-0', startedAt: '2026-12-04T11:45:00.000Z', seconds: 0 },
    ]);
    expect(parseWakes(workload, 'qwen2-vl-0', { wakes: [] })).toEqual([]);
  });

  it.each([
    [{}, 'wakes = undefined, not a list'],
    ['<html>404</html>', 'wakes = undefined, not a list'],
    [{ wakes: {} }, 'wakes = {}, not a list'],
    [{ wakes: [null] }, 'wakes[0].startedAt = undefined, not an ISO 8601 time'],
    [
      { wakes: [{ startedAt: 'yesterday', seconds: 1 }] },
      'wakes[0].startedAt = "yesterday", not an ISO 8601 time',
    ],
    [
      {
        wakes: [
          { startedAt: '2026-12-04T11:40:00Z', seconds: 1 },
          { startedAt: '2026-12-04T11:41:00Z', seconds: '5' },
        ],
      },
      'wakes[1].seconds = "5", not seconds between 0 and 86400',
    ],
    [
      { wakes: [{ startedAt: '2026-12-04T11:40:00Z', seconds: -1 }] },
      'wakes[0].seconds = -1, not seconds between 0 and 86400',
    ],
  ])('names the field of a bad answer %j', (answer, message) => {
    let error: any;
    try {
      parseWakes(workload, 'qwen2-vl-0', answer);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'invalid', retryable: false });
    expect(error.message).toBe(
      `the wake gate of pod vision/qwen2-vl-0 on cluster gke-prod answered /wake-gate/wakes with ${message}`,
    );
  });
});
