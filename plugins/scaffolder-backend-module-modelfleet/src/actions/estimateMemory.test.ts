import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { InputError } from '@backstage/errors';
import { createEstimateMemoryAction } from './estimateMemory';

describe('modelfleet:model:estimate-memory', () => {
  const action = createEstimateMemoryAction();

  async function run(input: any) {
    const ctx = createMockActionContext({ input });
    await action.handler(ctx as any);
    return Object.fromEntries((ctx.output as jest.Mock).mock.calls);
  }

  it('estimates a 7B fp16 model on one GPU', async () => {
    expect(await run({ parametersBillions: 7, precision: 'fp16' })).toEqual({
      weightsGiB: 13.04,
      kvCacheGiB: 2.61,
      runtimeOverheadGiB: 1,
      totalGiB: 16.65,
      perGpuGiB: 16.65,
      summary:
        'A 7B model in fp16 needs 16.65 GiB: 13.04 GiB weights + 2.61 GiB KV cache + 1 GiB runtime per GPU',
    });
  });

  it('splits a 70B bf16 model over 4 GPUs, paying the overhead on each', async () => {
    const out = await run({
      parametersBillions: 70,
      precision: 'bf16',
      gpuCount: 4,
    });
    // 70e9 × 2 B = 130.39 GiB weights; 26.08 GiB KV cache; 4 × 1 GiB runtime
    expect(out.weightsGiB).toBe(130.39);
    expect(out.kvCacheGiB).toBe(26.08);
    expect(out.totalGiB).toBe(160.47);
    expect(out.perGpuGiB).toBe(40.12);
    expect(out.summary).toMatch(/40\.12 GiB on each of 4 GPUs$/);
  });

  it.each([
    [
      { parametersBillions: 7, precision: 'fp12' },
      /^precision: must be one of fp32, fp16, bf16, fp8, int8, int4$/,
    ],
    [
      { parametersBillions: -1, precision: 'fp16' },
      /^parametersBillions: must be a number from 0\.001 to 10000$/,
    ],
    [
      { parametersBillions: 7, precision: 'fp16', gpuCount: 1.5 },
      /^gpuCount: must be a whole number from 1 to 64$/,
    ],
  ])(
    'rejects %j with an InputError naming the field',
    async (input, message) => {
      const error = await run(input).catch(e => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(message);
    },
  );
});
