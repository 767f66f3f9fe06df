import { catalogGpuName } from './gpuNames';

describe('catalogGpuName', () => {
  it.each([
    // NVIDIA GPU feature discovery (nvidia.com/gpu.product)
    ['NVIDIA-L4', undefined, 'L4'],
    ['NVIDIA-L4-SHARED', undefined, 'L4'],
    ['NVIDIA-A10G', undefined, 'A10G'],
    ['NVIDIA-A10', undefined, 'A10'],
    ['NVIDIA-L40S', undefined, 'L40S'],
    ['Tesla-T4', undefined, 'T4'],
    ['NVIDIA-A100-SXM4-40GB', 40960, 'A100'],
    ['NVIDIA-A100-SXM4-80GB', 81920, 'A100-80GB'],
    ['NVIDIA-A100-80GB-PCIe', undefined, 'A100-80GB'],
    ['NVIDIA-H100-80GB-HBM3', 81559, 'H100'],
    ['NVIDIA-H100-NVL', undefined, 'H100-NVL'],
    ['Tesla-V100-SXM2-16GB', undefined, 'V100'],
    ['Tesla-V100-SXM2-32GB', undefined, 'V100-32GB'],
    // GKE (cloud.google.com/gke-accelerator)
    ['nvidia-l4', undefined, 'L4'],
    ['nvidia-tesla-t4', undefined, 'T4'],
    ['nvidia-tesla-a100', undefined, 'A100'],
    ['nvidia-a100-80gb', undefined, 'A100-80GB'],
    ['nvidia-h100-80gb', undefined, 'H100'],
    ['nvidia-h100-mega-80gb', undefined, 'H100-MEGA'],
    ['nvidia-h200-141gb', undefined, 'H200'],
    // Karpenter (karpenter.k8s.aws/instance-gpu-name)
    ['l4', undefined, 'L4'],
    ['a10g', undefined, 'A10G'],
    // the catalog's own names stay
    ['L4', undefined, 'L4'],
    ['A100-80GB', undefined, 'A100-80GB'],
    // unknown names are kept as they are
    ['unknown', undefined, 'unknown'],
    ['NVIDIA-P40', undefined, 'NVIDIA-P40'],
  ])('%s (%p MiB) is %s', (product, memoryMiB, expected) => {
    expect(catalogGpuName(product, memoryMiB)).toBe(expected);
  });
});
