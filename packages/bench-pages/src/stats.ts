/**
 * The `p`-th percentile (0 to 100) of `values` by the nearest-rank method:
 * the smallest value at least `p`% of the values are at or below. NaN for
 * no values.
 */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

/** One measured figure: its name, what it is, its runs and its goal. */
export interface Figure {
  key: string;
  label: string;
  ms: number[];
  /** The time the issue sets for it, if any. */
  goalMs?: number;
}

/** Milliseconds as a whole number, or "n/a" when there is none. */
export const fmtMs = (ms: number) =>
  Number.isFinite(ms) ? String(Math.round(ms)) : 'n/a';

/**
 * The line of a figure: p50, p90, the runs, and its goal with whether the
 * p50 meets it and by what ratio, e.g.
 * `model page, warm: p50 412 ms, p90 530 ms over 7 runs; goal 1000 ms: met (0.41 of it)`.
 */
export function figureLine(figure: Figure): string {
  const p50 = percentile(figure.ms, 50);
  const p90 = percentile(figure.ms, 90);
  let line = `${figure.label}: p50 ${fmtMs(p50)} ms, p90 ${fmtMs(
    p90,
  )} ms over ${figure.ms.length} run${figure.ms.length === 1 ? '' : 's'}`;
  if (figure.goalMs !== undefined) {
    const met = p50 <= figure.goalMs;
    line += `; goal ${figure.goalMs} ms: ${met ? 'met' : 'NOT met'} (${(
      p50 / figure.goalMs
    ).toFixed(2)} of it)`;
  }
  return line;
}

/**
 * The last line of the bench:
 * `pages: model_ms_p50=… model_cold_ms_p50=… fleet_ms_p50=…`.
 */
export function summaryLine(figures: {
  warm: number[];
  cold: number[];
  fleet: number[];
}): string {
  return `pages: model_ms_p50=${fmtMs(
    percentile(figures.warm, 50),
  )} model_cold_ms_p50=${fmtMs(
    percentile(figures.cold, 50),
  )} fleet_ms_p50=${fmtMs(percentile(figures.fleet, 50))}`;
}
