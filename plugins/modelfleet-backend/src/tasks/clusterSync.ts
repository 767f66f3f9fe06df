import { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import { ClusterInfo } from '@modelfleet/plugin-modelfleet-common';
import {
  ClusterConnector,
  ClusterSnapshot,
} from '@modelfleet/plugin-modelfleet-node';
import { FleetStateStore } from '../database/FleetStateStore';
import { ShowbackStore } from '../database/ShowbackStore';
import { ModelFleetTask } from './TaskRegistry';

/** Id of the cluster sync loop. @internal */
export const CLUSTER_SYNC_TASK_ID = 'modelfleet-cluster-sync';

/** Checks what a connector returned before it is stored. */
function checkSnapshot(cluster: ClusterInfo, snapshot: ClusterSnapshot): void {
  if (snapshot?.cluster?.name !== cluster.name) {
    throw new Error(
      `snapshot.cluster.name is '${snapshot?.cluster?.name}', expected '${cluster.name}'`,
    );
  }
  if (Number.isNaN(Date.parse(snapshot.observedAt))) {
    throw new Error(
      `snapshot.observedAt '${snapshot.observedAt}' is not a date`,
    );
  }
  const seen = new Set<string>();
  for (const [i, pool] of snapshot.pools.entries()) {
    if (!pool?.name) throw new Error(`snapshot.pools[${i}].name is missing`);
    if (seen.has(pool.name)) {
      throw new Error(`snapshot.pools[${i}].name '${pool.name}' appears twice`);
    }
    seen.add(pool.name);
  }
  for (const [i, w] of snapshot.workloads.entries()) {
    for (const field of ['namespace', 'kind', 'name', 'modelId'] as const) {
      if (!w?.[field])
        throw new Error(`snapshot.workloads[${i}].${field} is missing`);
    }
  }
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * The cluster sync loop: asks every cluster connector for a snapshot of each
 * of its clusters and stores it. A cluster that fails keeps its last state,
 * marked stale with the error; the others are stored all the same.
 *
 * @internal
 */
export function createClusterSyncTask(options: {
  connectors: () => ClusterConnector[];
  fleet: FleetStateStore;
  /** Where usage samples for showback go, each standing for `sampleSeconds`. */
  showback?: ShowbackStore;
  sampleSeconds?: number;
  schedule: SchedulerServiceTaskScheduleDefinition;
  clock?: () => Date;
}): ModelFleetTask {
  const { fleet, schedule } = options;
  const now = options.clock ?? (() => new Date());
  return {
    id: CLUSTER_SYNC_TASK_ID,
    schedule,
    async run({ logger }) {
      const syncCluster = async (
        connector: ClusterConnector,
        cluster: ClusterInfo,
      ): Promise<{ pools: number; workloads: number } | { error: string }> => {
        try {
          const snapshot = await connector.snapshot(cluster.name);
          checkSnapshot(cluster, snapshot);
          await fleet.recordSnapshot(connector.id, {
            ...snapshot,
            cluster: { ...cluster, ...snapshot.cluster },
          });
          await options.showback?.recordSnapshot(
            { ...snapshot, cluster: { ...cluster, ...snapshot.cluster } },
            options.sampleSeconds ?? 60,
          );
          return {
            pools: snapshot.pools.length,
            workloads: snapshot.workloads.length,
          };
        } catch (e) {
          logger.warn(
            `Cluster ${cluster.name} could not be read: ${message(e)}`,
          );
          await fleet.recordSnapshotError(
            connector.id,
            cluster,
            message(e),
            now(),
          );
          return { error: `${cluster.name}: ${message(e)}` };
        }
      };

      let ok = 0;
      let pools = 0;
      let workloads = 0;
      const failures: string[] = [];
      const connectors = options.connectors();
      for (const connector of connectors) {
        let clusters: ClusterInfo[];
        try {
          clusters = await connector.listClusters();
        } catch (e) {
          failures.push(`connector ${connector.id}: ${message(e)}`);
          continue;
        }
        await fleet.retainClusters(
          connector.id,
          clusters.map(c => c.name),
        );
        const results = await Promise.all(
          clusters.map(cluster => syncCluster(connector, cluster)),
        );
        for (const result of results) {
          if ('error' in result) {
            failures.push(result.error);
          } else {
            ok += 1;
            pools += result.pools;
            workloads += result.workloads;
          }
        }
      }
      const summary = `Synced ${ok} cluster(s) from ${connectors.length} connector(s): ${pools} pool(s), ${workloads} workload(s)`;
      if (failures.length && ok === 0) {
        throw new Error(
          `${summary}; every cluster failed: ${failures.join('; ')}`,
        );
      }
      return failures.length
        ? `${summary}; ${failures.length} failed: ${failures.join('; ')}`
        : summary;
    },
  };
}
