import {
  CostScope,
  UtilizationReport,
} from '@modelfleet/plugin-modelfleet-common';
import { CostSums } from '../database/ShowbackStore';
import { addDays, bucketOf, eachDay } from '../engines/showback';
import { CostReader } from './CostReader';

/** The period of a report: [from, to) in UTC days, and the bucket size. */
export interface ReportPeriod {
  from: string;
  to: string;
  granularity: UtilizationReport['granularity'];
}

/** What the fleet state says of a pool now, for its utilization report. */
export interface PoolNow {
  nodes: number;
  gpusAllocatable: number;
  gpusAllocated: number;
  capacityType: string;
  gpusPerNode: number;
}

/** What a model's replicas hold now, for its utilization report. */
export type ModelNow = NonNullable<UtilizationReport['model']>;

/**
 * GPU utilization, memory and allocated-but-unused cost of an entity's
 * days. The cost is the roll-ups' own `unusedUsd` (priced per model and
 * day by the allocation), so it is the figure the cost report shows for
 * the same entity and period.
 */
function summarize(scope: CostScope, rows: CostSums[]) {
  let gpuHours = 0;
  let unused = 0;
  let busy = 0;
  let utilGpuHours = 0;
  let memHours = 0;
  let mem = 0;
  let memGpuHours = 0;
  let memDays = 0;
  let withUtil = false;
  for (const r of rows) {
    gpuHours += r.gpuHours;
    unused += r.unusedUsd;
    if (r.busyGpuHours !== null) {
      withUtil = true;
      busy += r.busyGpuHours;
      utilGpuHours += r.gpuHours;
    }
    if (r.memUsedMiBHours !== null && r.metricHours) {
      memHours += r.metricHours;
      mem += r.memUsedMiBHours;
      memGpuHours += r.gpuHours;
      memDays += 1;
    }
  }
  const util =
    withUtil && utilGpuHours > 0
      ? busy / (scope === 'pool' || scope === 'fleet' ? gpuHours : utilGpuHours)
      : null;
  const idleShare = util === null ? null : Math.max(0, Math.min(1, 1 - util));
  return {
    gpuUtilization: util,
    memoryUsedMiB: memHours ? mem / memHours : null,
    // The mean memory used over the mean GPUs held on those days.
    memoryPerGpuMiB:
      memGpuHours > 0 ? mem / memHours / (memGpuHours / (24 * memDays)) : null,
    idleShare,
    unusedUsd: unused,
    idleCostUsd: unused,
  };
}

/**
 * Utilization of an entity (or the fleet) over a period, by bucket, and
 * for a pool its allocation and latest price.
 *
 * @internal
 */
export async function utilizationReport(options: {
  reader: CostReader;
  scope: CostScope;
  entityRef: string | null;
  q: ReportPeriod;
  today: string;
  pool?: PoolNow;
  model?: ModelNow;
}): Promise<UtilizationReport> {
  const { reader, scope, entityRef, q, pool, model, today } = options;
  const ref = entityRef ?? '';
  const daily = await reader.daily(scope, ref, q.from, q.to);
  const buckets = new Map<string, CostSums[]>();
  const bucketOfDay = new Map<string, CostSums[]>();
  for (const day of eachDay(q.from, q.to)) {
    const b = bucketOf(day, q.granularity);
    const key = b < q.from ? q.from : b;
    let rows = buckets.get(key);
    if (!rows) {
      rows = [];
      buckets.set(key, rows);
    }
    bucketOfDay.set(day, rows);
  }
  for (const d of daily) bucketOfDay.get(d.date)?.push(d);
  const all = summarize(scope, daily);
  const spot = daily.reduce((s, r) => s + r.spotNodeHours, 0);
  const nodeHours = daily.reduce((s, r) => s + r.nodeHours, 0);
  const report: UtilizationReport = {
    scope,
    entityRef,
    from: q.from,
    to: q.to,
    granularity: q.granularity,
    gpuUtilization: all.gpuUtilization,
    memoryUsedMiB: all.memoryUsedMiB,
    memoryTotalMiB: null,
    memoryPerGpuMiB: all.memoryPerGpuMiB,
    idleShare: all.idleShare,
    unusedUsd: all.unusedUsd,
    idleCostUsd: all.idleCostUsd,
    series: [...buckets.entries()].map(([date, rows]) => ({
      date,
      ...summarize(scope, rows),
    })),
    demo: await reader.isDemo(scope, ref, q.from, q.to),
    ...(scope === 'model' && model ? { model } : {}),
  };
  if (scope === 'pool' && pool) {
    const prov = await reader.provenance(
      'pool',
      ref,
      addDays(today, -1),
      addDays(today, 1),
    );
    const latest = prov
      .filter(p => p.usdPerHour !== undefined)
      .sort((a, b) => b.observedAt.localeCompare(a.observedAt))[0];
    let spotShare = pool.capacityType === 'spot' ? 1 : 0;
    if (nodeHours > 0) spotShare = spot / nodeHours;
    report.pool = {
      nodes: pool.nodes,
      gpusAllocatable: pool.gpusAllocatable,
      gpusAllocated: pool.gpusAllocated,
      allocation:
        pool.gpusAllocatable > 0
          ? pool.gpusAllocated / pool.gpusAllocatable
          : 0,
      capacityType: pool.capacityType,
      usdPerNodeHour: latest?.usdPerHour ?? null,
      usdPerGpuHour:
        latest?.usdPerHour !== undefined && pool.gpusPerNode > 0
          ? latest.usdPerHour / pool.gpusPerNode
          : null,
      capacityMix: { spot: spotShare, onDemand: 1 - spotShare },
      ...(latest ? { price: latest } : {}),
    };
  }
  return report;
}
