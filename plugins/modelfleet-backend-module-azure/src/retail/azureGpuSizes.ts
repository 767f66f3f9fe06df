/**
 * The GPUs of an Azure VM size: product name, count and memory per GPU.
 *
 * @public
 */
export interface AzureGpuSize {
  /** GPU product, named as in the bundled price catalog (`A100-80GB`, `H100`, `T4`). */
  product: string;
  /** GPUs per VM; a fraction for sizes that get a share of one GPU (NVadsA10 v5, NVv4). */
  count: number;
  /** GPU memory per GPU (or per share, for fractional sizes), GiB. */
  memoryGiB: number;
}

type Row = [size: string, product: string, count: number, memoryGiB: number];

/**
 * GPU sizes of the Azure N-series, from the sizes pages of the Azure
 * documentation (learn.microsoft.com/azure/virtual-machines/sizes/gpu-accelerated).
 * Product names and GPU counts match the Azure rows of the bundled catalog
 * (`modelfleet-backend/data/prices/gpu_prices.csv`), with its one known error
 * corrected: `Standard_ND96isr_H100_v5` has 8 GPUs, not 12. The NC H100 v5
 * sizes carry H100 NVL GPUs with 94 GB each (the catalog says 80).
 */
const ROWS: Row[] = [
  // NC (K80, retired)
  ['Standard_NC6', 'K80', 1, 12],
  ['Standard_NC12', 'K80', 2, 12],
  ['Standard_NC24', 'K80', 4, 12],
  ['Standard_NC24r', 'K80', 4, 12],
  // NCv2 (P100, retired)
  ['Standard_NC6s_v2', 'P100', 1, 16],
  ['Standard_NC12s_v2', 'P100', 2, 16],
  ['Standard_NC24s_v2', 'P100', 4, 16],
  ['Standard_NC24rs_v2', 'P100', 4, 16],
  // NCv3 (V100 16 GB)
  ['Standard_NC6s_v3', 'V100', 1, 16],
  ['Standard_NC12s_v3', 'V100', 2, 16],
  ['Standard_NC24s_v3', 'V100', 4, 16],
  ['Standard_NC24rs_v3', 'V100', 4, 16],
  // NCasT4_v3
  ['Standard_NC4as_T4_v3', 'T4', 1, 16],
  ['Standard_NC8as_T4_v3', 'T4', 1, 16],
  ['Standard_NC16as_T4_v3', 'T4', 1, 16],
  ['Standard_NC64as_T4_v3', 'T4', 4, 16],
  // NC A100 v4 (A100 PCIe 80 GB)
  ['Standard_NC24ads_A100_v4', 'A100-80GB', 1, 80],
  ['Standard_NC48ads_A100_v4', 'A100-80GB', 2, 80],
  ['Standard_NC96ads_A100_v4', 'A100-80GB', 4, 80],
  // NCads H100 v5 and NCCads H100 v5 (H100 NVL 94 GB)
  ['Standard_NC40ads_H100_v5', 'H100', 1, 94],
  ['Standard_NC80adis_H100_v5', 'H100', 2, 94],
  ['Standard_NCC40ads_H100_v5', 'H100', 1, 94],
  // ND (P40, retired)
  ['Standard_ND6s', 'P40', 1, 24],
  ['Standard_ND12s', 'P40', 2, 24],
  ['Standard_ND24s', 'P40', 4, 24],
  ['Standard_ND24rs', 'P40', 4, 24],
  // NDv2, ND A100 v4, NDm A100 v4, ND H100 v5, ND H200 v5, ND MI300X v5
  ['Standard_ND40rs_v2', 'V100-32GB', 8, 32],
  ['Standard_ND96asr_v4', 'A100', 8, 40],
  ['Standard_ND96amsr_A100_v4', 'A100-80GB', 8, 80],
  ['Standard_ND96isr_H100_v5', 'H100', 8, 80],
  ['Standard_ND96isr_H200_v5', 'H200', 8, 141],
  ['Standard_ND96isr_MI300X_v5', 'MI300X', 8, 192],
  // NV (M60, retired) and NVv3 (M60)
  ['Standard_NV6', 'M60', 1, 8],
  ['Standard_NV12', 'M60', 2, 8],
  ['Standard_NV24', 'M60', 4, 8],
  ['Standard_NV12s_v3', 'M60', 1, 8],
  ['Standard_NV24s_v3', 'M60', 2, 8],
  ['Standard_NV48s_v3', 'M60', 4, 8],
  // NVv4 (a share of an AMD MI25)
  ['Standard_NV4as_v4', 'MI25', 1 / 8, 2],
  ['Standard_NV8as_v4', 'MI25', 1 / 4, 4],
  ['Standard_NV16as_v4', 'MI25', 1 / 2, 8],
  ['Standard_NV32as_v4', 'MI25', 1, 16],
  // NVadsA10 v5 (a share of an A10 below NV36)
  ['Standard_NV6ads_A10_v5', 'A10', 1 / 6, 4],
  ['Standard_NV12ads_A10_v5', 'A10', 1 / 3, 8],
  ['Standard_NV18ads_A10_v5', 'A10', 1 / 2, 12],
  ['Standard_NV36ads_A10_v5', 'A10', 1, 24],
  ['Standard_NV36adms_A10_v5', 'A10', 1, 24],
  ['Standard_NV72ads_A10_v5', 'A10', 2, 24],
];

const SIZES = new Map<string, AzureGpuSize>(
  ROWS.map(([size, product, count, memoryGiB]) => [
    size.toLowerCase(),
    { product, count, memoryGiB },
  ]),
);

/**
 * The GPUs of an Azure VM size (`armSkuName`), or undefined when the size is
 * not in the table. `_Promo` sizes have the GPUs of their base size. Azure
 * size names are compared without regard to case.
 *
 * @public
 */
export function azureGpuSize(armSkuName: string): AzureGpuSize | undefined {
  const name = armSkuName.toLowerCase().replace(/_promo$/, '');
  const size = SIZES.get(name);
  return size && { ...size };
}

/** Every size in the table, for tests and documentation. */
export function azureGpuSizeNames(): string[] {
  return ROWS.map(r => r[0]);
}
