/**
 * The range of a numeric input: finite, from `min` to `max` (both
 * included, or `min` excluded when `exclusiveMin`), and whole when
 * `integer`.
 *
 * @public
 */
export interface NumericRange {
  min: number;
  max: number;
  exclusiveMin?: boolean;
  integer?: boolean;
}

/**
 * The most replicas a model scales to, the template, the scaffolder actions
 * and the backend agree on (the backend's manual scale cap is the same).
 *
 * @public
 */
export const MAX_MODEL_REPLICAS = 64;

/**
 * The ranges of the numbers a user types for a model (template parameters,
 * scaffolder action inputs, `POST /placement`). A value outside its range,
 * or not finite (`1e999` is `Infinity` once JSON-parsed), is refused by
 * name rather than silently becoming `null` or an absurd manifest.
 *
 * @public
 */
export const MODEL_INPUT_RANGES = {
  /** `replicas.min`. */
  minReplicas: { min: 0, max: MAX_MODEL_REPLICAS, integer: true },
  /** `replicas.max`. */
  maxReplicas: { min: 1, max: MAX_MODEL_REPLICAS, integer: true },
  /** Parameter count, in billions. */
  parametersBillions: { min: 0.001, max: 10_000 },
  /** GPUs (or GPU slices on shared pools) per replica. */
  gpusPerReplica: { min: 1, max: 64, integer: true },
  /** GPU memory one replica needs, GiB (192 GiB × 64 GPUs fits). */
  gpuMemoryGiB: { min: 0, exclusiveMin: true, max: 16_384 },
  /** GPU memory one replica needs, MiB. */
  memoryMiB: { min: 0, exclusiveMin: true, max: 16_384 * 1024 },
  /**
   * A model's monthly budget, USD. No GPU pool costs less than 1 USD a
   * month: a budget below is a typo (0.5 for 500), refused as out of range
   * rather than answered with "cannot be placed".
   */
  monthlyBudgetUsd: { min: 1, max: 10_000_000 },
  /** KV-cache headroom as a fraction of the weights. */
  kvCacheFraction: { min: 0, max: 10 },
  /** CUDA context and runtime overhead per GPU, GiB. */
  runtimeOverheadGiB: { min: 0, max: 1024 },
  /** Idle minutes before a model scales to zero (at most a week). */
  idleMinutes: { min: 1, max: 10_080 },
  /** Placement priority; higher is placed first when capacity binds. */
  priority: { min: -1000, max: 1000, integer: true },
} satisfies Record<string, NumericRange>;

/**
 * The range in words: `a whole number from 0 to 64`, `a number greater
 * than 0 and at most 16384`.
 *
 * @public
 */
export function describeRange(range: NumericRange): string {
  const what = range.integer ? 'a whole number' : 'a number';
  return range.exclusiveMin
    ? `${what} greater than ${range.min} and at most ${range.max}`
    : `${what} from ${range.min} to ${range.max}`;
}

/**
 * Whether `value` is a finite number inside `range`.
 *
 * @public
 */
export function isInRange(value: unknown, range: NumericRange): boolean {
  return (
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (range.exclusiveMin ? value > range.min : value >= range.min) &&
    value <= range.max &&
    (!range.integer || Number.isInteger(value))
  );
}
