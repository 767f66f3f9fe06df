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
