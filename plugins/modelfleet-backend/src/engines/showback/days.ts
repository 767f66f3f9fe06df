import { CostGranularity } from '@modelfleet/plugin-modelfleet-common';

const DAY_MS = 86_400_000;
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The days a report period may name, inclusive. Days are `YYYY-MM-DD`
 * strings compared as text, which holds for four-digit years only; this
 * range leaves room for what is derived from a period (the previous period,
 * up to 400 days before it, and a default end 30 days after it).
 */
export const REPORT_DAYS = { first: '2000-01-01', last: '2100-12-31' } as const;

/** The UTC day of a time, `YYYY-MM-DD`; throws for years outside 0000..9999. */
export function dayOf(time: Date | number): string {
  const iso = new Date(time).toISOString();
  if (!DAY_RE.test(iso.slice(0, 10))) {
    // toISOString writes ±YYYYYY there, which no YYYY-MM-DD reader accepts.
    throw new RangeError(`${iso} is not a day of the years 0000 to 9999`);
  }
  return iso.slice(0, 10);
}

/**
 * Days already parsed or written, both ways (reports of a year ask for
 * the same few hundred days again and again; formatting and checking a
 * date each time was a good part of a report's work). Bounded.
 */
const MEMO_LIMIT = 100_000;
const timeOfDay = new Map<string, number>();
const dayOfTime = new Map<number, string>();

function remember(day: string, time: number) {
  if (timeOfDay.size < MEMO_LIMIT) timeOfDay.set(day, time);
  if (dayOfTime.size < MEMO_LIMIT) dayOfTime.set(time, day);
}

/** The day of a UTC midnight (ms), `YYYY-MM-DD`; years 0000..9999. */
function dayOfMidnight(time: number): string {
  let day = dayOfTime.get(time);
  if (day === undefined) {
    day = dayOf(time);
    remember(day, time);
  }
  return day;
}

/** The UTC midnight (ms) of a `YYYY-MM-DD` day; throws naming `name`. */
function timeOfDayString(day: string, name: string): number {
  const known = timeOfDay.get(day);
  if (known !== undefined) return known;
  const d = new Date(`${day}T00:00:00Z`);
  if (!DAY_RE.test(day) || isNaN(d.getTime()) || dayOf(d) !== day) {
    throw new Error(`${name}: must be a date as YYYY-MM-DD, got '${day}'`);
  }
  remember(day, d.getTime());
  return d.getTime();
}

/** Parses a `YYYY-MM-DD` day as its UTC midnight; throws naming `name`. */
export function parseDay(day: string, name = 'day'): Date {
  return new Date(timeOfDayString(day, name));
}

/** The day `n` days since 1970-01-01 (negative before). */
export function dayOfNumber(n: number): string {
  return dayOfMidnight(n * DAY_MS);
}

/** The day `n` days after `day` (before, when negative). */
export function addDays(day: string, n: number): string {
  return dayOfMidnight(timeOfDayString(day, 'day') + n * DAY_MS);
}

/** Whole days from `from` to `to`. */
export function daysBetween(from: string, to: string): number {
  return Math.round(
    (timeOfDayString(to, 'day') - timeOfDayString(from, 'day')) / DAY_MS,
  );
}

/** Every day from `from` (inclusive) to `to` (exclusive). */
export function eachDay(from: string, to: string): string[] {
  const out: string[] = [];
  if (from >= to) return out;
  // One parse per end, not two per day: reports of a year call this often.
  // The days in between are years 0000..9999 too, as both ends are.
  const end = timeOfDayString(to, 'to');
  for (let t = timeOfDayString(from, 'from'); t < end; t += DAY_MS) {
    out.push(dayOfMidnight(t));
  }
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
  // 1970-01-01 was a Thursday (3 days after a Monday).
  const n = Math.round(timeOfDayString(day, 'day') / DAY_MS);
  const weekday = (((n + 3) % 7) + 7) % 7; // Monday = 0
  return addDays(day, -weekday);
}
