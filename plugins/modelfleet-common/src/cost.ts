/**
 * What a cost report covers: one Model, one GpuPool, one Group (team) or the
 * whole fleet.
 *
 * @public
 */
export type CostScope = 'model' | 'pool' | 'team' | 'fleet';

/**
 * Bucket size of a cost or utilization series.
 *
 * @public
 */
export type CostGranularity = 'day' | 'week' | 'month';

/**
 * Who pays for GPU capacity that no model requested (OpenCost's idle cost):
 * `not-shared` keeps it on the pool and the fleet as idle, `shared-proportionally`
 * spreads it over the models of the pool by their cost, `platform-team` charges
 * it to the platform team. Idle cost is never dropped: what a policy cannot
 * place (a pool with no models) stays on the pool as idle.
 *
 * @public
 */
export type IdleCostPolicy =
  | 'not-shared'
  | 'shared-proportionally'
  | 'platform-team';

/**
 * One of the two ideas of idle GPU cost, named and defined once: every
 * card, table and API field that shows the idea uses this name and
 * definition.
 *
 * @public
 */
export interface CostIdea {
  /** What the idea is called on every card and table, e.g. `Unallocated capacity`. */
  name: string;
  /** One sentence a reader can take at their word. */
  definition: string;
  /** The field of {@link CostTotals}, {@link CostPoint} and {@link CostBreakdownItem} that holds it. */
  field: 'idleUsd' | 'unusedUsd';
}

/**
 * The two ideas of idle GPU cost. `unallocated` is what pools provisioned
 * and no model requested (a model's or team's figure is the part of it the
 * idle-cost policy charges them); `unused` is what models requested, and
 * pay for, while their GPUs did no work. They never overlap: the first is
 * capacity nobody asked for, the second capacity somebody asked for and
 * left idle.
 *
 * @public
 */
export const COST_IDEAS: {
  unallocated: CostIdea;
  unused: CostIdea;
} = {
  unallocated: {
    name: 'Unallocated capacity',
    definition:
      'The cost of GPU capacity the pools provisioned that no model requested; the idle-cost policy says who pays it.',
    field: 'idleUsd',
  },
  unused: {
    name: 'Allocated but unused',
    definition:
      "The cost of GPU time models requested, and pay for, in which their GPUs did no work: each day, the model's requested GPU cost times its GPUs' idle share.",
    field: 'unusedUsd',
  },
};

/**
 * Who pays what no team is charged under an idle-cost policy, in a sentence
 * (see {@link CostUnallocated}).
 *
 * @public
 */
export function unallocatedPayerText(
  policy: IdleCostPolicy,
  platformTeamRef?: string,
): string {
  switch (policy) {
    case 'not-shared':
      return 'No team pays it: under the idle-cost policy not-shared, unallocated capacity stays on its pool, and the organisation pays it centrally.';
    case 'platform-team':
      return `The platform team${
        platformTeamRef ? ` (${platformTeamRef})` : ''
      } pays the pools' unallocated capacity under the idle-cost policy platform-team; what is left here is the cost of models with no owning team.`;
    default:
      return "No team pays it: under the idle-cost policy shared-proportionally, a pool's unallocated capacity is spread over the models on that pool, and a pool with no models has no one to share it with, so the organisation pays it centrally.";
  }
}

/**
 * Where a figure came from: a price (its source and the time it was observed)
 * or a bill line.
 *
 * @public
 */
export interface CostProvenance {
  kind: 'price' | 'bill';
  /** Price source id (`bundled-catalog`, `aws-pricing-api`, …) or bill source id. */
  source: string;
  /** ISO 8601 time the price was observed or the bill line's period start. */
  observedAt: string;
  /** What was priced or billed, e.g. `aws g6.xlarge us-east-1 spot`. */
  subject: string;
  usdPerHour?: number;
  /** Why a fallback source was used, e.g. the live source's error. */
  note?: string;
}

/**
 * One bucket of a cost series.
 *
 * @public
 */
export interface CostPoint {
  /** First day of the bucket, `YYYY-MM-DD` (UTC). */
  date: string;
  /** Cost charged to the entity, idle share included under the policy. */
  costUsd: number;
  /**
   * Unallocated capacity ({@link COST_IDEAS}): for pools and the fleet, the
   * cost of capacity no model requested; for models and teams, the part of
   * `costUsd` the idle-cost policy charges them for it.
   */
  idleUsd: number;
  /**
   * Allocated but unused ({@link COST_IDEAS}): the part of the requested
   * GPU cost paid for GPU time that did no work; for pools, teams and the
   * fleet, summed over their models. 0 where no GPU metrics exist.
   */
  unusedUsd: number;
  /** GPU-hours requested (for pools and the fleet: GPU-hours provisioned). */
  gpuHours: number;
  /**
   * Hibernation savings: GPU-hours of one replica the entity's models did
   * not hold while they were at zero replicas, against keeping one replica
   * always on (for pools, teams and the fleet: summed over their models).
   */
  savedGpuHours: number;
  /** `savedGpuHours` at the showback unit price of each model's pool that day (no idle share). */
  savedUsd: number;
}

/**
 * Totals over a period.
 *
 * @public
 */
export interface CostTotals {
  costUsd: number;
  /** Unallocated capacity (see {@link CostPoint.idleUsd}). */
  idleUsd: number;
  /** Allocated but unused (see {@link CostPoint.unusedUsd}). */
  unusedUsd: number;
  gpuHours: number;
  /** Hibernation savings in GPU-hours (see {@link CostPoint.savedGpuHours}). */
  savedGpuHours: number;
  /** Hibernation savings in USD (see {@link CostPoint.savedUsd}). */
  savedUsd: number;
  /** Days of the period that have any cost data. */
  daysWithData: number;
}

/**
 * An entity's share of a report's cost.
 *
 * @public
 */
export interface CostBreakdownItem {
  entityRef: string;
  costUsd: number;
  /** Unallocated capacity (see {@link CostPoint.idleUsd}). */
  idleUsd: number;
  /** Allocated but unused (see {@link CostPoint.unusedUsd}). */
  unusedUsd: number;
  gpuHours: number;
  /** Hibernation savings in GPU-hours (see {@link CostPoint.savedGpuHours}). */
  savedGpuHours: number;
  /** Hibernation savings in USD (see {@link CostPoint.savedUsd}). */
  savedUsd: number;
}

/**
 * What a report's teams (or a team's models) do not account for, so that
 * the rows plus this one equal the total: for the fleet, the cost no team
 * is charged (unallocated capacity the idle-cost policy places on no team,
 * and models with no owning team); for a team, unallocated capacity the
 * policy charges the team beyond its models.
 *
 * @public
 */
export interface CostUnallocated {
  costUsd: number;
  /** Unallocated capacity in `costUsd`. */
  idleUsd: number;
  /** Allocated but unused in `costUsd` (models with no owning team). */
  unusedUsd: number;
  /** Who pays it under the idle-cost policy, in a sentence. */
  paidBy: string;
  /**
   * The pools whose capacity no model used, with the unallocated capacity
   * of each that is in this row, largest first: under `not-shared` every
   * pool's, under `shared-proportionally` the pools with no model; on the
   * platform team's page under `platform-team`, every pool's (the fleet's
   * row then holds none: the platform team's row does). Absent from
   * reports older than this field.
   */
  pools?: CostUnallocatedPool[];
}

/**
 * A pool's unallocated capacity in a {@link CostUnallocated} row.
 *
 * @public
 */
export interface CostUnallocatedPool {
  /** The GpuPool entity, e.g. `gpupool:default/demo-azure-eastus.nca100`. */
  entityRef: string;
  /** Its cost that no model on it is charged, in the row's period. */
  idleUsd: number;
}

/**
 * A team's monthly budget, how much of it is spent and where the month ends.
 *
 * @public
 */
export interface BudgetStatus {
  /** `YYYY-MM` */
  month: string;
  monthlyBudgetUsd: number;
  monthToDateUsd: number;
  /** Month-end forecast (see {@link MonthProjection.forecastUsd}). */
  forecastUsd: number;
  /** Mean cost of the last complete days (see {@link MonthProjection}). */
  dailyRunRateUsd: number;
  /** How many complete days the run rate is the mean of. */
  runRateDays: number;
  /** monthToDate / budget */
  burn: number;
  status: 'ok' | 'at-risk' | 'over';
}

/**
 * Where the month's cost ends at the recent run rate.
 *
 * @public
 */
export interface MonthProjection {
  /** `YYYY-MM` */
  month: string;
  /** Cost of the month so far, today's running day included. */
  monthToDateUsd: number;
  /**
   * Mean cost of the last `runRateDays` complete days (today, still
   * running, is not one).
   */
  dailyRunRateUsd: number;
  runRateDays: number;
  /** `dailyRunRateUsd` × the days of the month. */
  monthlyRunRateUsd: number;
  /**
   * The month's complete days so far, plus `dailyRunRateUsd` for each day
   * left, today included while it runs.
   */
  forecastUsd: number;
}

/**
 * A day whose cost is far from its robust baseline (median and MAD of the
 * days before).
 *
 * @public
 */
export interface CostAnomaly {
  /** `YYYY-MM-DD` */
  day: string;
  scope: CostScope;
  entityRef: string;
  /** Owning team of the entity, when known. */
  team?: string;
  costUsd: number;
  baselineUsd: number;
  /** Robust z-score: (cost − median) / (1.4826 × MAD). */
  score: number;
  direction: 'spike' | 'drop';
  /** ISO 8601 time a notification was sent, when one was. */
  notifiedAt?: string;
}

/**
 * Body of `GET /api/modelfleet/cost/...`.
 *
 * @public
 */
export interface CostReport {
  scope: CostScope;
  /** The entity's ref; `null` for the fleet. */
  entityRef: string | null;
  /** `YYYY-MM-DD`, inclusive. */
  from: string;
  /** `YYYY-MM-DD`, exclusive. */
  to: string;
  granularity: CostGranularity;
  currency: 'USD';
  idleCostPolicy: IdleCostPolicy;
  total: CostTotals;
  series: CostPoint[];
  /** The period of the same length just before `from`. */
  previous: {
    from: string;
    to: string;
    total: CostTotals;
    series: CostPoint[];
  };
  /** Largest costs first: the models of a team, pool or fleet; the pools of a model or team. */
  breakdown: {
    models: CostBreakdownItem[];
    pools: CostBreakdownItem[];
    teams: CostBreakdownItem[];
    /**
     * For the fleet: total minus the teams; for a team: total minus its
     * models. The rows plus this one equal `total`.
     */
    unallocated?: CostUnallocated;
  };
  /** For teams: the budget of the month `to` falls in (or the current month). */
  budget?: BudgetStatus;
  /** For models and teams: the run rate and month-end projection of that month. */
  projection?: MonthProjection;
  anomalies: CostAnomaly[];
  /** For models, where the metrics exist. */
  unitCosts?: {
    tokens?: number;
    requests?: number;
    usdPer1MTokens?: number;
    usdPer1kRequests?: number;
  };
  provenance: CostProvenance[];
  /** True when any figure comes from the simulated demo fleet. */
  demo: boolean;
  /**
   * Set on a fleet report for a caller who may see only some teams' costs:
   * the teams it covers. Its totals and series are then the sum of those
   * teams' reports, not the whole fleet's.
   */
  restrictedTo?: string[];
}
