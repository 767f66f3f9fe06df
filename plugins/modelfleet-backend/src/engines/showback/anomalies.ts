import { median, medianAbsoluteDeviation } from 'simple-statistics';

/** Settings of {@link detectAnomalies}. */
export interface AnomalyOptions {
  /** Robust z-score from which a day is an anomaly. */
  threshold: number;
  /** Smallest difference from the baseline, in USD, worth reporting. */
  minDeltaUsd: number;
  /**
   * Weeks whose same weekday forms a day's baseline, so a fleet that scales
   * down every weekend is not flagged every weekend.
   */
  baselineWeeks: number;
  /** Fewest earlier same weekdays before a day is judged. */
  minSameWeekdays: number;
}

export const DEFAULT_ANOMALY_OPTIONS: AnomalyOptions = {
  threshold: 3.5,
  minDeltaUsd: 1,
  baselineWeeks: 4,
  minSameWeekdays: 2,
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
 * Days whose cost is far from their baseline, measured in robust standard
 * deviations (1.4826 × MAD). The baseline is the same weekday of the weeks
 * before (weekly seasonality); a day is judged once it has
 * `minSameWeekdays` of them. A flat baseline has no spread: then 5 % of the median (or
 * `minDeltaUsd`) stands for one deviation, so a steady model that doubles
 * still counts.
 *
 * @param series - daily costs, one entry per consecutive day, oldest first
 */
export function detectAnomalies(
  series: Array<{ day: string; costUsd: number }>,
  options: Partial<AnomalyOptions> = {},
): DetectedAnomaly[] {
  const o = { ...DEFAULT_ANOMALY_OPTIONS, ...options };
  const out: DetectedAnomaly[] = [];
  for (let i = 0; i < series.length; i++) {
    const weekly: number[] = [];
    for (let w = 1; w <= o.baselineWeeks && i - 7 * w >= 0; w++) {
      weekly.push(series[i - 7 * w].costUsd);
    }
    if (weekly.length < o.minSameWeekdays) continue;
    const window = weekly;
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
