import { gpuTflops, relativeSpeed } from './gpuSpeed';

describe('gpuTflops', () => {
  it.each([
    ['NVIDIA-A100-SXM4-40GB', 312],
    ['A100-80GB', 312],
    ['NVIDIA-A100-80GB-PCIe', 312],
    ['L4', 121],
    ['NVIDIA-L4', 121],
    ['L40S', 362],
    ['NVIDIA-L40', 181],
    ['A10G', 125],
    ['NVIDIA-A10', 125],
    ['Tesla-T4', 65],
    ['NVIDIA-H100-80GB-HBM3', 989],
    ['V100', 125],
  ])('%s: %d', (name, tflops) => {
    expect(gpuTflops(name)).toBe(tflops);
  });

  it('knows no speed of a GPU it does not list, and so no relative speed', () => {
    expect(gpuTflops('MI300X')).toBeUndefined();
    expect(relativeSpeed('A100', 'MI300X')).toBeUndefined();
    expect(relativeSpeed('A100', 'T4')).toBeCloseTo(65 / 312, 6);
  });
});
