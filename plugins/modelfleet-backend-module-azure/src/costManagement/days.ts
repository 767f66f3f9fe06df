import { wholeUtcDays } from '@modelfleet/plugin-modelfleet-node';

const DAY_MS = 86_400_000;

/** A run of whole UTC days: `start` inclusive, `end` exclusive, in ms. */
export interface DayRange {
  start: number;
  end: number;
}

/**
 * The whole UTC days that lie in a bill window, in runs of at most `maxDays`
 * days (one query each). Empty when no whole day fits. Throws naming the
 * field of a bad window.
 */
export function dayChunks(
  window: { start: Date; end: Date },
  maxDays: number,
): DayRange[] {
  const s = window.start?.getTime?.();
  const e = window.end?.getTime?.();
  if (!Number.isFinite(s)) throw new Error('window.start is not a valid date');
  if (!Number.isFinite(e)) throw new Error('window.end is not a valid date');
  if (e <= s) throw new Error('window.end must be after window.start');
  const { start: first, end: last } = wholeUtcDays(window);
  const chunks: DayRange[] = [];
  for (let start = first; start < last; start += maxDays * DAY_MS) {
    chunks.push({ start, end: Math.min(last, start + maxDays * DAY_MS) });
  }
  return chunks;
}

/** `YYYY-MM-DD` of a UTC day in ms. */
export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * The UTC day of a Cost Management `UsageDate` (the number 20261130, or the
 * same as a string, or an ISO date), in ms; undefined when it is none.
 */
export function parseUsageDate(value: unknown): number | undefined {
  const text =
    typeof value === 'number' && Number.isInteger(value)
      ? String(value)
      : value;
  if (typeof text !== 'string') return undefined;
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  const iso = /^(\d{4})-(\d{2})-(\d{2})(T00:00:00(\.0+)?Z?)?$/.exec(text);
  const m = compact ?? iso;
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (
    back.getUTCFullYear() !== y ||
    back.getUTCMonth() !== mo - 1 ||
    back.getUTCDate() !== d
  ) {
    return undefined;
  }
  return ms;
}

export { DAY_MS };
