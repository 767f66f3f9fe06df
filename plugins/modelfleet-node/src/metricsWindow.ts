import { MetricsWindow } from './connectors';

/**
 * Most points a metrics query may ask for (Prometheus refuses more than
 * 11,000 per series).
 *
 * @public
 */
export const MAX_METRICS_POINTS = 11_000;

/**
 * Checks a metrics window before a source queries it, and returns it in unix
 * seconds. Throws naming the field: `window.end`, `window.stepSeconds`.
 *
 * @public
 */
export function checkMetricsWindow(window: MetricsWindow): {
  start: number;
  end: number;
  step: number;
} {
  const start = window.start.getTime() / 1000;
  const end = window.end.getTime() / 1000;
  if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start) {
    throw new Error('window.end must be after window.start');
  }
  if (!(window.stepSeconds > 0)) {
    throw new Error(
      `window.stepSeconds must be > 0, got ${window.stepSeconds}`,
    );
  }
  if ((end - start) / window.stepSeconds > MAX_METRICS_POINTS) {
    throw new Error(
      `window has more than ${MAX_METRICS_POINTS} points; use a larger stepSeconds`,
    );
  }
  return { start, end, step: window.stepSeconds };
}
