import { CronWindow } from '@modelfleet/plugin-modelfleet-common';
import { CronExpressionParser } from 'cron-parser';

/** When a window that is open at a time opened and will close. */
export interface OpenWindow {
  /** When it opened (ms since the epoch). */
  since: number;
  /** When it closes (ms since the epoch). */
  until: number;
}

/**
 * Whether a recurring window is open at `at` (ms): it opened at the last
 * `start` time at or before `at`, and closes at the first `end` time after
 * that; open when `at` is before that end. Both cron expressions are read
 * in the window's time zone. Undefined when the window is closed.
 *
 * @internal
 */
export function openWindowAt(
  window: CronWindow,
  at: number,
): OpenWindow | undefined {
  const tz = window.timezone || 'UTC';
  // prev() is strictly before its current date: one ms past `at` makes a
  // start at exactly `at` count.
  const start = CronExpressionParser.parse(window.start, {
    currentDate: new Date(at + 1),
    tz,
  })
    .prev()
    .getTime();
  const end = CronExpressionParser.parse(window.end, {
    currentDate: new Date(start),
    tz,
  })
    .next()
    .getTime();
  return at < end ? { since: start, until: end } : undefined;
}

/**
 * When a recurring window next opens after `at` (ms), or undefined when
 * its expression never fires again.
 *
 * @internal
 */
export function nextOpening(
  window: CronWindow,
  at: number,
): number | undefined {
  const it = CronExpressionParser.parse(window.start, {
    currentDate: new Date(at),
    tz: window.timezone || 'UTC',
  });
  return it.hasNext() ? it.next().getTime() : undefined;
}

/**
 * Whether a change that disrupts a running model may be made at `at`
 * (ms): any time when the team names no maintenance window, else only
 * inside one. Undefined when it may; otherwise why it waits, naming the
 * window that opens next and when.
 *
 * @internal
 */
export function waitsForMaintenance(
  windows: CronWindow[],
  at: number,
): string | undefined {
  if (windows.length === 0) return undefined;
  if (windows.some(w => openWindowAt(w, at))) return undefined;
  const next = windows
    .map(w => ({ w, opens: nextOpening(w, at) }))
    .filter((x): x is { w: CronWindow; opens: number } => x.opens !== undefined)
    .sort((a, b) => a.opens - b.opens)[0];
  return next
    ? `waits for maintenance window ${next.w.name}, which opens at ${new Date(
        next.opens,
      ).toISOString()}`
    : 'waits for a maintenance window, and none opens again';
}
