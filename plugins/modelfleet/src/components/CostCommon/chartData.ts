import {
  CostReport,
  UtilizationReport,
} from '@modelfleet/plugin-modelfleet-common';

/*
 * The charts' data, apart from the charts (charts.tsx), so that a card can
 * use it without loading the chart library.
 */

/** One point of the cost chart: this period and the previous one by index. */
export interface CostChartPoint {
  date: string;
  cost: number;
  idle: number;
  previous: number | null;
  previousDate: string | null;
}

/**
 * The cost series of a report with the previous period's series beside it,
 * aligned by index: the first day of this period next to the first day of the
 * previous one.
 */
export function costChartData(report: CostReport): CostChartPoint[] {
  return report.series.map((point, i) => {
    const before = report.previous.series[i];
    return {
      date: point.date,
      cost: point.costUsd,
      idle: point.idleUsd,
      previous: before ? before.costUsd : null,
      previousDate: before ? before.date : null,
    };
  });
}

/** One point of the utilization chart, as percent and GiB. */
export interface UtilizationChartPoint {
  date: string;
  utilization: number | null;
  memoryGiB: number | null;
  idle: number | null;
}

/**
 * GPU memory of a model's replica: its GPUs and their memory now, when the
 * report knows them; undefined otherwise (memory is then the sum over all
 * replicas).
 */
export function replicaMemoryOf(
  report: UtilizationReport,
): { gpusPerReplica: number; capacityMiB: number } | undefined {
  const m = report.model;
  if (!m || m.memoryPerReplicaMiB === null) return undefined;
  return {
    gpusPerReplica: m.gpusPerReplica,
    capacityMiB: m.memoryPerReplicaMiB,
  };
}

/**
 * The utilization series as percentages and GiB, nulls kept as gaps; for a
 * model whose replica is known, memory per replica.
 */
export function utilizationChartData(
  report: UtilizationReport,
): UtilizationChartPoint[] {
  const replica = replicaMemoryOf(report);
  const gib = (mib: number | null) =>
    mib === null ? null : Math.round(mib / 102.4) / 10;
  return report.series.map(p => ({
    date: p.date,
    utilization:
      p.gpuUtilization === null
        ? null
        : Math.round(p.gpuUtilization * 1000) / 10,
    memoryGiB: replica
      ? gib(
          p.memoryPerGpuMiB === null
            ? null
            : p.memoryPerGpuMiB * replica.gpusPerReplica,
        )
      : gib(p.memoryUsedMiB),
    idle: p.idleShare === null ? null : Math.round(p.idleShare * 1000) / 10,
  }));
}

/** The height of the cost bar chart of `items`, in px. */
export const costBarChartHeight = (items: unknown[]) =>
  Math.max(120, items.length * 32 + 48);
