/**
 * What AWS GPU instance families carry. Neither the Price List API nor spot
 * price history names the GPU, so the product comes from the family, with the
 * short names and per-GPU memory (GiB) of ModelFleet's bundled price catalog
 * (`L4`, `A10G`, `H100`, ...), so that live and bundled quotes match.
 */
const FAMILIES: Record<string, { product: string; memoryGiB: number }> = {
  g4dn: { product: 'T4', memoryGiB: 16 },
  g5: { product: 'A10G', memoryGiB: 22.35 },
  g5g: { product: 'T4g', memoryGiB: 16 },
  g6: { product: 'L4', memoryGiB: 22.35 },
  g6e: { product: 'L40S', memoryGiB: 44.7 },
  g6f: { product: 'L4', memoryGiB: 22.35 },
  gr6: { product: 'L4', memoryGiB: 22.35 },
  gr6f: { product: 'L4', memoryGiB: 22.35 },
  g7e: { product: 'RTXPRO6000', memoryGiB: 96 },
  p3: { product: 'V100', memoryGiB: 16 },
  p3dn: { product: 'V100-32GB', memoryGiB: 32 },
  p4d: { product: 'A100', memoryGiB: 40 },
  p4de: { product: 'A100-80GB', memoryGiB: 80 },
  p5: { product: 'H100', memoryGiB: 80 },
  p5e: { product: 'H200', memoryGiB: 141 },
  p5en: { product: 'H200', memoryGiB: 141 },
  'p6-b200': { product: 'B200', memoryGiB: 179.06 },
  'p6-b300': { product: 'B300', memoryGiB: 268.59 },
};

/**
 * GPUs per instance where the size does not say it; fractional values are
 * slices of one GPU (g6f, gr6f). Sizes not listed in a known family have one
 * GPU only if the family's listed sizes say so (see {@link gpuCountOf}).
 */
const COUNTS: Record<string, number> = {
  'g4dn.xlarge': 1,
  'g4dn.2xlarge': 1,
  'g4dn.4xlarge': 1,
  'g4dn.8xlarge': 1,
  'g4dn.16xlarge': 1,
  'g4dn.12xlarge': 4,
  'g4dn.metal': 8,
  'g5g.xlarge': 1,
  'g5g.2xlarge': 1,
  'g5g.4xlarge': 1,
  'g5g.8xlarge': 1,
  'g5g.16xlarge': 2,
  'g5g.metal': 2,
  'g6f.large': 0.125,
  'g6f.xlarge': 0.125,
  'g6f.2xlarge': 0.25,
  'g6f.4xlarge': 0.5,
  'gr6.4xlarge': 1,
  'gr6.8xlarge': 1,
  'gr6f.4xlarge': 0.5,
  'g7e.2xlarge': 1,
  'g7e.4xlarge': 1,
  'g7e.8xlarge': 1,
  'g7e.12xlarge': 2,
  'g7e.24xlarge': 4,
  'g7e.48xlarge': 8,
  'p3.2xlarge': 1,
  'p3.8xlarge': 4,
  'p3.16xlarge': 8,
  'p3dn.24xlarge': 8,
  'p4d.24xlarge': 8,
  'p4de.24xlarge': 8,
  'p5.4xlarge': 1,
  'p5.48xlarge': 8,
  'p5e.48xlarge': 8,
  'p5en.48xlarge': 8,
  'p6-b200.48xlarge': 8,
  'p6-b300.48xlarge': 8,
};

/** g5, g6 and g6e share one layout: 1 GPU up to 16xlarge, 4 at 12x/24x, 8 at 48x. */
const G5_LAYOUT: Record<string, number> = {
  xlarge: 1,
  '2xlarge': 1,
  '4xlarge': 1,
  '8xlarge': 1,
  '16xlarge': 1,
  '12xlarge': 4,
  '24xlarge': 4,
  '48xlarge': 8,
};
const G5_LAYOUT_FAMILIES = new Set(['g5', 'g6', 'g6e']);

/** Family of an instance type: the part before the dot (`g5` of `g5.xlarge`). */
export function familyOf(instanceType: string): string {
  const dot = instanceType.indexOf('.');
  return dot < 0 ? instanceType : instanceType.slice(0, dot);
}

/** Whether `selector` (an instance type or a family) selects `instanceType`. */
export function selects(selector: string, instanceType: string): boolean {
  return selector.includes('.')
    ? selector === instanceType
    : familyOf(instanceType) === selector;
}

/** GPUs of an instance type, when known (may be fractional). */
export function gpuCountOf(instanceType: string): number | undefined {
  if (COUNTS[instanceType] !== undefined) return COUNTS[instanceType];
  const family = familyOf(instanceType);
  if (G5_LAYOUT_FAMILIES.has(family)) {
    return G5_LAYOUT[instanceType.slice(family.length + 1)];
  }
  return undefined;
}

/** The catalog's GPU product and per-GPU memory of an instance's family. */
export function gpuProductOf(
  instanceType: string,
): { product: string; memoryGiB: number } | undefined {
  return FAMILIES[familyOf(instanceType)];
}

/**
 * The `gpu` of a quote: product and memory from the family, count from the
 * source when it gives one, else from the known sizes. A fraction of a GPU
 * has that fraction of its memory. Undefined for unknown families or counts.
 */
export function gpuOf(
  instanceType: string,
  sourceCount?: number,
): { product: string; count: number; memoryMiB: number } | undefined {
  const product = gpuProductOf(instanceType);
  const known = gpuCountOf(instanceType);
  // A slice of a GPU is listed as 1 GPU by some sources; the size table wins.
  const count = known !== undefined && known < 1 ? known : sourceCount ?? known;
  if (!product || count === undefined || !(count > 0)) return undefined;
  return {
    product: product.product,
    count,
    memoryMiB: Math.round(product.memoryGiB * 1024 * Math.min(count, 1)),
  };
}
