import { familyOf, gpuCountOf, gpuOf, selects } from './gpuInstances';

describe('gpuInstances', () => {
  it('splits families and matches selectors exactly', () => {
    expect(familyOf('p6-b200.48xlarge')).toBe('p6-b200');
    expect(selects('g6', 'g6.xlarge')).toBe(true);
    expect(selects('g6', 'g6e.xlarge')).toBe(false);
    expect(selects('g6', 'gr6.4xlarge')).toBe(false);
    expect(selects('p4d', 'p4de.24xlarge')).toBe(false);
    expect(selects('p5.48xlarge', 'p5.48xlarge')).toBe(true);
    expect(selects('p5.48xlarge', 'p5.4xlarge')).toBe(false);
  });

  it('knows GPU counts per size, including the shared g5/g6/g6e layout', () => {
    expect(gpuCountOf('g5.xlarge')).toBe(1);
    expect(gpuCountOf('g6.12xlarge')).toBe(4);
    expect(gpuCountOf('g6e.48xlarge')).toBe(8);
    expect(gpuCountOf('g4dn.metal')).toBe(8);
    expect(gpuCountOf('p4de.24xlarge')).toBe(8);
    expect(gpuCountOf('g6f.large')).toBe(0.125);
    expect(gpuCountOf('g5.metal')).toBeUndefined();
    expect(gpuCountOf('m5.large')).toBeUndefined();
  });

  it('names GPUs like the bundled catalog, with per-GPU memory', () => {
    expect(gpuOf('g6e.12xlarge')).toEqual({
      product: 'L40S',
      count: 4,
      memoryMiB: 45773,
    });
    expect(gpuOf('p5e.48xlarge')).toEqual({
      product: 'H200',
      count: 8,
      memoryMiB: 144384,
    });
    // A source's count wins, except for GPU slices.
    expect(gpuOf('p5.48xlarge', 8)?.count).toBe(8);
    expect(gpuOf('g6f.xlarge', 1)).toEqual({
      product: 'L4',
      count: 0.125,
      memoryMiB: 2861,
    });
    expect(gpuOf('m5.large', 1)).toBeUndefined();
    expect(gpuOf('g5.metal')).toBeUndefined();
  });
});
