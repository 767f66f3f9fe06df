/**
 * Flags a quote can carry; the same strings as the ModelFleet backend's price
 * book uses (this module does not depend on the backend package).
 */
export const PRICE_FLAGS = {
  /** A 0.0 price: a placeholder, not a free machine. The quote's price is null. */
  zeroPlaceholder: 'zero-placeholder',
  /** Fractional GPU instance (informational). */
  fractionalGpu: 'fractional-gpu',
} as const;

/**
 * A price read as text: `null` when absent, and `null` with the
 * `zero-placeholder` flag when it is 0 (a placeholder, never a price).
 * Throws with `field` when the text is not a non-negative number.
 */
export function readPrice(
  value: unknown,
  field: string,
): { usdPerHour: number | null; flags: string[] } {
  if (value === undefined || value === null || value === '') {
    return { usdPerHour: null, flags: [] };
  }
  const n = typeof value === 'string' ? Number(value) : NaN;
  if (!Number.isFinite(n) || n < 0) {
    throw new Error(`${field} ${JSON.stringify(value)} is not a price`);
  }
  if (n === 0)
    return { usdPerHour: null, flags: [PRICE_FLAGS.zeroPlaceholder] };
  return { usdPerHour: n, flags: [] };
}
