/*
 * Trace GPU names → the price catalog's GPU names.
 *
 * A cluster trace names GPUs as its cluster did: "V100M32" (Alibaba),
 * "A100-SXM4-80GB", "NVIDIA H800", "Tesla T4". `canonicalGpu` reduces a name
 * to the GPU model and its memory: vendor and family words ("NVIDIA",
 * "Tesla", "AMD", "Instinct") and form factors ("SXM4", "PCIe", "HGX") are
 * dropped, and the memory is kept only when it is not the model's usual one
 * (`USUAL_MEMORY_GB`), so "A100-SXM4-40GB" is "A100" and "A100 80GB PCIe" is
 * "A100-80GB".
 *
 * `TRACE_GPUS` then gives, per canonical name, the catalog GPUs that are the
 * same chip with the same memory, under the names the clouds list them by
 * (the A10G is AWS's A10; "H100-MEGA" is GCP's a3-megagpu H100 80 GB). A GPU
 * maps only to itself, never to a successor or a larger GPU: a GPU that has
 * no priced pool in the catalog in use (P100, A30, H800, H20, A800 in the
 * bundled one) is named in the benchmark's output, its capacity is not dealt
 * to other GPUs, and pods that may run only on such GPUs are left out of the
 * workload. A name the table lacks maps to the catalog GPU of the same name,
 * when there is one; undisclosed codes (the Alibaba trace's G1–G3) map to
 * nothing.
 */

/** Catalog GPUs per canonical trace GPU name (see the file's comment). */
export const TRACE_GPUS: Readonly<Record<string, readonly string[]>> = {
  // NVIDIA Kepler, Maxwell, Pascal
  K80: ['K80'],
  M60: ['M60'],
  P4: ['P4'],
  P40: ['P40'],
  P100: ['P100'],
  // Volta: the V100 with 16 GB, and with 32 GB
  V100: ['V100'],
  'V100-32GB': ['V100-32GB'],
  // Turing, Ampere
  T4: ['T4'],
  A10: ['A10', 'A10G'],
  A10G: ['A10G', 'A10'],
  A30: ['A30'],
  A40: ['A40'],
  A100: ['A100'],
  'A100-80GB': ['A100-80GB', 'A100-80GB-SXM'],
  A800: ['A800'],
  'A800-40GB': ['A800-40GB'],
  // Ada Lovelace
  L4: ['L4'],
  L40: ['L40'],
  L40S: ['L40S'],
  // Hopper
  H100: ['H100', 'H100-SXM', 'H100-MEGA', 'H100-NVLINK'],
  'H100-NVL': ['H100-NVL'],
  H200: ['H200', 'H200-SXM'],
  H800: ['H800'],
  H20: ['H20'],
  // Blackwell
  B200: ['B200'],
  // AMD
  MI250X: ['MI250X'],
  MI300X: ['MI300X'],
};

/** The memory (GB) a GPU model has when its name does not say. */
const USUAL_MEMORY_GB: Readonly<Record<string, number>> = {
  K80: 12,
  M60: 8,
  P4: 8,
  P40: 24,
  P100: 16,
  V100: 16,
  T4: 16,
  A10: 24,
  A10G: 24,
  A30: 24,
  A40: 48,
  A100: 40,
  A800: 80,
  L4: 24,
  L40: 48,
  L40S: 48,
  H100: 80,
  'H100-NVL': 94,
  H200: 141,
  H800: 80,
  H20: 96,
  B200: 180,
  MI250X: 128,
  MI300X: 192,
};

/** Words of a GPU name that say nothing about the chip or its memory. */
const NOISE = new Set([
  'NVIDIA',
  'TESLA',
  'AMD',
  'INSTINCT',
  'GEFORCE',
  'RADEON',
  'GPU',
  'SXM',
  'SXM2',
  'SXM3',
  'SXM4',
  'SXM5',
  'PCIE',
  'HGX',
  'OAM',
  'HBM2',
  'HBM2E',
  'HBM3',
  'HBM3E',
]);

/**
 * The canonical name of a trace's GPU name: model, then `-<n>GB` when the
 * memory is not the model's usual one ("V100M32" → "V100-32GB",
 * "NVIDIA A100-SXM4-40GB" → "A100", "H100 NVL" → "H100-NVL").
 */
export function canonicalGpu(name: string): string {
  let memoryGb: number | undefined;
  const words: string[] = [];
  for (const word of name
    .toUpperCase()
    .split(/[\s_\-/]+/)
    .filter(Boolean)) {
    const memory = /^(\d+)(?:G|GB|GIB)$/.exec(word);
    // Alibaba's suffix: V100M16, V100M32.
    const alibaba = /^([A-Z]+\d+[A-Z]?)M(\d+)$/.exec(word);
    if (memory) memoryGb = Number(memory[1]);
    else if (alibaba) {
      words.push(alibaba[1]);
      memoryGb = Number(alibaba[2]);
    } else if (!NOISE.has(word)) {
      // "RTX 4090" → "RTX4090": a bare number belongs to the word before it.
      if (/^\d+$/.test(word) && words.length) words[words.length - 1] += word;
      else words.push(word);
    }
  }
  const model = words.join('-');
  return memoryGb === undefined || USUAL_MEMORY_GB[model] === memoryGb
    ? model
    : `${model}-${memoryGb}GB`;
}

/** Where one trace GPU name goes in a catalog. */
export interface GpuMapping {
  /** The trace's name. */
  name: string;
  canonical: string;
  /** Catalog GPUs of the same chip and memory that the catalog has pools of. */
  gpus: string[];
  /**
   * Why there are none: the catalog lacks the GPUs of the table, or the name
   * is neither in the table nor a catalog GPU.
   */
  missing?: 'not in the catalog' | 'unknown GPU';
}

/**
 * Maps a trace GPU name to the GPUs of a catalog (`catalog`: the GPU names
 * it has pools of), by the table or, for a name the table lacks, by the
 * same name.
 */
export function mapGpu(name: string, catalog: ReadonlySet<string>): GpuMapping {
  const canonical = canonicalGpu(name);
  const listed = TRACE_GPUS[canonical];
  if (!listed) {
    return catalog.has(canonical)
      ? { name, canonical, gpus: [canonical] }
      : { name, canonical, gpus: [], missing: 'unknown GPU' };
  }
  const gpus = listed.filter(g => catalog.has(g));
  return gpus.length
    ? { name, canonical, gpus }
    : { name, canonical, gpus, missing: 'not in the catalog' };
}
