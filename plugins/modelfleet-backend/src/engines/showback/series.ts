import {
  CostGranularity,
  CostPoint,
  CostTotals,
} from '@modelfleet/plugin-modelfleet-common';
import { bucketOf, eachDay } from './days';

/**
 * Buckets daily figures by day, ISO week or month over [from, to), with a
 * zero point for every bucket without data so charts keep their time axis.
 */
export function bucketSeries(
  daily: CostPoint[],
  granularity: CostGranularity,
  from: string,
  to: string,
): CostPoint[] {
  const buckets = new Map<string, CostPoint>();
  const bucketOfDay = new Map<string, CostPoint>();
  for (const day of eachDay(from, to)) {
    const b = bucketOf(day, granularity);
    const key = b < from ? from : b;
    let point = buckets.get(key);
    if (!point) {
      point = {
        date: key,
        costUsd: 0,
        idleUsd: 0,
        unusedUsd: 0,
        gpuHours: 0,
        savedGpuHours: 0,
        savedUsd: 0,
      };
      buckets.set(key, point);
    }
    bucketOfDay.set(day, point);
  }
  for (const p of daily) {
    const point = bucketOfDay.get(p.date);
    if (!point) continue;
    point.costUsd += p.costUsd;
    point.idleUsd += p.idleUsd;
    point.unusedUsd += p.unusedUsd;
    point.gpuHours += p.gpuHours;
    point.savedGpuHours += p.savedGpuHours;
    point.savedUsd += p.savedUsd;
  }
  return [...buckets.values()];
}

/** Totals of daily figures. */
export function totalsOf(daily: CostPoint[]): CostTotals {
  return {
    costUsd: daily.reduce((s, p) => s + p.costUsd, 0),
    idleUsd: daily.reduce((s, p) => s + p.idleUsd, 0),
    unusedUsd: daily.reduce((s, p) => s + p.unusedUsd, 0),
    gpuHours: daily.reduce((s, p) => s + p.gpuHours, 0),
    savedGpuHours: daily.reduce((s, p) => s + p.savedGpuHours, 0),
    savedUsd: daily.reduce((s, p) => s + p.savedUsd, 0),
    daysWithData: new Set(daily.map(p => p.date)).size,
  };
}
