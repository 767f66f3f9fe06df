import {
  CostBreakdownItem,
  CostProvenance,
} from '@modelfleet/plugin-modelfleet-common';
import { ClusterSnapshot } from '@modelfleet/plugin-modelfleet-node';
import { Knex } from 'knex';
import { CostRow, eachDay } from '../engines/showback';
import { CostAnomalies } from './CostAnomalies';
import { ShowbackSamples } from './ShowbackSamples';
import {
  AnomalyRow,
  CostSums,
  FIGURES,
  IndexRow,
  KEY,
  keyOf,
  SUMS,
  toIndexRow,
  toSums,
} from './showbackRows';

export type { PoolSample, WorkloadSample } from './ShowbackSamples';

const COST = 'modelfleet_cost_daily';
const TOP = 'modelfleet_cost_top';
const VERSION = 'modelfleet_cost_version';
const DAYS = 'modelfleet_cost_days';

export type { AnomalyRow, CostSums, IndexRow } from './showbackRows';

/**
 * Usage samples, daily cost roll-ups and anomalies. Samples are kept raw;
 * a day's roll-up rows are replaced as a whole, in one transaction, so a
 * re-run of the roll-up changes nothing and a crash leaves the old rows.
 *
 * @internal
 */
export class ShowbackStore {
  private readonly raw: ShowbackSamples;
  private readonly anomalyRows: CostAnomalies;
  private replaced = 0;

  /** Expects the plugin's migrations to have run (DatabaseModelFleetStore). */
  constructor(private readonly db: Knex) {
    this.raw = new ShowbackSamples(db);
    this.anomalyRows = new CostAnomalies(db);
  }

  /** Stores what a snapshot saw, standing for `seconds` from its time on. Recording it again adds nothing. */
  recordSnapshot(snapshot: ClusterSnapshot, seconds: number): Promise<void> {
    return this.raw.recordSnapshot(snapshot, seconds);
  }

  /** The samples taken in [start, end). */
  samples(start: Date, end: Date) {
    return this.raw.samples(start, end);
  }

  /** Time of the oldest and newest pool sample, if any. */
  sampleRange() {
    return this.raw.sampleRange();
  }

  /** Whether a cluster has a sample in [start, end). */
  hasSamples(cluster: string, start: Date, end: Date): Promise<boolean> {
    return this.raw.hasSamples(cluster, start, end);
  }

  /** Whether any workload was ever sampled (and not pruned). */
  hasWorkloadSamples(): Promise<boolean> {
    return this.raw.hasWorkloadSamples();
  }

  /** Deletes samples older than `before`; returns how many. */
  pruneSamples(before: Date): Promise<number> {
    return this.raw.pruneSamples(before);
  }

  /**
   * Replaces every roll-up row of `day` with `rows`, atomically; `alsoIn`
   * writes what is derived from the same day (the savings ledger) in the
   * same transaction.
   */
  async replaceDay(
    day: string,
    rows: CostRow[],
    alsoIn?: (tx: Knex.Transaction) => Promise<void>,
  ): Promise<void> {
    const insert = rows.map(r => ({
      day,
      scope: r.scope,
      entity_ref: r.entityRef,
      team_ref: r.teamRef,
      pool_ref: r.scope === 'model' ? r.poolRef : '',
      cost_usd: r.costUsd,
      idle_usd: r.idleUsd,
      unused_usd: r.unusedUsd,
      gpu_hours: r.gpuHours,
      saved_gpu_hours: r.savedGpuHours,
      saved_usd: r.savedUsd,
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
      // The increment locks the version row: replacements are serialized,
      // and a day's version is never below one a reader has seen.
      await tx(VERSION).where({ id: 1 }).increment('version', 1);
      const { version } = await tx(VERSION).where({ id: 1 }).first('version');
      await tx(DAYS).insert({ day, version }).onConflict('day').merge();
      // Rows that stay are updated in place, which leaves the indexes of
      // their key alone (twice as fast on SQLite as delete and insert);
      // rows that go are deleted.
      const keep = new Set(insert.map(keyOf));
      const stale = (
        await tx(COST)
          .where({ day })
          .select('id', ...KEY.slice(0, 3))
      )
        .filter(r => !keep.has(keyOf(r)))
        .map(r => r.id);
      for (let i = 0; i < stale.length; i += 500) {
        await tx(COST)
          .whereIn('id', stale.slice(i, i + 500))
          .delete();
      }
      for (let i = 0; i < insert.length; i += 250) {
        await tx(COST)
          .insert(insert.slice(i, i + 250))
          .onConflict(KEY)
          .merge(FIGURES);
      }
      if (alsoIn) await alsoIn(tx);
    });
    this.replaced += 1;
  }

  /** Days this instance replaced so far: a read of the version started before one is out of date. */
  get replacedDays(): number {
    return this.replaced;
  }

  /** Changes whenever roll-up rows change (each replaced day counts). */
  async rollupVersion(): Promise<string> {
    const r = await this.db(VERSION).where({ id: 1 }).first('version');
    return String(r?.version ?? 0);
  }

  /** Days replaced after roll-up version `version`, oldest first. */
  async daysChangedSince(version: string): Promise<string[]> {
    const rows = await this.db(DAYS)
      .where('version', '>', version)
      .orderBy('day')
      .select('day');
    return rows.map(r => r.day);
  }

  /** The first and the last day with roll-up rows, if any. */
  async dayRange(): Promise<{ first: string; last: string } | undefined> {
    // Two queries: each is one step down the day index.
    const [first] = await this.db(COST).min({ day: 'day' });
    const [last] = await this.db(COST).max({ day: 'day' });
    return first?.day ? { first: first.day, last: last.day } : undefined;
  }

  /** How many roll-up rows `day` has. */
  async rowsOfDay(day: string): Promise<number> {
    const [r] = await this.db(COST).where({ day }).count({ n: '*' });
    return Number(r?.n ?? 0);
  }

  /**
   * The rows of a day as an in-memory index keeps them: what the
   * breakdowns sum, the prices (as stored, JSON) and the demo flag.
   */
  async rowsForIndex(day: string): Promise<IndexRow[]> {
    const rows = await this.db(COST)
      .where({ day })
      .select(
        'scope',
        'entity_ref',
        'team_ref',
        'pool_ref',
        'cost_usd',
        'idle_usd',
        'unused_usd',
        'gpu_hours',
        'saved_gpu_hours',
        'saved_usd',
        'provenance',
        'demo',
      );
    return rows.map(toIndexRow);
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

  /**
   * Cost of each entity of the scopes on each day of [from, to) with rows,
   * summed over its pools, by scope. A query per day (on the day index),
   * with a turn of the event loop after each: on a synchronous driver no
   * statement runs long, and requests are served in between.
   */
  async costsByDay(
    scopes: Array<CostRow['scope']>,
    from: string,
    to: string,
  ): Promise<Map<string, Map<string, Map<string, number>>>> {
    const out = new Map(scopes.map(s => [s, new Map()]));
    for (const day of eachDay(from, to)) {
      const rows = await this.db(COST)
        .where({ day })
        .groupBy('scope', 'entity_ref')
        .select('scope', 'entity_ref', this.db.raw('sum(cost_usd) as cost'));
      for (const r of rows) {
        const scope = out.get(r.scope);
        if (!scope) continue;
        let byDay = scope.get(r.entity_ref);
        if (!byDay) {
          byDay = new Map();
          scope.set(r.entity_ref, byDay);
        }
        byDay.set(day, Number(r.cost));
      }
      await new Promise(resolve => setImmediate(resolve));
    }
    return out;
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
  recordAnomalies(anomalies: AnomalyRow[], detectedAt: Date) {
    return this.anomalyRows.record(anomalies, detectedAt);
  }

  markNotified(a: AnomalyRow, at: Date): Promise<void> {
    return this.anomalyRows.markNotified(a, at);
  }

  /** Anomalies in [from, to), for an entity, a team's entities, or all. */
  anomalies(options: {
    from: string;
    to: string;
    entityRef?: string;
    teamRef?: string;
  }): Promise<AnomalyRow[]> {
    return this.anomalyRows.list(options);
  }
}
