/**
 * GPU names as the price catalog and the platform policies know them (`L4`,
 * `A10G`, `A100`, `A100-80GB`, `H100`, `T4`, …), from the names nodes carry:
 *
 * - NVIDIA GPU feature discovery (`nvidia.com/gpu.product`): the driver's
 *   name with spaces as dashes, e.g. `NVIDIA-L4`, `NVIDIA-A10G`,
 *   `NVIDIA-A100-SXM4-40GB`, `NVIDIA-A100-80GB-PCIe`,
 *   `NVIDIA-H100-80GB-HBM3`, `Tesla-T4`, `Tesla-V100-SXM2-16GB`;
 * - GKE (`cloud.google.com/gke-accelerator`): `nvidia-l4`,
 *   `nvidia-tesla-t4`, `nvidia-tesla-a100`, `nvidia-a100-80gb`,
 *   `nvidia-h100-80gb`, `nvidia-h100-mega-80gb`, `nvidia-h200-141gb`;
 * - Karpenter on AWS (`karpenter.k8s.aws/instance-gpu-name`): `l4`, `a10g`,
 *   `t4`, `a100`, `h100`.
 *
 * A name it does not know is returned as it is.
 */
export function catalogGpuName(product: string, memoryMiB?: number): string {
  const bare = product
    .trim()
    .replace(/-SHARED$/i, '')
    .replace(/^(nvidia|tesla)[-_ ]+/i, '')
    .replace(/^(tesla|geforce|quadro)[-_ ]+/i, '')
    .toUpperCase();
  const gib = memoryMiB ? memoryMiB / 1024 : undefined;
  /** Whether the name or the memory says the large edition (80 GB, 32 GB). */
  const large = (gb: number) =>
    new RegExp(`(^|-)${gb}GB($|-)`).test(bare) ||
    (gib !== undefined && gib > gb * 0.75);
  const a100 = /^(A100|A800)\b/.exec(bare);
  if (a100) return large(80) ? `${a100[1]}-80GB` : a100[1];
  if (/^H100\b/.test(bare)) {
    if (/MEGA/.test(bare)) return 'H100-MEGA';
    if (/NVL/.test(bare)) return 'H100-NVL';
    return 'H100';
  }
  if (/^H200\b/.test(bare)) return 'H200';
  if (/^GH200\b/.test(bare)) return 'GH200';
  if (/^B200\b/.test(bare)) return 'B200';
  const plain = /^(L40S|L40|L4|A10G|A10|A30|A40|T4|P100|P4|K80|M60)\b/.exec(
    bare,
  );
  if (plain) return plain[1];
  if (/^V100\b/.test(bare)) return large(32) ? 'V100-32GB' : 'V100';
  return product;
}
