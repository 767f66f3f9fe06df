import { describeRange, isInRange, MODEL_INPUT_RANGES } from './limits';

/**
 * Numeric precisions a model's weights can be served in.
 *
 * @public
 */
export type ModelPrecision = 'fp32' | 'fp16' | 'bf16' | 'fp8' | 'int8' | 'int4';

/**
 * Bytes per parameter for each precision.
 *
 * @public
 */
export const BYTES_PER_PARAMETER: Record<ModelPrecision, number> = {
  fp32: 4,
  fp16: 2,
  bf16: 2,
  fp8: 1,
  int8: 1,
  int4: 0.5,
};

/**
 * Input of {@link estimateModelGpuMemory}.
 *
 * @public
 */
export interface GpuMemoryEstimateInput {
  /** Parameter count, in billions (7 for a 7B model). */
  parametersBillions: number;
  precision: ModelPrecision;
  /**
   * Headroom for the KV cache and activations, as a fraction of the weights
   * (0.2 = 20 %). Defaults to 0.2.
   */
  kvCacheFraction?: number;
  /** Fixed per-GPU overhead of the CUDA context and runtime, in GiB. Defaults to 1. */
  runtimeOverheadGiB?: number;
}

/**
 * What a model needs in GPU memory, and how that figure was reached.
 *
 * @public
 */
export interface GpuMemoryEstimate {
  weightsGiB: number;
  kvCacheGiB: number;
  runtimeOverheadGiB: number;
  totalGiB: number;
}

const GIB = 1024 ** 3;

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/**
 * Estimates the GPU memory a model needs to serve: the weights
 * (parameters × bytes per parameter) plus KV-cache headroom plus a fixed
 * runtime overhead. Throws a `TypeError` that names the field and its range
 * for bad input (see `MODEL_INPUT_RANGES`).
 *
 * @public
 */
export function estimateModelGpuMemory(
  input: GpuMemoryEstimateInput,
): GpuMemoryEstimate {
  const {
    parametersBillions,
    precision,
    kvCacheFraction = 0.2,
    runtimeOverheadGiB = 1,
  } = input;
  const check = (field: keyof typeof MODEL_INPUT_RANGES, value: number) => {
    const range = MODEL_INPUT_RANGES[field];
    if (!isInRange(value, range)) {
      throw new TypeError(
        `${field} must be ${describeRange(range)}, got ${value}`,
      );
    }
  };
  check('parametersBillions', parametersBillions);
  if (!Object.prototype.hasOwnProperty.call(BYTES_PER_PARAMETER, precision)) {
    throw new TypeError(
      `precision must be one of ${Object.keys(BYTES_PER_PARAMETER).join(
        ', ',
      )}, got ${String(precision)}`,
    );
  }
  check('kvCacheFraction', kvCacheFraction);
  check('runtimeOverheadGiB', runtimeOverheadGiB);
  const weights =
    (parametersBillions * 1e9 * BYTES_PER_PARAMETER[precision]) / GIB;
  const kvCache = weights * kvCacheFraction;
  return {
    weightsGiB: round2(weights),
    kvCacheGiB: round2(kvCache),
    runtimeOverheadGiB: round2(runtimeOverheadGiB),
    totalGiB: round2(weights + kvCache + runtimeOverheadGiB),
  };
}
