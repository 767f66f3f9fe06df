import { Knex } from 'knex';

const TABLE = 'modelfleet_recommendation_states';
const NOTICES = 'modelfleet_recommendation_notices';

/** A person's dismissal or snooze of one recommendation. */
export interface StoredRecommendationState {
  recommendationId: string;
  state: 'dismissed' | 'snoozed';
  /** For `snoozed`: until when it is hidden. */
  snoozedUntil?: Date;
  updatedAt: Date;
}

type Row = {
  user_ref: string;
  recommendation_id: string;
  state: 'dismissed' | 'snoozed';
  snoozed_until: Date | string | number | null;
  updated_at: Date | string | number;
};

/**
 * Each person's dismissals and snoozes of recommendations
 * (`modelfleet_recommendation_states`), keyed by user and recommendation
 * id. A recommendation without a row is open for that person.
 */
export class RecommendationStateStore {
  constructor(private readonly db: Knex) {}

  /** The states one person set, by recommendation id. */
  async statesOf(
    userRef: string,
  ): Promise<Map<string, StoredRecommendationState>> {
    const rows = await this.db<Row>(TABLE).where({ user_ref: userRef });
    return new Map(
      rows.map(r => [
        r.recommendation_id,
        {
          recommendationId: r.recommendation_id,
          state: r.state,
          ...(r.snoozed_until !== null
            ? { snoozedUntil: new Date(r.snoozed_until) }
            : {}),
          updatedAt: new Date(r.updated_at),
        },
      ]),
    );
  }

  /** Hides a recommendation for a person for good (until restored). */
  dismiss(userRef: string, recommendationId: string, now: Date) {
    return this.put({
      user_ref: userRef,
      recommendation_id: recommendationId,
      state: 'dismissed',
      snoozed_until: null,
      updated_at: now,
    });
  }

  /** Hides a recommendation for a person until a time. */
  snooze(userRef: string, recommendationId: string, until: Date, now: Date) {
    return this.put({
      user_ref: userRef,
      recommendation_id: recommendationId,
      state: 'snoozed',
      snoozed_until: until,
      updated_at: now,
    });
  }

  /** Opens a recommendation again for a person. */
  async restore(userRef: string, recommendationId: string): Promise<void> {
    await this.db(TABLE)
      .where({ user_ref: userRef, recommendation_id: recommendationId })
      .delete();
  }

  /** Forgets snoozes that ran out before `before` (housekeeping). */
  async deleteExpiredSnoozes(before: Date): Promise<number> {
    return this.db(TABLE)
      .where({ state: 'snoozed' })
      .andWhere('snoozed_until', '<', before)
      .delete();
  }

  /**
   * Claims the notification of a recommendation: true for the one caller
   * that claims it first (across replicas), false once it was sent.
   */
  async claimNotice(
    recommendationId: string,
    teamRef: string,
    monthlySavingUsd: number,
    now: Date,
  ): Promise<boolean> {
    const inserted = await this.db(NOTICES)
      .insert({
        recommendation_id: recommendationId,
        team_ref: teamRef,
        monthly_saving_usd: monthlySavingUsd,
        notified_at: now,
      })
      .onConflict('recommendation_id')
      .ignore()
      .returning('recommendation_id');
    return inserted.length > 0;
  }

  /** Gives a claim back (its notification could not be sent). */
  async releaseNotice(recommendationId: string): Promise<void> {
    await this.db(NOTICES)
      .where({ recommendation_id: recommendationId })
      .delete();
  }

  private async put(row: Row): Promise<void> {
    await this.db<Row>(TABLE)
      .insert(row)
      .onConflict(['user_ref', 'recommendation_id'])
      .merge(['state', 'snoozed_until', 'updated_at']);
  }
}
