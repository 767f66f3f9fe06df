/*
 * Relative throughput of GPU types, for rightsizing's `relativeSpeed`: a
 * GPU's dense FP16 tensor throughput (TFLOPS, without sparsity) from
 * NVIDIA's data sheets. Inference of the models ModelFleet serves is
 * bound by this or by memory bandwidth; the peak figure is the one every
 * data sheet states, so it is the one used, and the ratio of two of them
 * is the speed of one GPU against another. A GPU not in the table has no
 * speed: rightsizing then takes it as fast as the current one, and the
 * evidence says so.
 */

/** GPU name patterns, most specific first, and their dense FP16 tensor TFLOPS. */
const TABLE: Array<[RegExp, number]> = [
  [/H200/, 989], // H200 SXM
  [/H100/, 989], // H100 SXM (PCIe: 756)
  [/A100/, 312], // A100 40/80 GB, SXM and PCIe
  [/L40S/, 362],
  [/L40/, 181],
  [/\bL4\b/, 121],
  [/\bA10G?\b/, 125], // A10 (AWS's A10G taken as an A10)
  [/V100/, 125],
  [/T4/, 65],
  [/P100/, 19], // no tensor cores: FP16 throughput
];

/** Dense FP16 tensor TFLOPS of a GPU product name, or undefined when unknown. */
export function gpuTflops(product: string): number | undefined {
  const name = product.toLocaleUpperCase('en-US');
  return TABLE.find(([pattern]) => pattern.test(name))?.[1];
}

/** How fast one `candidate` GPU is against one `current` GPU; undefined when either is unknown. */
export function relativeSpeed(
  current: string,
  candidate: string,
): number | undefined {
  const a = gpuTflops(current);
  const b = gpuTflops(candidate);
  return a && b ? b / a : undefined;
}
