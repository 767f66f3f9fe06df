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

/*
 * The portal's one date format and one date-time format. Every date a
 * person reads, on the cards and in the text the backend writes (risks,
 * reasons), is written with these; dates sent to the API stay ISO.
 * They are in UTC, for every reader: the cost days, months and periods
 * are whole UTC days, and a time in UTC reads the same to everyone on a
 * team (the time says so). Month names are English, day first (en-GB).
 * They are written by hand rather than with Intl, whose short month names
 * differ between ICU versions (`Sep` or `Sept`).
 */
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
] as const;

/** A `YYYY-MM-DD` day or an ISO time as a UTC date, or undefined. */
function utcDate(value: string | Date): Date | undefined {
  const date =
    typeof value === 'string'
      ? new Date(
          /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value,
        )
      : value;
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * A day as the portal writes it, e.g. `3 Dec 2026` (UTC).
 *
 * @public
 */
export function formatDate(value: string | Date): string {
  const date = utcDate(value);
  if (!date) return String(value);
  return `${date.getUTCDate()} ${
    MONTHS[date.getUTCMonth()]
  } ${date.getUTCFullYear()}`;
}

/**
 * A day without its year, for chart axes, e.g. `3 Dec` (UTC).
 *
 * @public
 */
export function formatShortDate(value: string | Date): string {
  const date = utcDate(value);
  if (!date) return String(value);
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]}`;
}

/**
 * A time as the portal writes it, e.g. `3 Dec 2026, 14:05 UTC`.
 *
 * @public
 */
export function formatDateTime(value: string | Date): string {
  const date = utcDate(value);
  if (!date) return String(value);
  const hh = String(date.getUTCHours()).padStart(2, '0');
  const mm = String(date.getUTCMinutes()).padStart(2, '0');
  return `${formatDate(date)}, ${hh}:${mm} UTC`;
}

/**
 * A `YYYY-MM` month as the portal writes it, e.g. `Dec 2026`.
 *
 * @public
 */
export function formatMonth(month: string): string {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  const index = match ? Number(match[2]) - 1 : -1;
  if (!match || index < 0 || index > 11) return month;
  return `${MONTHS[index]} ${match[1]}`;
}
