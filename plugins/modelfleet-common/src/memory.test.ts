import { estimateModelGpuMemory } from './memory';

describe('estimateModelGpuMemory', () => {
  it('sizes a 7B model in fp16 as weights + 20 % KV cache + 1 GiB runtime', () => {
    const e = estimateModelGpuMemory({
      parametersBillions: 7,
      precision: 'fp16',
    });
    // 7e9 × 2 bytes = 14e9 bytes = 13.04 GiB
    expect(e.weightsGiB).toBe(13.04);
    expect(e.kvCacheGiB).toBe(2.61);
    expect(e.runtimeOverheadGiB).toBe(1);
    expect(e.totalGiB).toBe(16.65);
  });

  it('halves the weights for each halving of precision', () => {
    const fp16 = estimateModelGpuMemory({
      parametersBillions: 70,
      precision: 'bf16',
    });
    const fp8 = estimateModelGpuMemory({
      parametersBillions: 70,
      precision: 'fp8',
    });
    const int4 = estimateModelGpuMemory({
      parametersBillions: 70,
      precision: 'int4',
    });
    expect(fp8.weightsGiB).toBeCloseTo(fp16.weightsGiB / 2, 1);
    expect(int4.weightsGiB).toBeCloseTo(fp16.weightsGiB / 4, 1);
  });

  it('honours an explicit KV-cache fraction and overhead', () => {
    const e = estimateModelGpuMemory({
      parametersBillions: 8,
      precision: 'fp32',
      kvCacheFraction: 0,
      runtimeOverheadGiB: 0,
    });
    expect(e.totalGiB).toBe(e.weightsGiB);
  });

  it.each([
    [{ parametersBillions: 0, precision: 'fp16' }, /parametersBillions/],
    [{ parametersBillions: NaN, precision: 'fp16' }, /parametersBillions/],
    [{ parametersBillions: 7, precision: 'fp12' }, /precision must be one of/],
    [
      { parametersBillions: 7, precision: 'fp16', kvCacheFraction: -1 },
      /kvCacheFraction/,
    ],
    [
      { parametersBillions: 7, precision: 'fp16', runtimeOverheadGiB: -2 },
      /runtimeOverheadGiB/,
    ],
  ])('rejects %j naming the field', (input, message) => {
    expect(() => estimateModelGpuMemory(input as any)).toThrow(message);
  });
});

describe('estimateModelGpuMemory bounds', () => {
  it.each([
    [
      { parametersBillions: 1e300, precision: 'fp16' },
      /^parametersBillions must be a number from 0\.001 to 10000, got 1e\+300$/,
    ],
    [
      { parametersBillions: 7, precision: 'fp16', kvCacheFraction: 1e308 },
      /^kvCacheFraction must be a number from 0 to 10, got 1e\+308$/,
    ],
    [
      { parametersBillions: 7, precision: 'fp16', runtimeOverheadGiB: 1e308 },
      /^runtimeOverheadGiB must be a number from 0 to 1024, got 1e\+308$/,
    ],
  ])('refuses %j instead of answering Infinity GiB', (input, message) => {
    expect(() => estimateModelGpuMemory(input as any)).toThrow(message);
  });
});
