import { InputError } from '@backstage/errors';
import { MODEL_INPUT_RANGES } from '@modelfleet/plugin-modelfleet-common';
import { z } from 'zod';
import { numberIn, parseInput } from './validation';

describe('numberIn', () => {
  const replicas = numberIn(MODEL_INPUT_RANGES.minReplicas, 'Replicas');
  const memory = numberIn(MODEL_INPUT_RANGES.gpuMemoryGiB, 'GPU memory');

  it.each([0, 1, 64])('accepts %p replicas', n => {
    expect(replicas.parse(n)).toBe(n);
  });

  it.each([
    -1,
    65,
    1.5,
    NaN,
    Infinity,
    -Infinity,
    JSON.parse('1e999'),
    1e308,
    '3',
    null,
  ])('refuses %p replicas, saying the range once', n => {
    expect(() => parseInput(z.object({ n: replicas }), { n })).toThrow(
      new InputError('n: must be a whole number from 0 to 64'),
    );
  });

  it('excludes the minimum when the range says so', () => {
    expect(() => parseInput(z.object({ m: memory }), { m: 0 })).toThrow(
      'm: must be a number greater than 0 and at most 16384',
    );
    expect(memory.parse(0.5)).toBe(0.5);
  });
});
