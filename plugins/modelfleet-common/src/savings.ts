/**
 * The savings ledger (`GET /savings`): what applied actions saved, against
 * what the models would have cost without them, priced at each day's
 * prices. Its "after" is showback's cost of the same models and days, so
 * the ledger reconciles with the cost pages: `beforeUsd = afterUsd +
 * savedUsd` on every row.
 */

/**
 * Where a ledger line's saving comes from: an applied action (a move, a
 * scale-down, an applied recommendation) or hibernation (the GPU-hours a
 * model did not hold while at zero replicas, as showback records them).
 *
 * @public
 */
export type SavingsSource = 'action' | 'hibernation';

/**
 * Before, after and saved, in dollars, over the same hours.
 *
 * @public
 */
export interface SavingsFigures {
  /** What it would have cost without the actions (the counterfactual). */
  beforeUsd: number;
  /** What it cost: showback's cost for the same models and days. */
  afterUsd: number;
  /** `beforeUsd − afterUsd`; negative when an action cost money. */
  savedUsd: number;
}

/**
 * One action's (or one model's hibernation's) realised saving over the
 * period asked for. Its `afterUsd` is what the model's GPUs cost in the
 * hours the action held (GPU-hours at the pool's price of the day, as
 * showback allocates them, without idle share); `beforeUsd` what they
 * would have cost without it.
 *
 * @public
 */
export interface SavingsLedgerLine extends SavingsFigures {
  source: SavingsSource;
  /** The action, for `source: 'action'` (and the hibernation action when there is one). */
  actionId?: string;
  /** The action kind (`migrate`, `scale`, …) or `hibernation`. */
  kind: string;
  /** The model (`model:<namespace>/<name>`). */
  entityRef: string;
  /** Its owning team (`group:<namespace>/<name>`), '' when unknown. */
  teamRef: string;
  /** ISO 8601: when the action took effect; absent for hibernation. */
  appliedAt?: string;
  /** What changed, in words ("Moved from L4 on-demand to L4 spot", "3 → 2 replicas"). */
  summary: string;
  /** First and last day (YYYY-MM-DD, UTC) of the period on which it saved. */
  firstDay: string;
  lastDay: string;
}

/**
 * The ledger summed by month, team or model.
 *
 * @public
 */
export interface SavingsLedgerGroup extends SavingsFigures {
  /** `YYYY-MM`, a team ref or a model ref. */
  key: string;
}

/**
 * `GET /savings?from=&to=&team=&entity=`: realised savings over whole UTC
 * days, under the cost-visibility rules of the cost routes.
 *
 * @public
 */
export interface SavingsLedgerResponse {
  /** First and last day (YYYY-MM-DD, UTC), inclusive. */
  from: string;
  to: string;
  /** Over every model in scope: `afterUsd` equals showback's cost of those models on those days. */
  totals: SavingsFigures;
  months: SavingsLedgerGroup[];
  teams: SavingsLedgerGroup[];
  models: SavingsLedgerGroup[];
  /** Largest saving first. */
  lines: SavingsLedgerLine[];
  /** How the counterfactual is priced, in words (for the card's tooltip). */
  method: string;
  /** ISO 8601: the last roll-up that wrote ledger days. */
  updatedAt?: string;
}
