import { BillLine, CloudProvider } from '@modelfleet/plugin-modelfleet-node';
import { AggregateProperty, tagKey } from './aggregate';
import { DaySpan, nextUtcDay, rfc3339 } from './days';
import { OpenCostAllocation } from './response';

/** OpenCost's name for cost of capacity no workload requested. */
export const IDLE = '__idle__';
/** OpenCost's value for an allocation without the aggregated property. */
export const UNALLOCATED = '__unallocated__';

/**
 * How one OpenCost cluster appears on bill lines.
 *
 * @public
 */
export interface OpenCostClusterMapping {
  /** Account name of the cluster's lines; defaults to OpenCost's cluster id. */
  name?: string;
  provider?: CloudProvider;
}

/** What {@link allocationsToLines} needs besides the allocations. */
export interface LineOptions {
  source: string;
  aggregate: AggregateProperty[];
  /** Provider of clusters without their own mapping. */
  provider: CloudProvider;
  /** Account of allocations that name no cluster. */
  cluster?: string;
  clusters: Record<string, OpenCostClusterMapping>;
  /** Lines outside these days are dropped. */
  span: DaySpan;
}

function splitName(a: OpenCostAllocation): {
  clusterId?: string;
  rest: string;
} {
  if (a.cluster) {
    const prefix = `${a.cluster}/`;
    return {
      clusterId: a.cluster,
      rest: a.name.startsWith(prefix) ? a.name.slice(prefix.length) : a.name,
    };
  }
  // The query aggregates by cluster first, so the name starts with it.
  const slash = a.name.indexOf('/');
  if (slash > 0) {
    return { clusterId: a.name.slice(0, slash), rest: a.name.slice(slash + 1) };
  }
  return { rest: slash === 0 ? a.name.slice(1) : a.name };
}

function tagsOf(
  rest: string,
  a: OpenCostAllocation,
  aggregate: AggregateProperty[],
): Record<string, string> {
  const tags: Record<string, string> = {};
  const values = rest.split('/');
  if (values.length === aggregate.length) {
    values.forEach((v, i) => {
      if (v && v !== UNALLOCATED) tags[tagKey(aggregate[i])] = v;
    });
  }
  if (a.namespace && !('namespace' in tags)) tags.namespace = a.namespace;
  return tags;
}

/**
 * Turns OpenCost allocations into bill lines: one per (cluster, UTC day,
 * allocation name), summing allocations that land on the same line (idle of
 * several nodes, for example). Idle cost is the resource `__idle__`.
 */
export function allocationsToLines(
  allocations: OpenCostAllocation[],
  opts: LineOptions,
): BillLine[] {
  const byKey = new Map<string, BillLine>();
  for (const a of allocations) {
    if (a.day < opts.span.start || a.day >= opts.span.end) continue;
    const { clusterId, rest } = splitName(a);
    let account: string;
    if (clusterId) {
      account = opts.clusters[clusterId]?.name ?? clusterId;
    } else if (opts.cluster) {
      account = opts.cluster;
    } else {
      throw new Error(
        `allocation '${a.name}' names no cluster (properties.cluster is empty); set 'cluster' in the config of ${opts.source}`,
      );
    }
    const provider =
      (clusterId && opts.clusters[clusterId]?.provider) || opts.provider;
    const idle = rest === IDLE || rest.endsWith(`/${IDLE}`);
    const resourceId = idle ? IDLE : rest;
    const periodStart = rfc3339(a.day);
    const key = JSON.stringify([account, periodStart, resourceId]);

    const existing = byKey.get(key);
    if (existing) {
      existing.costUsd += a.totalCost;
      if (a.gpuHours !== undefined) {
        existing.usage = {
          quantity: (existing.usage?.quantity ?? 0) + a.gpuHours,
          unit: 'gpu-hours',
        };
      }
      continue;
    }
    const line: BillLine = {
      source: opts.source,
      provider,
      account,
      periodStart,
      periodEnd: rfc3339(nextUtcDay(a.day)),
      resourceId,
      tags: idle ? {} : tagsOf(rest, a, opts.aggregate),
      costUsd: a.totalCost,
    };
    if (a.gpuHours !== undefined) {
      line.usage = { quantity: a.gpuHours, unit: 'gpu-hours' };
    }
    byKey.set(key, line);
  }
  // Code-point order, the same in every locale.
  const cmp = (x: string, y: string) => Number(x > y) - Number(x < y);
  return [...byKey.values()].sort(
    (x, y) =>
      cmp(x.periodStart, y.periodStart) ||
      cmp(x.account, y.account) ||
      cmp(x.resourceId, y.resourceId),
  );
}
