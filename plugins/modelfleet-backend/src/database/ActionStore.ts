import {
  ActionEvent,
  ActionKind,
  ActionState,
  ActionStep,
  FINAL_ACTION_STATES,
  ModelFleetAction,
  FallbackDetails,
  MoveDetails,
  ConsolidationDetails,
  ObjectDiff,
} from '@modelfleet/plugin-modelfleet-common';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { ActionProgress } from '../engines/actions/stateMachine';

const ACTIONS = 'modelfleet_actions';
const EVENTS = 'modelfleet_action_events';
/** The field of `ModelFleetAction` the `details` column fills, by kind. */
const DETAILS_FIELD: Partial<
  Record<ActionKind, 'details' | 'fallback' | 'consolidation'>
> = {
  'spot-fallback': 'fallback',
  consolidate: 'consolidation',
  poolMinimum: 'consolidation',
};

/** What is needed to store a new action. */
export interface NewAction {
  idempotencyKey: string;
  kind: ActionKind;
  entityRef: string;
  cluster: string;
  steps: ActionStep[];
  dryRun: boolean;
  requestedBy: string;
  reason: string;
  diff?: ObjectDiff[];
  details?: MoveDetails;
  fallback?: FallbackDetails;
  consolidation?: ConsolidationDetails;
}

/** A stored action, with when its current step was first tried. */
export type StoredAction = ModelFleetAction & { stepStartedAt?: string };

type Row = {
  id: string;
  idempotency_key: string;
  kind: ActionKind;
  entity_ref: string;
  cluster: string;
  steps: string;
  state: ActionState;
  step_index: number;
  step_started_at: Date | string | number | null;
  attempts: number;
  last_error: string | null;
  next_attempt_at: Date | string | number | null;
  lease_owner: string | null;
  lease_expires_at: Date | string | number | null;
  version: number;
  dry_run: boolean | number;
  requested_by: string;
  approved_by: string | null;
  reason: string;
  diff: string | null;
  details?: string | null;
  created_at: Date | string | number;
  updated_at: Date | string | number;
  finished_at: Date | string | number | null;
};

const iso = (v: Date | string | number | null | undefined) =>
  v === null || v === undefined ? undefined : new Date(v).toISOString();
const date = (v: string | undefined) => (v ? new Date(v) : null);

function fromRow(r: Row): StoredAction {
  const optional = <K extends string, V>(key: K, value: V | undefined) =>
    value === undefined ? {} : ({ [key]: value } as Record<K, V>);
  return {
    id: r.id,
    idempotencyKey: r.idempotency_key,
    kind: r.kind,
    entityRef: r.entity_ref,
    cluster: r.cluster,
    steps: JSON.parse(r.steps),
    state: r.state,
    stepIndex: Number(r.step_index),
    attempts: Number(r.attempts),
    ...optional('lastError', r.last_error ?? undefined),
    ...optional('nextAttemptAt', iso(r.next_attempt_at)),
    ...optional('leaseOwner', r.lease_owner ?? undefined),
    ...optional('leaseExpiresAt', iso(r.lease_expires_at)),
    version: Number(r.version),
    dryRun: Boolean(r.dry_run),
    requestedBy: r.requested_by,
    ...optional('approvedBy', r.approved_by ?? undefined),
    reason: r.reason,
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
    ...optional('finishedAt', iso(r.finished_at)),
    ...optional('diff', r.diff ? JSON.parse(r.diff) : undefined),
    // One column: a move's figures, a spot fallback's or a consolidation's.
    ...optional(
      DETAILS_FIELD[r.kind] ?? 'details',
      r.details ? JSON.parse(r.details) : undefined,
    ),
    ...optional('stepStartedAt', iso(r.step_started_at)),
  };
}

/** The state-machine view of a stored action. */
export function progressOf(a: StoredAction): ActionProgress {
  return {
    state: a.state,
    stepIndex: a.stepIndex,
    stepCount: a.steps.length,
    attempts: a.attempts,
    dryRun: a.dryRun,
    approvedBy: a.approvedBy,
    stepStartedAt: a.stepStartedAt,
    lastError: a.lastError,
    nextAttemptAt: a.nextAttemptAt,
    finishedAt: a.finishedAt,
  };
}

/** The columns a progress sets. */
function progressColumns(p: ActionProgress) {
  return {
    state: p.state,
    step_index: p.stepIndex,
    attempts: p.attempts,
    dry_run: p.dryRun,
    approved_by: p.approvedBy ?? null,
    step_started_at: date(p.stepStartedAt),
    last_error: p.lastError ?? null,
    next_attempt_at: date(p.nextAttemptAt),
    finished_at: date(p.finishedAt),
  };
}

const isUniqueViolation = (e: unknown) =>
  /UNIQUE constraint failed|duplicate key value/.test(String(e));

/**
 * Stored actions and their transitions. Every change is conditional on the
 * version the caller read, so two backend replicas never both move the same
 * action: the one that loses gets `undefined` and stops.
 *
 * @internal
 */
export class ActionStore {
  constructor(private readonly db: Knex) {}

  /**
   * Stores a planned action, or returns the one stored under the same
   * idempotency key (`created: false`).
   */
  async create(
    action: NewAction,
    event: Omit<ActionEvent, 'from' | 'to'>,
  ): Promise<{ action: StoredAction; created: boolean }> {
    const existing = await this.byKey(action.idempotencyKey);
    if (existing) return { action: existing, created: false };
    const id = randomUUID();
    const at = new Date(event.at);
    try {
      await this.db.transaction(async tx => {
        await tx(ACTIONS).insert({
          id,
          idempotency_key: action.idempotencyKey,
          kind: action.kind,
          entity_ref: action.entityRef,
          cluster: action.cluster,
          steps: JSON.stringify(action.steps),
          state: 'planned',
          step_index: -1,
          attempts: 0,
          version: 0,
          dry_run: action.dryRun,
          requested_by: action.requestedBy,
          reason: action.reason,
          diff: action.diff ? JSON.stringify(action.diff) : null,
          details:
            action.details || action.fallback || action.consolidation
              ? JSON.stringify(
                  action.details ?? action.fallback ?? action.consolidation,
                )
              : null,
          created_at: at,
          updated_at: at,
        });
        await tx(EVENTS).insert({
          action_id: id,
          at,
          from_state: null,
          to_state: 'planned',
          step: event.step ?? null,
          actor: event.actor,
          outcome: event.outcome,
          message: event.message,
        });
      });
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      const winner = await this.byKey(action.idempotencyKey);
      if (!winner) throw e;
      return { action: winner, created: false };
    }
    return { action: (await this.get(id))!, created: true };
  }

  async get(id: string): Promise<StoredAction | undefined> {
    const row = await this.db<Row>(ACTIONS).where({ id }).first();
    return row ? fromRow(row) : undefined;
  }

  async byKey(idempotencyKey: string): Promise<StoredAction | undefined> {
    const row = await this.db<Row>(ACTIONS)
      .where({ idempotency_key: idempotencyKey })
      .first();
    return row ? fromRow(row) : undefined;
  }

  /** Actions, newest first, with their events when asked. */
  async list(filter: {
    ids?: string[];
    entityRef?: string;
    states?: ActionState[];
    kinds?: ActionKind[];
    limit?: number;
    withEvents?: boolean;
  }): Promise<StoredAction[]> {
    let q = this.db<Row>(ACTIONS)
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(filter.limit ?? 50);
    if (filter.ids) q = q.whereIn('id', filter.ids);
    if (filter.entityRef) q = q.where('entity_ref', filter.entityRef);
    if (filter.states?.length) q = q.whereIn('state', filter.states);
    if (filter.kinds?.length) q = q.whereIn('kind', filter.kinds);
    const actions = (await q).map(fromRow);
    if (filter.withEvents && actions.length) {
      const events = await this.eventsOf(actions.map(a => a.id));
      for (const a of actions) a.events = events.get(a.id) ?? [];
    }
    return actions;
  }

  async eventsOf(ids: string[]): Promise<Map<string, ActionEvent[]>> {
    const rows = await this.db(EVENTS)
      .whereIn('action_id', ids)
      .orderBy(['action_id', 'id']);
    const out = new Map<string, ActionEvent[]>();
    for (const r of rows) {
      const list = out.get(r.action_id) ?? [];
      list.push({
        at: iso(r.at)!,
        from: r.from_state ?? null,
        to: r.to_state,
        ...(r.step === null || r.step === undefined
          ? {}
          : { step: Number(r.step) }),
        actor: r.actor,
        outcome: r.outcome,
        message: r.message,
      });
      out.set(r.action_id, list);
    }
    return out;
  }

  /**
   * Actions a runner could take up at `now`: not final, not waiting for
   * approval, past their backoff, and not leased by a live runner. Oldest
   * first.
   */
  async runnable(now: Date, limit = 20): Promise<StoredAction[]> {
    const rows = await this.db<Row>(ACTIONS)
      .whereNotIn('state', FINAL_ACTION_STATES as ActionState[])
      .andWhere(q => q.whereNot('state', 'planned').orWhere('dry_run', false))
      .andWhere(q =>
        q.whereNull('next_attempt_at').orWhere('next_attempt_at', '<=', now),
      )
      .andWhere(q =>
        q.whereNull('lease_expires_at').orWhere('lease_expires_at', '<', now),
      )
      .orderBy([
        { column: 'created_at', order: 'asc' },
        { column: 'id', order: 'asc' },
      ])
      .limit(limit);
    return rows.map(fromRow);
  }

  /** Entities with an action being applied, verified or rolled back. */
  async busyEntities(): Promise<Set<string>> {
    const rows = await this.db(ACTIONS)
      .whereIn('state', ['applying', 'verifying', 'rollingBack'])
      .distinct('entity_ref');
    return new Set(rows.map(r => r.entity_ref));
  }

  /**
   * Takes the lease of an action read at `version`. Returns the action as
   * leased, or `undefined` when another runner changed it first.
   */
  async claim(
    action: StoredAction,
    owner: string,
    now: Date,
    leaseMs: number,
  ): Promise<StoredAction | undefined> {
    const changed = await this.db(ACTIONS)
      .where({ id: action.id, version: action.version })
      .andWhere(q =>
        q
          .whereNull('lease_expires_at')
          .orWhere('lease_expires_at', '<', now)
          .orWhere('lease_owner', owner),
      )
      .update({
        lease_owner: owner,
        lease_expires_at: new Date(now.getTime() + leaseMs),
        version: action.version + 1,
        updated_at: now,
      });
    if (changed !== 1) return undefined;
    return this.get(action.id);
  }

  /**
   * Extends the lease its owner holds on an action read at `version`,
   * without a new version (a step is still running). False when the action
   * moved on or another runner holds it.
   */
  async renewLease(
    action: StoredAction,
    owner: string,
    expiresAt: Date,
  ): Promise<boolean> {
    const changed = await this.db(ACTIONS)
      .where({ id: action.id, version: action.version, lease_owner: owner })
      .update({ lease_expires_at: expiresAt });
    return changed === 1;
  }

  /**
   * Moves an action read at `version` to `progress` (and, when given, new
   * steps, e.g. an undo that now knows the value to restore), records the
   * event, and renews or releases the lease. Returns the new version, or
   * `undefined` when another writer changed the action first.
   */
  async advance(
    action: StoredAction,
    update: {
      progress: ActionProgress;
      steps?: ActionStep[];
      event?: ActionEvent;
      lease?: { owner: string; expiresAt: Date } | null;
      now: Date;
    },
  ): Promise<number | undefined> {
    const version = action.version + 1;
    const ok = await this.db.transaction(async tx => {
      const changed = await tx(ACTIONS)
        .where({ id: action.id, version: action.version })
        .update({
          ...progressColumns(update.progress),
          ...(update.steps ? { steps: JSON.stringify(update.steps) } : {}),
          ...(update.lease === undefined
            ? {}
            : {
                lease_owner: update.lease?.owner ?? null,
                lease_expires_at: update.lease?.expiresAt ?? null,
              }),
          version,
          updated_at: update.now,
        });
      if (changed !== 1) return false;
      if (update.event) {
        await tx(EVENTS).insert({
          action_id: action.id,
          at: new Date(update.event.at),
          from_state: update.event.from,
          to_state: update.event.to,
          step: update.event.step ?? null,
          actor: update.event.actor,
          outcome: update.event.outcome,
          message: update.event.message,
        });
      }
      return true;
    });
    return ok ? version : undefined;
  }
}
