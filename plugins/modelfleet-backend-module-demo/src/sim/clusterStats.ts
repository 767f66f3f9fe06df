import type { FirstReclaimReport } from './firstReclaim';
import { ModelUsage, PoolUsage } from './stats';
import type { SimulatedCluster } from './SimulatedCluster';

/**
 * What a simulated cluster has done: per model (`<namespace>/<model>`),
 * requests and replica time; per pool, node time.
 *
 * @public
 */
export interface ClusterStats {
  cluster: string;
  /** Simulated time of the report and of the start. */
  at: string;
  since: string;
  models: Record<
    string,
    ModelUsage & {
      requestsServed: number;
      coldStarts: number;
      requestsDropped: number;
      waiting: number;
      /** Requests that arrived at a sleeping engine and waited for its wake. */
      requestsWaitedForWake: number;
      /** Requests waiting for an engine to wake now. */
      waitingForWake: number;
      /** Sleeps of its engines (`/sleep`), and wakes (by `/wake_up`, and by requests). */
      engineSleeps: number;
      engineWakes: { api: number; requests: number };
      /**
       * When requests kept it busy, each from its exact arrival for its
       * execution time, merged: `[start, end)` in simulated ms since the
       * epoch, those that ended in the last hour.
       */
      busySpans: Array<[number, number]>;
    }
  >;
  /** Per pool: node time, nodes on their way, and spot reclaims so far. */
  pools: Record<
    string,
    PoolUsage & { provisioning: number; spotReclaims: number }
  >;
  /** The scripted first spot reclaim, when one is configured: when, and what it did. */
  firstReclaim?: FirstReclaimReport;
}

/** What a simulated cluster has done, as `GET /_sim/stats` answers. */
export function clusterStats(sim: SimulatedCluster): ClusterStats {
  const usage = sim.usage.report();
  const traffic = sim.traffic.stats();
  const waiting = sim.traffic.waitingCount();
  const atWake = sim.traffic.waitingForWakeCount();
  const engines = sim.engines.modelTotals();
  const busy = sim.traffic.busySpans();
  const keys = new Set([...Object.keys(usage.models), ...Object.keys(traffic)]);
  const provisioning = sim.provisioner.provisioning();
  const reclaims = sim.spot.reclaimCounts();
  const firstReclaim = sim.firstReclaim?.report();
  const empty = {
    replicaSeconds: 0,
    readyReplicaSeconds: 0,
    sleepingReplicaSeconds: 0,
    replicas: 0,
    readyReplicas: 0,
    sleepingReplicas: 0,
  };
  return {
    cluster: sim.name,
    at: sim.ctx.time(),
    since: sim.ctx.time(sim.usage.since),
    models: Object.fromEntries(
      [...keys].sort().map(k => [
        k,
        {
          ...(usage.models[k] ?? empty),
          requestsServed: traffic[k]?.served ?? 0,
          coldStarts: traffic[k]?.coldStarts ?? 0,
          requestsDropped: traffic[k]?.dropped ?? 0,
          waiting: waiting[k] ?? 0,
          requestsWaitedForWake: traffic[k]?.waitedForWake ?? 0,
          waitingForWake: atWake[k] ?? 0,
          engineSleeps: engines[k]?.sleeps ?? 0,
          engineWakes: engines[k]?.wakes ?? { api: 0, requests: 0 },
          busySpans: busy[k] ?? [],
        },
      ]),
    ),
    pools: Object.fromEntries(
      sim.options.pools.map(p => [
        p.name,
        {
          ...(usage.pools[p.name] ?? { nodeSeconds: 0, nodes: 0 }),
          provisioning: provisioning[p.name] ?? 0,
          spotReclaims: reclaims[p.name] ?? 0,
        },
      ]),
    ),
    ...(firstReclaim ? { firstReclaim } : {}),
  };
}
