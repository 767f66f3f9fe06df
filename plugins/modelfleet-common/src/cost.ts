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
  /** Part of `costUsd` (or, for pools and the fleet, of the pool cost) that paid for idle GPUs. */
  idleUsd: number;
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
  idleUsd: number;
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
  idleUsd: number;
  gpuHours: number;
  /** Hibernation savings in GPU-hours (see {@link CostPoint.savedGpuHours}). */
  savedGpuHours: number;
  /** Hibernation savings in USD (see {@link CostPoint.savedUsd}). */
  savedUsd: number;
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
  /** Month-to-date plus the recent daily run rate over the remaining days. */
  forecastUsd: number;
  /** monthToDate / budget */
  burn: number;
  status: 'ok' | 'at-risk' | 'over';
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
  };
  /** For teams: the budget of the month `to` falls in (or the current month). */
  budget?: BudgetStatus;
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

/**
 * One bucket of a utilization series.
 *
 * @public
 */
export interface UtilizationPoint {
  date: string;
  /** Mean GPU utilization, 0–1; null where no metrics exist. */
  gpuUtilization: number | null;
  memoryUsedMiB: number | null;
  /** Share (0–1) of paid GPU time that did no work. */
  idleShare: number | null;
  idleCostUsd: number;
}

/**
 * Body of `GET /api/modelfleet/utilization/...`.
 *
 * @public
 */
export interface UtilizationReport {
  scope: CostScope;
  entityRef: string | null;
  from: string;
  to: string;
  granularity: CostGranularity;
  gpuUtilization: number | null;
  memoryUsedMiB: number | null;
  memoryTotalMiB: number | null;
  idleShare: number | null;
  idleCostUsd: number;
  series: UtilizationPoint[];
  /** For pools: capacity, allocation and price now. */
  pool?: {
    nodes: number;
    gpusAllocatable: number;
    gpusAllocated: number;
    /** allocated / allocatable, 0–1 */
    allocation: number;
    capacityType: string;
    usdPerNodeHour: number | null;
    usdPerGpuHour: number | null;
    /** Share of node-hours in the period on spot and on on-demand (or reserved) capacity. */
    capacityMix: { spot: number; onDemand: number };
    price?: CostProvenance;
  };
  demo: boolean;
}

/**
 * One period of a bill compared with showback.
 *
 * @public
 */
export interface ReconciliationItem {
  source: string;
  provider: string;
  account: string;
  /** `YYYY-MM-DD`, inclusive / exclusive. */
  from: string;
  to: string;
  billedUsd: number;
  showbackUsd: number;
  differenceUsd: number;
  /** difference / billed; null when nothing was billed. */
  differenceShare: number | null;
  billLines: number;
}

/**
 * Body of `GET /api/modelfleet/bills/reconciliation`.
 *
 * @public
 */
export interface ReconciliationResponse {
  items: ReconciliationItem[];
}
