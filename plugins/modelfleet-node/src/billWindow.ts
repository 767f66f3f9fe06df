/** The whole UTC days of a bill window, as the bill sources read them. */

/** Milliseconds in a UTC day. */
const DAY_MS = 86_400_000;

/**
 * The whole UTC days inside a bill window, in ms since the epoch: from the
 * first midnight at or after its start (inclusive) to the last midnight at
 * or before its end (exclusive). A partial day at either end is left out;
 * no whole day fits when `start >= end`. Checks nothing: a bound that is
 * not a date gives NaN.
 *
 * @public
 */
export function wholeUtcDays(window: { start: Date; end: Date }): {
  start: number;
  end: number;
} {
  return {
    start: Math.ceil(window.start.getTime() / DAY_MS) * DAY_MS,
    end: Math.floor(window.end.getTime() / DAY_MS) * DAY_MS,
  };
}
