import {
  HibernationDecisionView,
  HibernationState,
  ModelWake,
} from '@modelfleet/plugin-modelfleet-common';
import { Knex } from 'knex';

const MODELS = 'modelfleet_hibernation';
const WAKES = 'modelfleet_model_wakes';

/** What the hibernation loop saw and decided for a model at its last pass. */
export interface HibernationRecord {
  entityRef: string;
  state: HibernationState;
  replicas: { desired: number; ready: number };
  /** Learned keep-alive in seconds; null keeps the model warm. */
  keepAliveSeconds: number | null;
  keepAliveReason: string;
  decision: HibernationDecisionView;
  /** The next change the loop expects. */
  nextChange?: { at: string; what: string };
  /** ISO 8601 */
  observedAt: string;
}

/** A wake as stored. */
export interface StoredWake extends ModelWake {
  entityRef: string;
}

const iso = (v: unknown) => new Date(v as string | Date).toISOString();

/**
 * The hibernation loop's memory: each model's last state and decision, and
 * the wakes of models from zero (unique by model and start, so recording a
 * wake twice, from two replicas or two passes, stores it once).
 *
 * @internal
 */
export class HibernationStore {
  constructor(private readonly db: Knex) {}

  async get(entityRef: string): Promise<HibernationRecord | undefined> {
    const [row] = await this.db(MODELS).where({ entity_ref: entityRef });
    return row ? this.toRecord(row) : undefined;
  }

  async list(): Promise<HibernationRecord[]> {
    const rows = await this.db(MODELS).orderBy('entity_ref');
    return rows.map(r => this.toRecord(r));
  }

  async put(record: HibernationRecord): Promise<void> {
    await this.db(MODELS)
      .insert({
        entity_ref: record.entityRef,
        state: record.state,
        desired: record.replicas.desired,
        ready: record.replicas.ready,
        keep_alive_seconds: record.keepAliveSeconds,
        keep_alive_reason: record.keepAliveReason,
        decision: JSON.stringify(record.decision),
        next_change: record.nextChange
          ? JSON.stringify(record.nextChange)
          : null,
        observed_at: new Date(record.observedAt),
      })
      .onConflict('entity_ref')
      .merge();
  }

  /** Records a wake that started; nothing when it is recorded already. */
  async addWake(wake: StoredWake): Promise<void> {
    await this.db(WAKES)
      .insert({
        entity_ref: wake.entityRef,
        started_at: new Date(wake.startedAt),
        ready_at: wake.readyAt ? new Date(wake.readyAt) : null,
        cold: wake.cold,
      })
      .onConflict(['entity_ref', 'started_at'])
      .ignore();
  }

  /** Sets when the wakes of a model still waking were ready. */
  async wakeReady(
    entityRef: string,
    startedAt: string,
    readyAt: string,
  ): Promise<void> {
    await this.db(WAKES)
      .where({ entity_ref: entityRef, started_at: new Date(startedAt) })
      .whereNull('ready_at')
      .update({ ready_at: new Date(readyAt) });
  }

  /** A model's wakes that started in [from, to), newest first. */
  async wakes(
    entityRef: string,
    from: Date,
    to: Date,
    limit = 10_000,
  ): Promise<StoredWake[]> {
    const rows = await this.db(WAKES)
      .where({ entity_ref: entityRef })
      .where('started_at', '>=', from)
      .where('started_at', '<', to)
      .orderBy('started_at', 'desc')
      .limit(limit);
    return rows.map(r => {
      const startedAt = iso(r.started_at);
      const readyAt = r.ready_at ? iso(r.ready_at) : undefined;
      return {
        entityRef: r.entity_ref,
        startedAt,
        ...(readyAt
          ? {
              readyAt,
              seconds: (Date.parse(readyAt) - Date.parse(startedAt)) / 1000,
            }
          : {}),
        cold: Boolean(r.cold),
      };
    });
  }

  /** Deletes wakes that started before `before`; returns how many. */
  async pruneWakes(before: Date): Promise<number> {
    return this.db(WAKES).where('started_at', '<', before).delete();
  }

  private toRecord(r: any): HibernationRecord {
    return {
      entityRef: r.entity_ref,
      state: r.state,
      replicas: { desired: Number(r.desired), ready: Number(r.ready) },
      keepAliveSeconds:
        r.keep_alive_seconds === null ? null : Number(r.keep_alive_seconds),
      keepAliveReason: r.keep_alive_reason,
      decision: JSON.parse(r.decision),
      ...(r.next_change ? { nextChange: JSON.parse(r.next_change) } : {}),
      observedAt: iso(r.observed_at),
    };
  }
}
