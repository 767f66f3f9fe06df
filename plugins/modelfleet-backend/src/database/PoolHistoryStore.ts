import {
  CapacityType,
  GpuPoolStatus,
} from '@modelfleet/plugin-modelfleet-common';
import { Knex } from 'knex';

const HISTORY = 'modelfleet_pool_history';
const PREEMPTIONS = 'modelfleet_pool_preemptions';

/** What one pool's own history says, as of the last snapshot read. */
export interface PoolHistory {
  cluster: string;
  pool: string;
  capacityType: CapacityType;
  firstObservedAt: string;
  lastObservedAt: string;
  /** Seconds it was watched (between snapshots no further apart than the cap). */
  observedSeconds: number;
  /** Node-seconds over them: the exposure preemptions are counted against. */
  nodeSeconds: number;
  /** Of the seconds watched, those with every node under a reclaim notice. */
  downSeconds: number;
  /** Reclaim notices of its nodes (one per node and notice). */
  preemptions: number;
  lastPreemptionAt?: string;
}

/** The running sums of one pool, as the last snapshot left them. */
export interface PoolHistoryState {
  firstObservedAt: number;
  lastObservedAt: number;
  lastNodes: number;
  lastDown: boolean;
  observedSeconds: number;
  nodeSeconds: number;
  downSeconds: number;
}

/** Whether a pool has no capacity now: every node it has is under a reclaim notice. */
export function poolIsDown(pool: GpuPoolStatus): boolean {
  const noticed = pool.reclaim?.nodes ?? 0;
  return noticed > 0 && noticed >= pool.nodes.current;
}

/**
 * The sums after one more snapshot at `at` (ms): the time since the last
 * one counts with the last one's nodes and state (it held until this one
 * was taken), unless the gap is over `maxGapSeconds` (nobody watched: not
 * counted). A snapshot not newer than the last one changes nothing.
 */
export function advancePoolHistory(
  prev: PoolHistoryState | undefined,
  snapshot: { at: number; nodes: number; down: boolean },
  maxGapSeconds: number,
): PoolHistoryState {
  const { at, nodes, down } = snapshot;
  if (!prev) {
    return {
      firstObservedAt: at,
      lastObservedAt: at,
      lastNodes: nodes,
      lastDown: down,
      observedSeconds: 0,
      nodeSeconds: 0,
      downSeconds: 0,
    };
  }
  if (!(at > prev.lastObservedAt)) return prev;
  const gap = (at - prev.lastObservedAt) / 1000;
  const counted = gap <= maxGapSeconds ? gap : 0;
  return {
    firstObservedAt: prev.firstObservedAt,
    lastObservedAt: at,
    lastNodes: nodes,
    lastDown: down,
    observedSeconds: prev.observedSeconds + counted,
    nodeSeconds: prev.nodeSeconds + counted * prev.lastNodes,
    downSeconds: prev.downSeconds + (prev.lastDown ? counted : 0),
  };
}

const ms = (v: unknown) => new Date(v as string | Date).getTime();

/**
 * Each spot pool's own preemption and availability history, kept from
 * the cluster snapshots (`modelfleet_pool_history`,
 * `modelfleet_pool_preemptions`). Written by one global loop; read by
 * the arbitrage's risk of a pool.
 */
export class PoolHistoryStore {
  constructor(
    private readonly db: Knex,
    private readonly options: {
      /** A gap between snapshots over this is not counted. */
      maxGapSeconds: number;
      /**
       * A node seen under a notice again within this many seconds of its
       * last sighting is under the same notice (a handler that sets no
       * `timeAdded` gives each read its own time).
       */
      episodeSeconds: number;
    } = { maxGapSeconds: 600, episodeSeconds: 1800 },
  ) {}

  /**
   * Adds the snapshots of the spot pools (stale ones are skipped: their
   * cluster could not be read); returns how many pools and new notices.
   */
  async record(
    pools: GpuPoolStatus[],
  ): Promise<{ pools: number; notices: number }> {
    let counted = 0;
    let notices = 0;
    for (const pool of pools) {
      if (pool.stale || pool.capacityType !== 'spot') continue;
      const at = ms(pool.observedAt);
      if (!Number.isFinite(at)) continue;
      counted += 1;
      notices += await this.db.transaction(async tx => {
        await this.advance(tx, pool, at);
        return this.recordNotices(tx, pool, at);
      });
    }
    return { pools: counted, notices };
  }

  private async advance(tx: Knex.Transaction, pool: GpuPoolStatus, at: number) {
    const key = { cluster: pool.cluster, pool: pool.name };
    const [row] = await tx(HISTORY).where(key);
    const prev: PoolHistoryState | undefined = row
      ? {
          firstObservedAt: ms(row.first_observed_at),
          lastObservedAt: ms(row.last_observed_at),
          lastNodes: Number(row.last_nodes),
          lastDown: Boolean(row.last_down),
          observedSeconds: Number(row.observed_seconds),
          nodeSeconds: Number(row.node_seconds),
          downSeconds: Number(row.down_seconds),
        }
      : undefined;
    const next = advancePoolHistory(
      prev,
      { at, nodes: pool.nodes.current, down: poolIsDown(pool) },
      this.options.maxGapSeconds,
    );
    if (next === prev) return;
    const values = {
      capacity_type: pool.capacityType,
      first_observed_at: new Date(next.firstObservedAt),
      last_observed_at: new Date(next.lastObservedAt),
      last_nodes: next.lastNodes,
      last_down: next.lastDown,
      observed_seconds: next.observedSeconds,
      node_seconds: next.nodeSeconds,
      down_seconds: next.downSeconds,
    };
    if (row) await tx(HISTORY).where(key).update(values);
    else await tx(HISTORY).insert({ ...key, ...values });
  }

  /** Stores the notices not seen before; returns how many. */
  private async recordNotices(
    tx: Knex.Transaction,
    pool: GpuPoolStatus,
    at: number,
  ): Promise<number> {
    let added = 0;
    const seenAt = new Date(at);
    for (const n of pool.reclaim?.notices ?? []) {
      const noticedAt = ms(n.noticedAt);
      if (!n.node || !Number.isFinite(noticedAt)) continue;
      const [same] = await tx(PREEMPTIONS)
        .where({ cluster: pool.cluster, node: n.node })
        .andWhere(
          'last_seen_at',
          '>=',
          new Date(at - this.options.episodeSeconds * 1000),
        )
        .orderBy('noticed_at', 'desc')
        .limit(1);
      if (same) {
        if (ms(same.last_seen_at) < at) {
          await tx(PREEMPTIONS)
            .where({
              cluster: pool.cluster,
              node: n.node,
              noticed_at: same.noticed_at,
            })
            .update({ last_seen_at: seenAt });
        }
        continue;
      }
      await tx(PREEMPTIONS).insert({
        cluster: pool.cluster,
        pool: pool.name,
        node: n.node,
        noticed_at: new Date(Math.min(noticedAt, at)),
        last_seen_at: seenAt,
      });
      added += 1;
    }
    return added;
  }

  /** Every pool's history, with its preemptions counted. */
  async list(): Promise<PoolHistory[]> {
    const rows = await this.db(HISTORY).orderBy(['cluster', 'pool']);
    const counts: Array<{
      cluster: string;
      pool: string;
      n: number | string;
      last: unknown;
    }> = await this.db(PREEMPTIONS)
      .select('cluster', 'pool')
      .count({ n: '*' })
      .max({ last: 'noticed_at' })
      .groupBy('cluster', 'pool');
    const byPool = new Map(
      counts.map(c => [`${c.cluster}/${c.pool}`, c] as const),
    );
    return rows.map(r => {
      const c = byPool.get(`${r.cluster}/${r.pool}`);
      return {
        cluster: r.cluster,
        pool: r.pool,
        capacityType: r.capacity_type,
        firstObservedAt: new Date(ms(r.first_observed_at)).toISOString(),
        lastObservedAt: new Date(ms(r.last_observed_at)).toISOString(),
        observedSeconds: Number(r.observed_seconds),
        nodeSeconds: Number(r.node_seconds),
        downSeconds: Number(r.down_seconds),
        preemptions: Number(c?.n ?? 0),
        ...(c?.last
          ? { lastPreemptionAt: new Date(ms(c.last)).toISOString() }
          : {}),
      };
    });
  }
}
