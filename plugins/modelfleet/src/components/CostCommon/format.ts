import {
  formatDate,
  formatDateTime,
  formatMonth,
  formatShortDate,
  formatUsd,
} from '@modelfleet/plugin-modelfleet-common';

export { formatDate, formatDateTime, formatMonth, formatShortDate, formatUsd };

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

/**
 * The unit of {@link formatGpuHours}: a no-break space before it and a
 * non-breaking hyphen (U+2011) in it, so `2,592 GPU-h` never breaks across
 * lines, in a table cell or in a sentence.
 */
export const GPU_HOURS_UNIT = '\u00a0GPU\u2011h';

/** GPU-hours to one decimal, e.g. `1,234.5 GPU-h`, on one line. */
export function formatGpuHours(hours: number): string {
  return `${hours.toLocaleString('en-US', {
    maximumFractionDigits: 1,
  })}${GPU_HOURS_UNIT}`;
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
