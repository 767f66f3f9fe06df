import { CostGranularity } from '@modelfleet/plugin-modelfleet-common';

const DAY_MS = 86_400_000;
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

/** The UTC day of a time, `YYYY-MM-DD`. */
export function dayOf(time: Date | number): string {
  return new Date(time).toISOString().slice(0, 10);
}

/** Parses a `YYYY-MM-DD` day as its UTC midnight; throws naming `name`. */
export function parseDay(day: string, name = 'day'): Date {
  const d = new Date(`${day}T00:00:00Z`);
  if (!DAY_RE.test(day) || isNaN(d.getTime()) || dayOf(d) !== day) {
    throw new Error(`${name}: must be a date as YYYY-MM-DD, got '${day}'`);
  }
  return d;
}

/** The day `n` days after `day` (before, when negative). */
export function addDays(day: string, n: number): string {
  return dayOf(parseDay(day).getTime() + n * DAY_MS);
}

/** Whole days from `from` to `to`. */
export function daysBetween(from: string, to: string): number {
  return Math.round(
    (parseDay(to).getTime() - parseDay(from).getTime()) / DAY_MS,
  );
}

/** Every day from `from` (inclusive) to `to` (exclusive). */
export function eachDay(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d < to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** `YYYY-MM` of a day. */
export function monthOf(day: string): string {
  return day.slice(0, 7);
}

/** Days in the month of `day`. */
export function daysInMonth(day: string): number {
  const [y, m] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** First day of the bucket `day` falls in: itself, its ISO week's Monday, or its month's first. */
export function bucketOf(day: string, granularity: CostGranularity): string {
  if (granularity === 'day') return day;
  if (granularity === 'month') return `${monthOf(day)}-01`;
  const weekday = (parseDay(day).getUTCDay() + 6) % 7; // Monday = 0
  return addDays(day, -weekday);
}
