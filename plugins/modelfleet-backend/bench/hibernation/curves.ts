/*
 * Curves of (cold starts per 1,000 requests, idle GPU-hours) and reading
 * them at a given cold-start rate.
 */

/** One point of a policy's curve. */
export interface CurvePoint {
  coldPer1k: number;
  idleGpuHours: number;
}

/** A curve read at a rate: the value, and whether the rate lay outside the curve. */
export interface CurveReading {
  idleGpuHours: number;
  /** The rate was outside the curve's span: the value is its nearest end's. */
  clamped?: 'below' | 'above';
  span: [number, number];
}

/**
 * Idle GPU-hours of a curve at `rate` cold starts per 1,000 requests,
 * piecewise linear in the rate between the curve's points sorted by rate
 * (points at the same rate: the lowest idle). Outside the curve's span the
 * nearest end's value, flagged `clamped`.
 */
export function readCurve(
  points: readonly CurvePoint[],
  rate: number,
): CurveReading {
  const byRate = new Map<number, number>();
  for (const p of points) {
    const cur = byRate.get(p.coldPer1k);
    if (cur === undefined || p.idleGpuHours < cur)
      byRate.set(p.coldPer1k, p.idleGpuHours);
  }
  const sorted = [...byRate.entries()].sort((a, b) => a[0] - b[0]);
  if (!sorted.length) throw new Error('empty curve');
  const span: [number, number] = [sorted[0][0], sorted[sorted.length - 1][0]];
  if (rate < span[0])
    return { idleGpuHours: sorted[0][1], clamped: 'below', span };
  if (rate > span[1])
    return {
      idleGpuHours: sorted[sorted.length - 1][1],
      clamped: 'above',
      span,
    };
  for (let i = 0; i + 1 < sorted.length; i++) {
    const [r1, v1] = sorted[i];
    const [r2, v2] = sorted[i + 1];
    if (rate <= r2)
      return { idleGpuHours: v1 + ((v2 - v1) * (rate - r1)) / (r2 - r1), span };
  }
  return { idleGpuHours: sorted[0][1], span }; // a single point, at its rate
}

/** A reading for a table: the value, with a note when it was clamped. */
export function describeReading(r: CurveReading): string {
  const v = r.idleGpuHours.toFixed(2);
  if (!r.clamped) return v;
  return `${v}* (clamped: the curve spans ${r.span[0].toFixed(
    1,
  )}–${r.span[1].toFixed(1)} per 1k)`;
}

/** a ÷ b, or `Infinity`/1 when b is 0. */
export function ratio(a: number, b: number): number {
  if (b > 0) return a / b;
  return a > 0 ? Infinity : 1;
}

/** The p-th percentile (0–100, nearest rank) of `values`; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}
