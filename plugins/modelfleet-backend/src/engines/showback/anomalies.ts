import { median, medianAbsoluteDeviation } from 'simple-statistics';

/** Settings of {@link detectAnomalies}. */
export interface AnomalyOptions {
  /** Days before a day that form its baseline. */
  baselineDays: number;
  /** Fewest baseline days with data before a day is judged. */
  minBaselineDays: number;
  /** Robust z-score from which a day is an anomaly. */
  threshold: number;
  /** Smallest difference from the baseline, in USD, worth reporting. */
  minDeltaUsd: number;
}

export const DEFAULT_ANOMALY_OPTIONS: AnomalyOptions = {
  baselineDays: 14,
  minBaselineDays: 7,
  threshold: 3.5,
  minDeltaUsd: 1,
};

/** A day far from its baseline. */
export interface DetectedAnomaly {
  day: string;
  costUsd: number;
  baselineUsd: number;
  score: number;
  direction: 'spike' | 'drop';
}

/**
 * Days whose cost is far from the median of the days before, measured in
 * robust standard deviations (1.4826 × MAD). A flat baseline has no spread:
 * then 5 % of the median (or `minDeltaUsd`) stands for one deviation, so a
 * steady model that doubles still counts.
 *
 * @param series - daily costs, one entry per day, oldest first
 */
export function detectAnomalies(
  series: Array<{ day: string; costUsd: number }>,
  options: Partial<AnomalyOptions> = {},
): DetectedAnomaly[] {
  const o = { ...DEFAULT_ANOMALY_OPTIONS, ...options };
  const out: DetectedAnomaly[] = [];
  for (let i = 0; i < series.length; i++) {
    const window = series
      .slice(Math.max(0, i - o.baselineDays), i)
      .map(p => p.costUsd);
    if (window.length < o.minBaselineDays) continue;
    const base = median(window);
    const spread = Math.max(
      1.4826 * medianAbsoluteDeviation(window),
      0.05 * Math.abs(base),
      o.minDeltaUsd / o.threshold,
    );
    const cost = series[i].costUsd;
    const score = (cost - base) / spread;
    if (
      Math.abs(score) >= o.threshold &&
      Math.abs(cost - base) >= o.minDeltaUsd
    ) {
      out.push({
        day: series[i].day,
        costUsd: cost,
        baselineUsd: base,
        score,
        direction: score > 0 ? 'spike' : 'drop',
      });
    }
  }
  return out;
}
