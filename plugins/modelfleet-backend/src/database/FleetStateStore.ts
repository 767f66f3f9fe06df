import {
  ClusterInfo,
  ClusterStatus,
  GpuPoolStatus,
  ModelWorkloadsResponse,
} from '@modelfleet/plugin-modelfleet-common';
import {
  ClusterNodeObservation,
  ClusterSnapshot,
  ModelPodObservation,
} from '@modelfleet/plugin-modelfleet-node';
import { Knex } from 'knex';

const CLUSTERS = 'modelfleet_clusters';
const POOLS = 'modelfleet_pools';
const WORKLOADS = 'modelfleet_workloads';
const NODES = 'modelfleet_nodes';
const PODS = 'modelfleet_model_pods';

/** A GPU node as last observed, with its cluster. */
export interface StoredNode extends ClusterNodeObservation {
  cluster: string;
  observedAt: string;
  /** The cluster's last snapshot failed: this is older news. */
  stale: boolean;
}

/** A model pod as last observed (its workload names the cluster). */
export interface StoredModelPod extends ModelPodObservation {
  observedAt: string;
  stale: boolean;
}

/** The last of each key: a connector that repeats a node or pod does not fail the sync. */
function lastByKey<T>(items: readonly T[], key: (t: T) => string): T[] {
  return [...new Map(items.map(i => [key(i), i])).values()];
}

const iso = (v: Date | string | number | null | undefined) =>
  v === null || v === undefined ? undefined : new Date(v).toISOString();

/** The columns that say which cluster it is and who reads it. */
function clusterRow(connectorId: string, cluster: ClusterInfo) {
  return {
    name: cluster.name,
    connector_id: connectorId,
    provider: cluster.provider,
    region: cluster.region ?? null,
    demo: Boolean(cluster.demo),
  };
}

/**
 * What the cluster connectors last saw. A failed snapshot keeps the last
 * good state and records the error, so the cluster's pools show as stale.
 *
 * @internal
 */
export class FleetStateStore {
  /** Expects the plugin's migrations to have run (DatabaseModelFleetStore). */
  constructor(private readonly db: Knex) {}

  /** Stores a successful snapshot: pools and workloads gone from it are removed. */
  async recordSnapshot(
    connectorId: string,
    snapshot: ClusterSnapshot,
  ): Promise<void> {
    const { cluster, observedAt } = snapshot;
    const at = new Date(observedAt);
    await this.db.transaction(async tx => {
      await tx(CLUSTERS)
        .insert({
          ...clusterRow(connectorId, cluster),
          observed_at: at,
          error: null,
          error_at: null,
        })
        .onConflict('name')
        .merge();

      await tx(POOLS).where({ cluster: cluster.name }).delete();
      await tx.batchInsert(
        POOLS,
        snapshot.pools.map(pool => ({
          cluster: cluster.name,
          name: pool.name,
          observation: JSON.stringify({ ...pool, cluster: cluster.name }),
          observed_at: at,
        })),
        100,
      );

      await tx(WORKLOADS).where({ cluster: cluster.name }).delete();
      await tx.batchInsert(
        WORKLOADS,
        snapshot.workloads.map(w => ({
          cluster: cluster.name,
          namespace: w.namespace,
          kind: w.kind,
          name: w.name,
          model_id: w.modelId,
          observation: JSON.stringify({ ...w, cluster: cluster.name }),
          observed_at: at,
        })),
        100,
      );

      // Nodes and model pods: only from connectors that report them.
      await tx(NODES).where({ cluster: cluster.name }).delete();
      await tx(PODS).where({ cluster: cluster.name }).delete();
      await tx.batchInsert(
        NODES,
        lastByKey(snapshot.nodes ?? [], n => n.name).map(n => ({
          cluster: cluster.name,
          name: n.name,
          pool: n.pool,
          observation: JSON.stringify(n),
          observed_at: at,
        })),
        100,
      );
      await tx.batchInsert(
        PODS,
        lastByKey(
          snapshot.pods ?? [],
          p => `${p.workload.namespace}/${p.name}`,
        ).map(p => ({
          cluster: cluster.name,
          namespace: p.workload.namespace,
          name: p.name,
          node: p.node,
          observation: JSON.stringify({
            ...p,
            workload: { ...p.workload, cluster: cluster.name },
          }),
          observed_at: at,
        })),
        100,
      );
    });
  }

  /** Records that a cluster could not be read; its last state is kept. */
  async recordSnapshotError(
    connectorId: string,
    cluster: ClusterInfo,
    error: string,
    at: Date,
  ): Promise<void> {
    await this.db(CLUSTERS)
      .insert({
        ...clusterRow(connectorId, cluster),
        observed_at: null,
        error,
        error_at: at,
      })
      .onConflict('name')
      .merge([
        'connector_id',
        'provider',
        'region',
        'demo',
        'error',
        'error_at',
      ]);
  }

  /** Forgets the clusters of a connector that it no longer lists. */
  async retainClusters(connectorId: string, names: string[]): Promise<number> {
    return this.db.transaction(async tx => {
      const gone: string[] = (
        await tx(CLUSTERS)
          .where({ connector_id: connectorId })
          .whereNotIn('name', names)
          .select('name')
      ).map(r => r.name);
      if (gone.length) {
        await tx(POOLS).whereIn('cluster', gone).delete();
        await tx(WORKLOADS).whereIn('cluster', gone).delete();
        await tx(NODES).whereIn('cluster', gone).delete();
        await tx(PODS).whereIn('cluster', gone).delete();
        await tx(CLUSTERS).whereIn('name', gone).delete();
      }
      return gone.length;
    });
  }

  async listClusters(): Promise<ClusterStatus[]> {
    const rows = await this.db(CLUSTERS).orderBy('name');
    return rows.map(r => ({
      name: r.name,
      provider: r.provider,
      region: r.region ?? undefined,
      demo: Boolean(r.demo),
      connectorId: r.connector_id,
      observedAt: iso(r.observed_at),
      error: r.error ?? undefined,
      errorAt: iso(r.error_at),
      stale: r.error !== null && r.error !== undefined,
    }));
  }

  async listPools(): Promise<GpuPoolStatus[]> {
    const rows = await this.db(POOLS)
      .join(CLUSTERS, `${POOLS}.cluster`, `${CLUSTERS}.name`)
      .select(
        `${POOLS}.observation`,
        `${POOLS}.observed_at`,
        `${CLUSTERS}.error`,
        `${CLUSTERS}.demo`,
      )
      .orderBy([`${POOLS}.cluster`, `${POOLS}.name`]);
    return rows.map(r => ({
      ...JSON.parse(r.observation),
      observedAt: iso(r.observed_at)!,
      stale: r.error !== null && r.error !== undefined,
      demo: Boolean(r.demo),
    }));
  }

  async listWorkloads(): Promise<ModelWorkloadsResponse['items']> {
    const rows = await this.db(WORKLOADS)
      .join(CLUSTERS, `${WORKLOADS}.cluster`, `${CLUSTERS}.name`)
      .select(
        `${WORKLOADS}.observation`,
        `${WORKLOADS}.observed_at`,
        `${CLUSTERS}.error`,
      )
      .orderBy([
        `${WORKLOADS}.cluster`,
        `${WORKLOADS}.namespace`,
        `${WORKLOADS}.name`,
      ]);
    return rows.map(r => ({
      ...JSON.parse(r.observation),
      observedAt: iso(r.observed_at)!,
      stale: r.error !== null && r.error !== undefined,
    }));
  }

  /** The GPU nodes of the clusters whose connector reports them. */
  async listNodes(): Promise<StoredNode[]> {
    const rows = await this.db(NODES)
      .join(CLUSTERS, `${NODES}.cluster`, `${CLUSTERS}.name`)
      .select(
        `${NODES}.cluster`,
        `${NODES}.observation`,
        `${NODES}.observed_at`,
        `${CLUSTERS}.error`,
      )
      .orderBy([`${NODES}.cluster`, `${NODES}.name`]);
    return rows.map(r => ({
      ...JSON.parse(r.observation),
      cluster: r.cluster,
      observedAt: iso(r.observed_at)!,
      stale: r.error !== null && r.error !== undefined,
    }));
  }

  /** The scheduled pods of model workloads, with their nodes. */
  async listModelPods(): Promise<StoredModelPod[]> {
    const rows = await this.db(PODS)
      .join(CLUSTERS, `${PODS}.cluster`, `${CLUSTERS}.name`)
      .select(`${PODS}.observation`, `${PODS}.observed_at`, `${CLUSTERS}.error`)
      .orderBy([`${PODS}.cluster`, `${PODS}.namespace`, `${PODS}.name`]);
    return rows.map(r => ({
      ...JSON.parse(r.observation),
      observedAt: iso(r.observed_at)!,
      stale: r.error !== null && r.error !== undefined,
    }));
  }
}
