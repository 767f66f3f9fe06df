import { Knex } from 'knex';
import { AnomalyRow } from './showbackRows';

const ANOMALIES = 'modelfleet_cost_anomalies';

/**
 * Cost anomalies as stored; part of the ShowbackStore.
 *
 * @internal
 */
export class CostAnomalies {
  constructor(private readonly db: Knex) {}

  /** Records anomalies not recorded yet; returns the new ones. */
  async record(
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
  async list(options: {
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
