import { BYTES_PER_PARAMETER } from '@modelfleet/plugin-modelfleet-common';

const GIB = 1024 ** 3;

const PREQUANTIZED =
  /(awq|gptq|fp8|int8|int4|w8a8|w4a16|gguf|exl2|bnb|4bit|8bit|quantized)/i;

/** Whether the extended resource is a MIG slice. */
export const isMig = (resource: string) => /^nvidia\.com\/mig-/.test(resource);

const ceilTo = (n: number, step: number) => Math.ceil(n / step) * step;

/** Sizes derived from the model, shared by the manifests and the tests. */
export function modelSizing(input: {
  source: string;
  parametersBillions: number;
  precision: keyof typeof BYTES_PER_PARAMETER;
  gpuCount: number;
}) {
  const prequantized = PREQUANTIZED.test(input.source);
  const bytes = BYTES_PER_PARAMETER[input.precision];
  // Weights not published pre-quantized are downloaded in 16 bit and
  // quantized when loaded.
  const downloadGiB =
    (input.parametersBillions *
      1e9 *
      (prequantized ? bytes : Math.max(bytes, 2))) /
    GIB;
  // Download at ~100 MiB/s, load, then CUDA-graph capture: a 70B bf16 model
  // gets ~45 minutes, anything at least 10, nothing more than 2 hours.
  const startupSeconds = Math.min(
    7200,
    Math.max(600, Math.round(300 + downloadGiB * 18)),
  );
  const shmGiB = Math.min(32, 4 * input.gpuCount);
  return {
    prequantized,
    downloadGiB,
    cacheGiB: ceilTo(downloadGiB * 1.15 + 5, 10),
    startupSeconds,
    shmGiB,
    memoryGiB:
      Math.min(256, Math.max(16, Math.ceil(downloadGiB * 0.5) + 8)) + shmGiB,
    cpu: Math.min(32, 2 + 2 * input.gpuCount),
  };
}
