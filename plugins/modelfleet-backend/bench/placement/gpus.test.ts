import { canonicalGpu, mapGpu, TRACE_GPUS } from './gpus';

describe('trace GPU names', () => {
  it('reduces names to the model and an unusual memory', () => {
    expect(canonicalGpu('V100M32')).toBe('V100-32GB');
    expect(canonicalGpu('V100M16')).toBe('V100');
    expect(canonicalGpu('NVIDIA A100-SXM4-40GB')).toBe('A100');
    expect(canonicalGpu('A100 80GB PCIe')).toBe('A100-80GB');
    expect(canonicalGpu('Tesla T4')).toBe('T4');
    expect(canonicalGpu('NVIDIA H800')).toBe('H800');
    expect(canonicalGpu('H100 NVL')).toBe('H100-NVL');
    expect(canonicalGpu('NVIDIA H100 80GB HBM3')).toBe('H100');
    expect(canonicalGpu('AMD Instinct MI300X OAM')).toBe('MI300X');
    expect(canonicalGpu('GeForce RTX 4090')).toBe('RTX4090');
  });

  it('covers the common data-centre GPUs', () => {
    for (const gpu of [
      'V100',
      'T4',
      'P100',
      'A10',
      'A10G',
      'A100',
      'A100-80GB',
      'A30',
      'A40',
      'L4',
      'L40',
      'L40S',
      'H100',
      'H200',
      'H800',
      'H20',
      'A800',
      'MI300X',
    ]) {
      expect(TRACE_GPUS[gpu]).toContain(gpu);
    }
  });

  it('maps to the catalog GPUs of the same chip, never to another GPU', () => {
    const catalog = new Set([
      'A10',
      'A10G',
      'A100',
      'A100-80GB',
      'V100',
      'H100-MEGA',
    ]);
    expect(mapGpu('A10', catalog).gpus).toEqual(['A10', 'A10G']);
    expect(mapGpu('A100-SXM4-80GB', catalog).gpus).toEqual(['A100-80GB']);
    expect(mapGpu('H100', catalog).gpus).toEqual(['H100-MEGA']);
    expect(mapGpu('V100M32', catalog)).toEqual({
      name: 'V100M32',
      canonical: 'V100-32GB',
      gpus: [],
      missing: 'not in the catalog',
    });
    expect(mapGpu('H800', catalog).missing).toBe('not in the catalog');
    expect(mapGpu('G2', catalog).missing).toBe('unknown GPU');
    // A name the table lacks: the catalog GPU of that name.
    expect(mapGpu('RTX4090', new Set(['RTX4090'])).gpus).toEqual(['RTX4090']);
  });
});
