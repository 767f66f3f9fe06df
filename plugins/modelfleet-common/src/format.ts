const USD = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});

/**
 * A dollar amount with cents, e.g. `$1,234.56`, as the portal, the API's
 * messages and the scaffolder's summaries all write it.
 *
 * @public
 */
export function formatUsd(value: number): string {
  // Avoid "-$0.00" for tiny negative rounding noise.
  return USD.format(Math.abs(value) < 0.005 ? 0 : value);
}
