import { poolEntityName } from '@modelfleet/plugin-modelfleet-common';
import { ClusterSnapshot } from '@modelfleet/plugin-modelfleet-node';
import { Knex } from 'knex';
import { PoolSampleLike, WorkloadSampleLike } from '../engines/showback';

const POOL_SAMPLES = 'modelfleet_pool_samples';
const WORKLOAD_SAMPLES = 'modelfleet_workload_samples';

/** A pool sample as stored. */
export interface PoolSample extends PoolSampleLike {
  cluster: string;
  pool: string;
  gpuProduct: string;
  gpuMemoryMiB: number | null;
}

/** A workload sample as stored. */
export interface WorkloadSample extends WorkloadSampleLike {
  pool: string;
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const poolRefOf = (cluster: string, pool: string) =>
  `gpupool:default/${poolEntityName(cluster, pool)}`;

/**
 * Raw usage samples of pools and workloads, what the roll-up reads; part
 * of the ShowbackStore.
 *
 * @internal
 */
export class ShowbackSamples {
  constructor(private readonly db: Knex) {}

  /** Stores what a snapshot saw, standing for `seconds` from its time on. Recording it again adds nothing. */
  async recordSnapshot(
    snapshot: ClusterSnapshot,
    seconds: number,
  ): Promise<void> {
    const at = new Date(snapshot.observedAt);
    const demo = Boolean(snapshot.cluster.demo);
    const pools = snapshot.pools.map(p => ({
      sampled_at: at,
      seconds,
      cluster: snapshot.cluster.name,
      pool: p.name,
      provider: p.provider,
      region: p.region ?? snapshot.cluster.region ?? '',
      zone: p.zones.length === 1 ? p.zones[0] : '',
      instance_type: p.instanceType ?? '',
      capacity_type: p.capacityType,
      gpu_product: p.gpu.product,
      gpu_memory_mib: p.gpu.memoryMiB ?? null,
      nodes: p.nodes.current,
      gpus_per_node: p.gpu.perNode,
      units_per_node:
        p.gpu.perNode *
        (p.gpu.sharing === 'whole' ? 1 : p.gpu.replicasPerGpu ?? 1),
      demo,
    }));
    const workloads = snapshot.workloads.map(w => ({
      sampled_at: at,
      seconds,
      cluster: w.cluster || snapshot.cluster.name,
      namespace: w.namespace,
      kind: w.kind,
      name: w.name,
      model_id: w.modelId,
      pool: w.pool ?? '',
      replicas: w.replicas.desired,
      units_per_replica: w.gpusPerReplica,
    }));
    await this.db.transaction(async tx => {
      for (let i = 0; i < pools.length; i += 200) {
        await tx(POOL_SAMPLES)
          .insert(pools.slice(i, i + 200))
          .onConflict(['cluster', 'pool', 'sampled_at'])
          .ignore();
      }
      for (let i = 0; i < workloads.length; i += 200) {
        await tx(WORKLOAD_SAMPLES)
          .insert(workloads.slice(i, i + 200))
          .onConflict(['cluster', 'namespace', 'kind', 'name', 'sampled_at'])
          .ignore();
      }
    });
  }

  /** The samples taken in [start, end). */
  async samples(
    start: Date,
    end: Date,
  ): Promise<{ pools: PoolSample[]; workloads: WorkloadSample[] }> {
    const pools = await this.db(POOL_SAMPLES)
      .where('sampled_at', '>=', start)
      .andWhere('sampled_at', '<', end);
    const workloads = await this.db(WORKLOAD_SAMPLES)
      .where('sampled_at', '>=', start)
      .andWhere('sampled_at', '<', end);
    return {
      pools: pools.map(r => ({
        sampledAt: new Date(r.sampled_at),
        seconds: Number(r.seconds),
        cluster: r.cluster,
        pool: r.pool,
        poolRef: poolRefOf(r.cluster, r.pool),
        provider: r.provider,
        region: r.region,
        zone: r.zone,
        instanceType: r.instance_type,
        capacityType: r.capacity_type,
        gpuProduct: r.gpu_product,
        gpuMemoryMiB: num(r.gpu_memory_mib),
        nodes: Number(r.nodes),
        gpusPerNode: Number(r.gpus_per_node),
        unitsPerNode: Number(r.units_per_node),
        demo: Boolean(r.demo),
      })),
      workloads: workloads.map(r => ({
        sampledAt: new Date(r.sampled_at),
        seconds: Number(r.seconds),
        cluster: r.cluster,
        namespace: r.namespace,
        kind: r.kind,
        name: r.name,
        modelId: r.model_id,
        pool: r.pool,
        poolRef: r.pool ? poolRefOf(r.cluster, r.pool) : '',
        replicas: Number(r.replicas),
        unitsPerReplica: Number(r.units_per_replica),
      })),
    };
  }

  /** Time of the oldest and newest pool sample, if any. */
  async sampleRange(): Promise<{ first: Date; last: Date } | undefined> {
    const [r] = await this.db(POOL_SAMPLES).select(
      this.db.raw('min(sampled_at) as first, max(sampled_at) as last'),
    );
    if (!r?.first) return undefined;
    return { first: new Date(r.first), last: new Date(r.last) };
  }

  /** Whether a cluster has a sample in [start, end). */
  async hasSamples(cluster: string, start: Date, end: Date): Promise<boolean> {
    const r = await this.db(POOL_SAMPLES)
      .where({ cluster })
      .andWhere('sampled_at', '>=', start)
      .andWhere('sampled_at', '<', end)
      .first('id');
    return Boolean(r);
  }

  /** Whether any workload was ever sampled (and not pruned). */
  async hasWorkloadSamples(): Promise<boolean> {
    return Boolean(await this.db(WORKLOAD_SAMPLES).first('id'));
  }

  /** Deletes samples older than `before`; returns how many. */
  async pruneSamples(before: Date): Promise<number> {
    const a = await this.db(POOL_SAMPLES)
      .where('sampled_at', '<', before)
      .delete();
    const b = await this.db(WORKLOAD_SAMPLES)
      .where('sampled_at', '<', before)
      .delete();
    return a + b;
  }
}
