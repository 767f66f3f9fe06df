/*
 * A model's samples from what a MetricsSource answers: one series per
 * replica (or per pod) for each metric, at the query's step. Per instant:
 * GPU memory is the largest replica's (a replica must fit the largest),
 * utilization the replicas' mean, and the request rate their sum; instants
 * missing one of the three metrics are left out.
 */
import type { MetricSeries } from '@modelfleet/plugin-modelfleet-node';
import { ModelSample } from './types';

function combine(
  series: MetricSeries[],
  how: 'max' | 'mean' | 'sum',
): Map<number, number> {
  const acc = new Map<number, { total: number; max: number; n: number }>();
  for (const s of series) {
    for (const [t, v] of s.points) {
      if (!Number.isFinite(v)) continue;
      const a = acc.get(t) ?? { total: 0, max: -Infinity, n: 0 };
      a.total += v;
      a.max = Math.max(a.max, v);
      a.n++;
      acc.set(t, a);
    }
  }
  const out = new Map<number, number>();
  for (const [t, a] of acc) {
    let v = a.total;
    if (how === 'max') v = a.max;
    else if (how === 'mean') v = a.total / a.n;
    out.set(t, v);
  }
  return out;
}

export function samplesFromSeries(metrics: {
  gpuMemoryUsedMiB: MetricSeries[];
  gpuUtilization: MetricSeries[];
  requestsPerSecond: MetricSeries[];
}): ModelSample[] {
  const memory = combine(metrics.gpuMemoryUsedMiB, 'max');
  const util = combine(metrics.gpuUtilization, 'mean');
  const rps = combine(metrics.requestsPerSecond, 'sum');
  return [...memory.keys()]
    .filter(t => util.has(t) && rps.has(t))
    .sort((a, b) => a - b)
    .map(t => ({
      t,
      gpuMemoryUsedMiB: memory.get(t)!,
      gpuUtilization: util.get(t)!,
      requestsPerSecond: rps.get(t)!,
    }));
}
