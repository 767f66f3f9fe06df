import {
  CostBreakdownItem,
  CostPoint,
  CostProvenance,
  poolEntityName,
} from '@modelfleet/plugin-modelfleet-common';
import { ClusterSnapshot } from '@modelfleet/plugin-modelfleet-node';
import { Knex } from 'knex';
import {
  CostRow,
  PoolSampleLike,
  WorkloadSampleLike,
} from '../engines/showback';

const POOL_SAMPLES = 'modelfleet_pool_samples';
const WORKLOAD_SAMPLES = 'modelfleet_workload_samples';
const COST = 'modelfleet_cost_daily';
const ANOMALIES = 'modelfleet_cost_anomalies';
const TOP = 'modelfleet_cost_top';
const VERSION = 'modelfleet_cost_version';

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

/** Figures of one scope over a period, summed. */
export interface CostSums extends CostPoint {
  busyGpuHours: number | null;
  memUsedMiBHours: number | null;
  metricHours: number | null;
  tokens: number | null;
  requests: number | null;
  spotNodeHours: number;
  nodeHours: number;
}

/** A stored anomaly. */
export interface AnomalyRow {
  day: string;
  scope: CostRow['scope'];
  entityRef: string;
  teamRef: string;
  costUsd: number;
  baselineUsd: number;
  score: number;
  direction: 'spike' | 'drop';
  notifiedAt?: string;
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const poolRefOf = (cluster: string, pool: string) =>
  `gpupool:default/${poolEntityName(cluster, pool)}`;

/** SQL of the summed figures, for the select of a grouped query. */
const SUMS = [
  'sum(cost_usd) as cost_usd',
  'sum(idle_usd) as idle_usd',
  'sum(gpu_hours) as gpu_hours',
  'sum(busy_gpu_hours) as busy_gpu_hours',
  'sum(mem_used_mib_hours) as mem_used_mib_hours',
  'sum(metric_hours) as metric_hours',
  'sum(tokens) as tokens',
  'sum(requests) as requests',
  'sum(spot_node_hours) as spot_node_hours',
  'sum(node_hours) as node_hours',
].join(', ');

function toSums(r: any, date = ''): CostSums {
  return {
    date: r.day ?? date,
    costUsd: Number(r.cost_usd ?? 0),
    idleUsd: Number(r.idle_usd ?? 0),
    gpuHours: Number(r.gpu_hours ?? 0),
    busyGpuHours: num(r.busy_gpu_hours),
    memUsedMiBHours: num(r.mem_used_mib_hours),
    metricHours: num(r.metric_hours),
    tokens: num(r.tokens),
    requests: num(r.requests),
    spotNodeHours: Number(r.spot_node_hours ?? 0),
    nodeHours: Number(r.node_hours ?? 0),
  };
}

/**
 * Usage samples, daily cost roll-ups and anomalies. Samples are kept raw;
 * a day's roll-up rows are replaced as a whole, in one transaction, so a
 * re-run of the roll-up changes nothing and a crash leaves the old rows.
 *
 * @internal
 */
export class ShowbackStore {
  /** Expects the plugin's migrations to have run (DatabaseModelFleetStore). */
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

  /** Replaces every roll-up row of `day` with `rows`, atomically. */
  async replaceDay(day: string, rows: CostRow[]): Promise<void> {
    const insert = rows.map(r => ({
      day,
      scope: r.scope,
      entity_ref: r.entityRef,
      team_ref: r.teamRef,
      pool_ref: r.scope === 'model' ? r.poolRef : '',
      cost_usd: r.costUsd,
      idle_usd: r.idleUsd,
      gpu_hours: r.gpuHours,
      busy_gpu_hours: r.busyGpuHours,
      mem_used_mib_hours: r.memUsedMiBHours,
      metric_hours: r.metricHours,
      tokens: r.tokens,
      requests: r.requests,
      spot_node_hours: r.spotNodeHours,
      node_hours: r.nodeHours,
      provenance: JSON.stringify(r.provenance),
      demo: r.demo,
    }));
    await this.db.transaction(async tx => {
      await tx(VERSION).where({ id: 1 }).increment('version', 1);
      await tx(COST).where({ day }).delete();
      for (let i = 0; i < insert.length; i += 250) {
        await tx(COST).insert(insert.slice(i, i + 250));
      }
    });
  }

  /** Changes whenever roll-up rows change (each replaced day counts). */
  async rollupVersion(): Promise<string> {
    const r = await this.db(VERSION).where({ id: 1 }).first('version');
    return String(r?.version ?? 0);
  }

  /** Stored costliest models of a period, with the roll-up version they came from. */
  async storedTop(
    from: string,
    to: string,
  ): Promise<{ version: string; items: CostBreakdownItem[] } | undefined> {
    const r = await this.db(TOP).where({ from_day: from, to_day: to }).first();
    return r ? { version: r.version, items: JSON.parse(r.items) } : undefined;
  }

  /** Stores the costliest models of a period, replacing what was stored. */
  async storeTop(
    from: string,
    to: string,
    version: string,
    items: CostBreakdownItem[],
  ): Promise<void> {
    await this.db(TOP)
      .insert({
        from_day: from,
        to_day: to,
        version,
        items: JSON.stringify(items),
      })
      .onConflict(['from_day', 'to_day'])
      .merge(['version', 'items']);
  }

  /** Days in [from, to) that have roll-up rows. */
  async rolledDays(from: string, to: string): Promise<string[]> {
    const rows = await this.db(COST)
      .distinct('day')
      .where({ scope: 'fleet' })
      .andWhere('day', '>=', from)
      .andWhere('day', '<', to)
      .orderBy('day');
    return rows.map(r => r.day);
  }

  /** Daily figures of one entity (or the fleet, entityRef ''), summed over its pools. */
  async daily(
    scope: CostRow['scope'],
    entityRef: string,
    from: string,
    to: string,
  ): Promise<CostSums[]> {
    const rows = await this.db(COST)
      .select('day', this.db.raw(SUMS))
      .where({ scope, entity_ref: entityRef })
      .andWhere('day', '>=', from)
      .andWhere('day', '<', to)
      .groupBy('day')
      .orderBy('day');
    return rows.map(r => toSums(r));
  }

  /** Figures of one entity summed over the period. */
  async total(
    scope: CostRow['scope'],
    entityRef: string,
    from: string,
    to: string,
  ): Promise<CostSums> {
    const [r] = await this.db(COST)
      .select(this.db.raw(SUMS))
      .where({ scope, entity_ref: entityRef })
      .andWhere('day', '>=', from)
      .andWhere('day', '<', to);
    return toSums(r ?? {});
  }

  /**
   * The entities of `scope` summed over the period, largest cost first,
   * optionally only those of a team (model rows) or on a pool (model rows).
   */
  async breakdown(options: {
    scope: CostRow['scope'];
    from: string;
    to: string;
    teamRef?: string;
    poolRef?: string;
    entityRef?: string;
    by?: 'entity_ref' | 'pool_ref';
    limit?: number;
  }): Promise<Array<{ entityRef: string } & CostSums>> {
    const by = options.by ?? 'entity_ref';
    let q = this.db(COST)
      .select(`${by} as ref`, this.db.raw(SUMS))
      .where({ scope: options.scope })
      .andWhere('day', '>=', options.from)
      .andWhere('day', '<', options.to);
    if (options.teamRef !== undefined)
      q = q.andWhere({ team_ref: options.teamRef });
    if (options.poolRef !== undefined)
      q = q.andWhere({ pool_ref: options.poolRef });
    if (options.entityRef !== undefined) {
      q = q.andWhere({ entity_ref: options.entityRef });
    }
    q = q.groupBy(by).orderBy('cost_usd', 'desc');
    if (options.limit) q = q.limit(options.limit);
    const rows = await q;
    return rows.map(r => ({ entityRef: r.ref, ...toSums(r) }));
  }

  /** The distinct prices behind an entity's rows in the period. */
  async provenance(
    scope: CostRow['scope'],
    entityRef: string,
    from: string,
    to: string,
  ): Promise<CostProvenance[]> {
    const rows = await this.db(COST)
      .distinct('provenance')
      .where({ scope, entity_ref: entityRef })
      .andWhere('day', '>=', from)
      .andWhere('day', '<', to)
      .limit(50);
    const out = new Map<string, CostProvenance>();
    for (const r of rows) {
      for (const p of JSON.parse(r.provenance) as CostProvenance[]) {
        out.set(`${p.source}|${p.subject}|${p.observedAt}`, p);
      }
    }
    return [...out.values()];
  }

  /** Whether any row of the entity in the period is demo data. */
  async isDemo(
    scope: CostRow['scope'],
    entityRef: string,
    from: string,
    to: string,
  ): Promise<boolean> {
    const r = await this.db(COST)
      .where({ scope, entity_ref: entityRef, demo: true })
      .andWhere('day', '>=', from)
      .andWhere('day', '<', to)
      .first('id');
    return Boolean(r);
  }

  /** The team a model's rows of a day are charged to. */
  async teamOfModel(modelRef: string, day: string): Promise<string> {
    const r = await this.db(COST)
      .where({ scope: 'model', entity_ref: modelRef, day })
      .first('team_ref');
    return r?.team_ref ?? '';
  }

  /** Records anomalies not recorded yet; returns the new ones. */
  async recordAnomalies(
    anomalies: AnomalyRow[],
    detectedAt: Date,
  ): Promise<AnomalyRow[]> {
    const fresh: AnomalyRow[] = [];
    for (const a of anomalies) {
      const inserted = await this.db(ANOMALIES)
        .insert({
          day: a.day,
          scope: a.scope,
          entity_ref: a.entityRef,
          team_ref: a.teamRef,
          cost_usd: a.costUsd,
          baseline_usd: a.baselineUsd,
          score: a.score,
          direction: a.direction,
          detected_at: detectedAt,
        })
        .onConflict(['scope', 'entity_ref', 'day'])
        .ignore()
        .returning('id');
      if (inserted.length) fresh.push(a);
    }
    return fresh;
  }

  async markNotified(a: AnomalyRow, at: Date): Promise<void> {
    await this.db(ANOMALIES)
      .where({ scope: a.scope, entity_ref: a.entityRef, day: a.day })
      .update({ notified_at: at });
  }

  /** Anomalies in [from, to), for an entity, a team's entities, or all. */
  async anomalies(options: {
    from: string;
    to: string;
    entityRef?: string;
    teamRef?: string;
  }): Promise<AnomalyRow[]> {
    let q = this.db(ANOMALIES)
      .where('day', '>=', options.from)
      .andWhere('day', '<', options.to);
    if (options.entityRef) q = q.andWhere({ entity_ref: options.entityRef });
    if (options.teamRef) {
      const team = options.teamRef;
      q = q.andWhere(b =>
        b.where({ team_ref: team }).orWhere({ entity_ref: team }),
      );
    }
    const rows = await q.orderBy('day', 'desc').limit(200);
    return rows.map(r => ({
      day: r.day,
      scope: r.scope,
      entityRef: r.entity_ref,
      teamRef: r.team_ref,
      costUsd: Number(r.cost_usd),
      baselineUsd: Number(r.baseline_usd),
      score: Number(r.score),
      direction: r.direction,
      ...(r.notified_at
        ? { notifiedAt: new Date(r.notified_at).toISOString() }
        : {}),
    }));
  }
}
