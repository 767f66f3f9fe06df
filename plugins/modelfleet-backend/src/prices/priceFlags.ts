import { PriceQuote } from '@modelfleet/plugin-modelfleet-node';

/**
 * Flags a price can carry. The first four keep it from being chosen as the
 * cheapest: the price is a placeholder or cannot be trusted.
 */
export const PRICE_FLAGS = {
  /** Spot above on-demand: not a real spot market price. */
  spotAboveOnDemand: 'spot-above-on-demand',
  /** Spot equal to on-demand: a placeholder where no spot market exists. */
  spotEqualsOnDemand: 'spot-equals-on-demand',
  /** A 0.0 price: a placeholder, not a free machine. */
  zeroPlaceholder: 'zero-placeholder',
  /** The source lists a GPU count the machine does not have. */
  gpuCountSuspect: 'gpu-count-suspect',
  /** Fractional GPU instance (informational). */
  fractionalGpu: 'fractional-gpu',
  /** GCP: host price plus attached-GPU price, summed (informational). */
  derivedHostPlusGpu: 'derived-host-plus-gpu',
} as const;

const EXCLUDING = new Set<string>([
  PRICE_FLAGS.spotAboveOnDemand,
  PRICE_FLAGS.spotEqualsOnDemand,
  PRICE_FLAGS.zeroPlaceholder,
  PRICE_FLAGS.gpuCountSuspect,
]);

/**
 * Whether a quote may be chosen as the cheapest: its price is known and
 * positive and nothing marks it as a placeholder.
 */
export function isCheapestEligible(quote: PriceQuote): boolean {
  return (
    quote.usdPerHour !== null &&
    quote.usdPerHour > 0 &&
    !(quote.flags ?? []).some(f => EXCLUDING.has(f))
  );
}
