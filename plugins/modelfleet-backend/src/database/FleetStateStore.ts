import {
  ClusterInfo,
  ClusterStatus,
  GpuPoolStatus,
  ModelWorkloadsResponse,
} from '@modelfleet/plugin-modelfleet-common';
import { ClusterSnapshot } from '@modelfleet/plugin-modelfleet-node';
import { Knex } from 'knex';

const CLUSTERS = 'modelfleet_clusters';
const POOLS = 'modelfleet_pools';
const WORKLOADS = 'modelfleet_workloads';

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
}
