const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A span of whole UTC days: `start` inclusive, `end` exclusive, both at
 * midnight UTC.
 *
 * @internal
 */
export interface DaySpan {
  start: Date;
  end: Date;
}

/** Midnight UTC at or before `t`. */
export function floorToUtcDay(t: Date): Date {
  return new Date(Math.floor(t.getTime() / DAY_MS) * DAY_MS);
}

/** Midnight UTC at or after `t`. */
export function ceilToUtcDay(t: Date): Date {
  return new Date(Math.ceil(t.getTime() / DAY_MS) * DAY_MS);
}

/** True when `t` is exactly midnight UTC. */
export function isUtcMidnight(t: Date): boolean {
  return t.getTime() % DAY_MS === 0;
}

/** The UTC day after the one starting at `day`. */
export function nextUtcDay(day: Date): Date {
  return new Date(day.getTime() + DAY_MS);
}

/**
 * Widens a bill window to whole UTC days (start down to midnight, end up to
 * midnight) and splits it into consecutive spans of at most `maxDays` days.
 * Throws naming `window.start` / `window.end` when a bound is not a date.
 * An empty window (end not after start) gives no spans.
 *
 * @internal
 */
export function splitIntoDaySpans(
  window: { start: Date; end: Date },
  maxDays: number,
): DaySpan[] {
  if (!(window.start instanceof Date) || isNaN(window.start.getTime())) {
    throw new Error(`window.start is not a valid date: ${window.start}`);
  }
  if (!(window.end instanceof Date) || isNaN(window.end.getTime())) {
    throw new Error(`window.end is not a valid date: ${window.end}`);
  }
  if (!Number.isInteger(maxDays) || maxDays < 1) {
    throw new Error(`maxDays must be a positive integer, got ${maxDays}`);
  }
  const first = floorToUtcDay(window.start).getTime();
  const last = ceilToUtcDay(window.end).getTime();
  const spans: DaySpan[] = [];
  for (let t = first; t < last; t += maxDays * DAY_MS) {
    spans.push({
      start: new Date(t),
      end: new Date(Math.min(t + maxDays * DAY_MS, last)),
    });
  }
  return spans;
}

/** RFC 3339 in UTC without fractional seconds, e.g. `2025-05-01T00:00:00Z`. */
export function rfc3339(t: Date): string {
  return t.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
