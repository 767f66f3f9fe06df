import { formatUsd } from '@modelfleet/plugin-modelfleet-common';

export { formatUsd };

const USD_PRECISE = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 2,
  maximumFractionDigits: 4,
});

/** A small unit price (per GPU-hour, per 1M tokens), up to 4 decimals. */
export function formatUnitUsd(value: number): string {
  return USD_PRECISE.format(value);
}

/** A share (0–1) as a percentage, e.g. `42.5%`. */
export function formatShare(share: number, digits = 1): string {
  return `${(share * 100).toFixed(digits)}%`;
}

/** Whole GPU-hours, e.g. `1,234.5 GPU-h`. */
export function formatGpuHours(hours: number): string {
  return `${hours.toLocaleString('en-US', {
    maximumFractionDigits: 1,
  })} GPU-h`;
}

/** MiB as GiB with one decimal, e.g. `21.5 GiB`. */
export function formatMiB(mib: number): string {
  return `${(mib / 1024).toFixed(1)} GiB`;
}

/**
 * The change from a previous amount to a current one: ratio (null when the
 * previous amount was zero) and a label such as `+12.5%`.
 */
export function changeOf(
  current: number,
  previous: number,
): { ratio: number | null; label: string } {
  if (previous === 0) {
    return { ratio: null, label: current === 0 ? '±0%' : 'new' };
  }
  const ratio = (current - previous) / previous;
  const sign = ratio > 0 ? '+' : '';
  return { ratio, label: `${sign}${(ratio * 100).toFixed(1)}%` };
}

function dayOf(iso: string, shiftDays = 0): string {
  const date = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + shiftDays);
  return date.toISOString().slice(0, 10);
}

/*
 * The portal's one date format and one date-time format. Every date a
 * person reads is written with these; dates sent to the API stay ISO.
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

/** A day as the portal writes it, e.g. `3 Dec 2026` (UTC). */
export function formatDate(value: string | Date): string {
  const date = utcDate(value);
  if (!date) return String(value);
  return `${date.getUTCDate()} ${
    MONTHS[date.getUTCMonth()]
  } ${date.getUTCFullYear()}`;
}

/** A day without its year, for chart axes, e.g. `3 Dec` (UTC). */
export function formatShortDate(value: string | Date): string {
  const date = utcDate(value);
  if (!date) return String(value);
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]}`;
}

/** A time as the portal writes it, e.g. `3 Dec 2026, 14:05 UTC`. */
export function formatDateTime(value: string | Date): string {
  const date = utcDate(value);
  if (!date) return String(value);
  const hh = String(date.getUTCHours()).padStart(2, '0');
  const mm = String(date.getUTCMinutes()).padStart(2, '0');
  return `${formatDate(date)}, ${hh}:${mm} UTC`;
}

/** A `YYYY-MM` month as the portal writes it, e.g. `Dec 2026`. */
export function formatMonth(month: string): string {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  const index = match ? Number(match[2]) - 1 : -1;
  if (!match || index < 0 || index > 11) return month;
  return `${MONTHS[index]} ${match[1]}`;
}

/**
 * A report period `[from, to)` as the inclusive days it covers, e.g.
 * `6 Nov 2026 – 5 Dec 2026`, or one day.
 */
export function formatPeriod(from: string, toExclusive: string): string {
  const last = dayOf(toExclusive, -1);
  return from.slice(0, 10) === last
    ? formatDate(last)
    : `${formatDate(from)} – ${formatDate(last)}`;
}

/** The number of days in `[from, to)`. */
export function daysBetween(from: string, toExclusive: string): number {
  return Math.round(
    (Date.parse(`${toExclusive}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) /
      86_400_000,
  );
}
