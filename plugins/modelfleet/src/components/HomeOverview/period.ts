/** A period of whole UTC days, `from` inclusive, `to` exclusive (`YYYY-MM-DD`). */
export interface DayPeriod {
  from: string;
  to: string;
}

const day = (date: Date) => date.toISOString().slice(0, 10);

function addUtcDays(date: Date, days: number): Date {
  const next = new Date(date.getTime());
  next.setUTCDate(next.getUTCDate() + days);
  return next;
}

/**
 * The current month up to and including today (UTC, as the backend counts
 * days): what budgets are measured against.
 */
export function monthToDate(now: Date): DayPeriod {
  return {
    from: `${day(now).slice(0, 7)}-01`,
    to: day(addUtcDays(now, 1)),
  };
}

/** The last `count` days up to and including today (UTC). */
export function lastDays(now: Date, count: number): DayPeriod {
  return {
    from: day(addUtcDays(now, 1 - count)),
    to: day(addUtcDays(now, 1)),
  };
}
