import { InputError } from '@backstage/errors';

/** A date-only ISO 8601 duration: years, months, weeks and days. */
export interface DayDuration {
  years: number;
  months: number;
  weeks: number;
  days: number;
}

/** One interval of days: `from` inclusive, `to` exclusive, `YYYY-MM-DD`. */
export interface DayInterval {
  from: string;
  to: string;
}

/** A parsed ISO 8601 repeating interval of days. */
export interface RepeatingIntervals {
  duration: DayDuration;
  /** The intervals in time order; the last one is the current period. */
  intervals: DayInterval[];
}

const MAX_REPETITIONS = 366;

function fail(text: string, why: string): never {
  throw new InputError(
    `intervals must be an ISO 8601 repeating interval such as R2/P30D/2020-09-01, got ${JSON.stringify(
      text,
    )}: ${why}`,
  );
}

function parseDay(text: string, part: string): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(part);
  if (!match) return undefined;
  const date = new Date(Date.UTC(+match[1], +match[2] - 1, +match[3]));
  if (date.toISOString().slice(0, 10) !== part) {
    fail(text, `${part} is not a calendar day`);
  }
  return date;
}

function parseDuration(text: string, part: string): DayDuration | undefined {
  if (!part.startsWith('P')) return undefined;
  if (part.includes('T')) {
    fail(text, `${part} has a time part; costs are daily, use days or longer`);
  }
  const match = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/.exec(part);
  if (!match || part === 'P') {
    fail(text, `${part} is not a duration of years, months, weeks or days`);
  }
  const duration = {
    years: Number(match[1] ?? 0),
    months: Number(match[2] ?? 0),
    weeks: Number(match[3] ?? 0),
    days: Number(match[4] ?? 0),
  };
  if (duration.years + duration.months + duration.weeks + duration.days === 0) {
    fail(text, `${part} is empty`);
  }
  return duration;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

/**
 * A day moved by `times` durations (negative to go back). Months and years
 * move on the calendar and keep the day of the month where it exists (March
 * 31 minus a month is February 28 or 29); weeks and days then move by days.
 */
export function shiftDay(
  day: Date,
  duration: DayDuration,
  times: number,
): Date {
  const months =
    day.getUTCFullYear() * 12 +
    day.getUTCMonth() +
    times * (duration.years * 12 + duration.months);
  const year = Math.floor(months / 12);
  const month = months - year * 12;
  const date = Math.min(day.getUTCDate(), daysInMonth(year, month));
  return new Date(
    Date.UTC(year, month, date + times * (duration.weeks * 7 + duration.days)),
  );
}

const iso = (date: Date) => date.toISOString().slice(0, 10);

/**
 * Parses the repeating intervals Cost Insights passes to its API, such as
 * `R2/P30D/2020-09-01`: two 30-day intervals that end on (and exclude)
 * 2020-09-01. The `R<n>/<start>/<duration>` form is accepted too. Each
 * boundary is the anchor day moved by a whole number of durations, so months
 * do not drift.
 */
export function parseRepeatingIntervals(text: string): RepeatingIntervals {
  const parts = String(text).trim().split('/');
  if (parts.length !== 3) {
    fail(text, 'expected three parts separated by "/"');
  }
  const repeat = /^R(\d+)$/.exec(parts[0]);
  if (!repeat) {
    fail(text, `${parts[0]} must be R followed by the number of intervals`);
  }
  const count = Number(repeat[1]);
  if (count < 1 || count > MAX_REPETITIONS) {
    fail(text, `the number of intervals must be 1 to ${MAX_REPETITIONS}`);
  }

  const endDuration = parseDuration(text, parts[1]);
  if (endDuration) {
    const end = parseDay(text, parts[2]);
    if (!end) fail(text, `${parts[2]} must be a day as YYYY-MM-DD`);
    const intervals: DayInterval[] = [];
    for (let i = count; i >= 1; i--) {
      intervals.push({
        from: iso(shiftDay(end, endDuration, -i)),
        to: iso(shiftDay(end, endDuration, -(i - 1))),
      });
    }
    return { duration: endDuration, intervals };
  }

  const start = parseDay(text, parts[1]);
  const startDuration = parseDuration(text, parts[2]);
  if (!start || !startDuration) {
    fail(
      text,
      'expected R<n>/<duration>/<end day> or R<n>/<start day>/<duration>',
    );
  }
  const intervals: DayInterval[] = [];
  for (let i = 0; i < count; i++) {
    intervals.push({
      from: iso(shiftDay(start, startDuration, i)),
      to: iso(shiftDay(start, startDuration, i + 1)),
    });
  }
  return { duration: startDuration, intervals };
}

/** Every day of `[from, to)`, as `YYYY-MM-DD`. */
export function daysOf(interval: DayInterval): string[] {
  const days: string[] = [];
  const end = Date.parse(`${interval.to}T00:00:00Z`);
  for (
    let t = Date.parse(`${interval.from}T00:00:00Z`);
    t < end;
    t += 86_400_000
  ) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}
