/**
 * The price flags this source sets, spelled as the backend's price book
 * reads them (`modelfleet-backend/src/prices/priceFlags.ts`): the first three
 * keep a price from being chosen as the cheapest.
 */
export const PRICE_FLAGS = {
  spotAboveOnDemand: 'spot-above-on-demand',
  spotEqualsOnDemand: 'spot-equals-on-demand',
  zeroPlaceholder: 'zero-placeholder',
  fractionalGpu: 'fractional-gpu',
} as const;
