/** Daily series of the Cost Insights API from ModelFleet's cost reports: the days' amounts, the change between periods and the trendline. */
import {
  ChangeStatistic,
  Cost,
  DateAggregation,
  Trendline,
} from '@backstage/plugin-cost-insights-common';
import { CostReport } from '@modelfleet/plugin-modelfleet-common';
import { CostQuery } from '../api';
import { DayInterval, daysOf, parseRepeatingIntervals } from './intervals';

function sumOf(aggregation: DateAggregation[], interval: DayInterval): number {
  return aggregation
    .filter(a => a.date >= interval.from && a.date < interval.to)
    .reduce((sum, a) => sum + a.amount, 0);
}

/** The change from `previous` to `current`; no ratio when `previous` is 0. */
export function changeOf(current: number, previous: number): ChangeStatistic {
  const amount = current - previous;
  return previous === 0 ? { amount } : { amount, ratio: amount / previous };
}

/** Least-squares line through the points, x in seconds since the epoch. */
function trendlineOf(aggregation: DateAggregation[]): Trendline | undefined {
  if (aggregation.length < 2) return undefined;
  const xs = aggregation.map(a => Date.parse(`${a.date}T00:00:00Z`) / 1000);
  const ys = aggregation.map(a => a.amount);
  const n = xs.length;
  const meanX = xs.reduce((s, x) => s + x, 0) / n;
  const meanY = ys.reduce((s, y) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - meanX) * (ys[i] - meanY);
    sxx += (xs[i] - meanX) ** 2;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  return { slope, intercept: meanY - slope * meanX };
}

/**
 * One field of a cost report, for every day of the intervals, and its change
 * from the interval before the last to the last (with one interval, from the
 * period of the same length before it).
 */
export async function dailySeries(
  intervals: string,
  read: (query: CostQuery) => Promise<CostReport>,
  field: 'costUsd' | 'idleUsd' | 'gpuHours',
): Promise<{ aggregation: DateAggregation[]; change: ChangeStatistic }> {
  const parsed = parseRepeatingIntervals(intervals).intervals;
  const range = { from: parsed[0].from, to: parsed[parsed.length - 1].to };
  const report = await read({ ...range, granularity: 'day' });
  const byDay = new Map(report.series.map(p => [p.date, p[field]]));
  const aggregation = daysOf(range).map(date => ({
    date,
    amount: byDay.get(date) ?? 0,
  }));
  const current = sumOf(aggregation, parsed[parsed.length - 1]);
  const previous =
    parsed.length >= 2
      ? sumOf(aggregation, parsed[parsed.length - 2])
      : report.previous.total[field];
  return { aggregation, change: changeOf(current, previous) };
}

/** A daily cost series over the intervals, with change and trendline. */
export async function dailyCost(
  id: string,
  intervals: string,
  read: (query: CostQuery) => Promise<CostReport>,
): Promise<Cost> {
  const { aggregation, change } = await dailySeries(intervals, read, 'costUsd');
  const trendline = trendlineOf(aggregation);
  return trendline
    ? { id, aggregation, change, trendline }
    : { id, aggregation, change };
}
