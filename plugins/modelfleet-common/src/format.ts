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

const MONTHS = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
];

/**
 * A day as the portal writes it, e.g. `3 Dec 2026` (UTC), for text the
 * backend writes (risk and reasons) as for the cards; the value itself
 * when it is not a date.
 *
 * @public
 */
export function formatDay(value: string | Date): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return String(value);
  return `${date.getUTCDate()} ${
    MONTHS[date.getUTCMonth()]
  } ${date.getUTCFullYear()}`;
}
