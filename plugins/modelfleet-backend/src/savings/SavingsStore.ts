import {
  ActionStep,
  CapacityType,
  ConsolidationDetails,
  MoveDetails,
} from '@modelfleet/plugin-modelfleet-common';
import { Knex } from 'knex';
import { PreStateWorkload } from './counterfactual';

const DAILY = 'modelfleet_savings_daily';
const DAYS = 'modelfleet_savings_days';
const PRESTATES = 'modelfleet_savings_prestates';
const ACTIONS = 'modelfleet_actions';
const EVENTS = 'modelfleet_action_events';
const COST = 'modelfleet_cost_daily';

/** The action kinds the ledger counts. */
export const COUNTED_KINDS = [
  'migrate',
  'scale',
  'consolidate',
  'poolMinimum',
] as const;

/** The machine of a pool, what prices it on a day it was not observed. */
export interface PoolMachine {
  provider: string;
  region: string;
  zone: string;
  instanceType: string;
  capacityType: CapacityType;
  gpusPerNode: number;
  unitsPerNode: number;
}

/** A pre-state workload as kept: with its pool's machine. */
export type StoredPreWorkload = PreStateWorkload & { machine?: PoolMachine };

/** An applied action the ledger counts. */
export interface AppliedAction {
  id: string;
  kind: (typeof COUNTED_KINDS)[number];
  /** Lower case. */
  entityRef: string;
  steps: ActionStep[];
  details?: MoveDetails;
  /** A consolidation's figures (its pool, the nodes it emptied). */
  consolidation?: ConsolidationDetails;
  startedAt: Date;
  finishedAt: Date;
}

/** One action's saving on one day, as stored. */
export interface LedgerRow {
  day: string;
  actionId: string;
  kind: string;
  entityRef: string;
  teamRef: string;
  poolRef: string;
  summary: string;
  appliedAt: Date;
  beforeUsd: number;
  afterUsd: number;
  savedUsd: number;
  hours: number;
}

/** Which rows a ledger read covers: days [from, to] inclusive, and a scope. */
export interface LedgerFilter {
  from: string;
  to: string;
  teamRef?: string;
  entityRef?: string;
}

const when = (v: Date | string | number) => new Date(v);

function scoped<T extends Knex.QueryBuilder>(q: T, f: LedgerFilter): T {
  let out = q.andWhere('day', '>=', f.from).andWhere('day', '<=', f.to);
  if (f.teamRef !== undefined) out = out.andWhere('team_ref', f.teamRef);
  if (f.entityRef !== undefined) out = out.andWhere('entity_ref', f.entityRef);
  return out as T;
}

/** A month key, `YYYY-MM`, of a day column, in SQL both databases speak. */
const MONTH = 'substr(day, 1, 7)';

/**
 * The savings ledger's tables: the daily rows the roll-up writes, the
 * days it wrote, and the pre-states of the actions it counts; and the
 * reads of `GET /savings`.
 *
 * @internal
 */
export class SavingsStore {
  constructor(private readonly db: Knex) {}

  /** Succeeded `migrate` and `scale` actions that finished in [from, to). */
  async appliedActions(from: Date, to: Date): Promise<AppliedAction[]> {
    const rows = await this.db(ACTIONS)
      .where('state', 'done')
      .whereIn('kind', [...COUNTED_KINDS])
      .andWhere('finished_at', '>=', from)
      .andWhere('finished_at', '<', to)
      .select('id', 'kind', 'entity_ref', 'steps', 'details', 'created_at')
      .select('finished_at');
    if (!rows.length) return [];
    const started = new Map<string, Date>();
    const ids = rows.map(r => r.id);
    for (let i = 0; i < ids.length; i += 500) {
      const events = await this.db(EVENTS)
        .whereIn('action_id', ids.slice(i, i + 500))
        .andWhere({ from_state: 'planned', to_state: 'applying' })
        .groupBy('action_id')
        .select('action_id', this.db.raw('min(at) as at'));
      for (const e of events) started.set(e.action_id, when(e.at));
    }
    return rows.map(r => ({
      id: r.id,
      kind: r.kind,
      entityRef: String(r.entity_ref).toLocaleLowerCase('en-US'),
      steps: JSON.parse(r.steps),
      ...(r.details
        ? {
            [['consolidate', 'poolMinimum'].includes(r.kind)
              ? 'consolidation'
              : 'details']: JSON.parse(r.details),
          }
        : {}),
      startedAt: started.get(r.id) ?? when(r.created_at),
      finishedAt: when(r.finished_at),
    }));
  }

  /** The kept pre-states of actions. */
  async preStates(ids: string[]): Promise<Map<string, StoredPreWorkload[]>> {
    const out = new Map<string, StoredPreWorkload[]>();
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.db(PRESTATES)
        .whereIn('action_id', ids.slice(i, i + 500))
        .select('action_id', 'workloads');
      for (const r of rows) out.set(r.action_id, JSON.parse(r.workloads));
    }
    return out;
  }

  /** Keeps an action's pre-state; one kept already stands. */
  async keepPreState(
    actionId: string,
    startedAt: Date,
    workloads: StoredPreWorkload[],
  ): Promise<void> {
    await this.db(PRESTATES)
      .insert({
        action_id: actionId,
        started_at: startedAt,
        workloads: JSON.stringify(workloads),
      })
      .onConflict('action_id')
      .ignore();
  }

  /** Replaces a day's ledger rows, inside the roll-up's transaction. */
  async writeDay(
    tx: Knex.Transaction,
    day: string,
    rows: LedgerRow[],
    at: Date,
  ): Promise<void> {
    await tx(DAILY).where({ day }).delete();
    const insert = rows.map(r => ({
      day,
      source: 'action',
      action_id: r.actionId,
      kind: r.kind,
      entity_ref: r.entityRef,
      team_ref: r.teamRef,
      pool_ref: r.poolRef,
      summary: r.summary,
      applied_at: r.appliedAt,
      before_usd: r.beforeUsd,
      after_usd: r.afterUsd,
      saved_usd: r.savedUsd,
      hours: r.hours,
    }));
    for (let i = 0; i < insert.length; i += 200) {
      await tx(DAILY).insert(insert.slice(i, i + 200));
    }
    await tx(DAYS)
      .insert({ day, written_at: at })
      .onConflict('day')
      .merge(['written_at']);
  }

  /** Every action's rows in the period, summed per action. */
  async actionLines(f: LedgerFilter) {
    const rows = await scoped(this.db(DAILY), f)
      .groupBy('action_id')
      .select(
        'action_id',
        this.db.raw('max(kind) as kind'),
        this.db.raw('max(entity_ref) as entity_ref'),
        this.db.raw('max(team_ref) as team_ref'),
        this.db.raw('max(summary) as summary'),
        this.db.raw('max(applied_at) as applied_at'),
        this.db.raw('min(day) as first_day'),
        this.db.raw('max(day) as last_day'),
        this.db.raw('sum(before_usd) as before_usd'),
        this.db.raw('sum(after_usd) as after_usd'),
        this.db.raw('sum(saved_usd) as saved_usd'),
      );
    return rows.map(r => ({
      actionId: r.action_id as string,
      kind: r.kind as string,
      entityRef: r.entity_ref as string,
      teamRef: r.team_ref as string,
      summary: r.summary as string,
      appliedAt: when(r.applied_at).toISOString(),
      firstDay: r.first_day as string,
      lastDay: r.last_day as string,
      beforeUsd: Number(r.before_usd),
      afterUsd: Number(r.after_usd),
      savedUsd: Number(r.saved_usd),
    }));
  }

  /** Hibernation savings of each model in the period, from the showback rows. */
  async hibernationLines(f: LedgerFilter) {
    const rows = await scoped(
      this.db(COST).where({ scope: 'model' }).andWhere('saved_usd', '!=', 0),
      f,
    )
      .groupBy('entity_ref')
      .select(
        'entity_ref',
        this.db.raw('max(team_ref) as team_ref'),
        this.db.raw('min(day) as first_day'),
        this.db.raw('max(day) as last_day'),
        this.db.raw('sum(saved_usd) as saved_usd'),
      );
    return rows.map(r => ({
      entityRef: r.entity_ref as string,
      teamRef: r.team_ref as string,
      firstDay: r.first_day as string,
      lastDay: r.last_day as string,
      savedUsd: Number(r.saved_usd),
    }));
  }

  /**
   * Per model, team and month: showback's cost of the model rows (what the
   * cost routes sum) and the ledger's and hibernation's savings.
   */
  async sums(f: LedgerFilter) {
    const cost = await scoped(this.db(COST).where({ scope: 'model' }), f)
      .groupBy('entity_ref', 'team_ref', this.db.raw(MONTH))
      .select(
        'entity_ref',
        'team_ref',
        this.db.raw(`${MONTH} as month`),
        this.db.raw('sum(cost_usd) as cost_usd'),
        this.db.raw('sum(saved_usd) as saved_usd'),
      );
    const ledger = await scoped(this.db(DAILY), f)
      .groupBy('entity_ref', 'team_ref', this.db.raw(MONTH))
      .select(
        'entity_ref',
        'team_ref',
        this.db.raw(`${MONTH} as month`),
        this.db.raw('sum(saved_usd) as saved_usd'),
      );
    type Sum = {
      entityRef: string;
      teamRef: string;
      month: string;
      afterUsd: number;
      savedUsd: number;
    };
    const out = new Map<string, Sum>();
    const add = (r: any, afterUsd: number, savedUsd: number) => {
      const key = `${r.entity_ref}\u0000${r.team_ref}\u0000${r.month}`;
      const had = out.get(key) ?? {
        entityRef: r.entity_ref,
        teamRef: r.team_ref,
        month: r.month,
        afterUsd: 0,
        savedUsd: 0,
      };
      had.afterUsd += afterUsd;
      had.savedUsd += savedUsd;
      out.set(key, had);
    };
    for (const r of cost) add(r, Number(r.cost_usd), Number(r.saved_usd));
    for (const r of ledger) add(r, 0, Number(r.saved_usd));
    return [...out.values()];
  }

  /** When the roll-up last wrote ledger days, if it has. */
  async updatedAt(): Promise<Date | undefined> {
    const [r] = await this.db(DAYS).max({ at: 'written_at' });
    return r?.at ? when(r.at) : undefined;
  }
}
