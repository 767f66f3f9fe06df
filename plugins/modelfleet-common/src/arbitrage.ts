import { CapacityType } from './fleet';
import { PlacementExclusionCode } from './placement';
import { PolicyMode } from './kinds';

/**
 * What a model would cost on one pool it may run on, all its replicas
 * there: the what-if before a move.
 *
 * @public
 */
export interface ModelArbitrageOption {
  /** The GpuPool entity ref. */
  pool: string;
  title: string;
  cluster: string;
  provider: string;
  region: string;
  capacityType: CapacityType;
  /** Its replicas' share of the pool's node price, a month (730 h), as showback charges it. */
  monthlyUsd: number;
  /** Replacing preempted replicas (a node and a load each), a month. */
  preemptionUsdPerMonth: number;
  preemptionsPerMonth: number;
  /** Share of time the pool had capacity (0–1). */
  availability: number;
  /** Where the preemption and availability figures come from. */
  riskSource: string;
  /** Where it runs now. */
  current: boolean;
  /** The one-off cost of a make-before-break move there. */
  move?: {
    usd: number;
    warmupGpuMinutes: number;
    transferGiB: number;
    transferUsd: number;
    /** The parts, in words. */
    what: string[];
  };
}

/**
 * Replicas of one of a model's Deployments on a pool, as the cluster
 * connector saw them last.
 *
 * @public
 */
export interface ServingReplicas {
  /** The Deployment. */
  name: string;
  /** The GpuPool entity ref, when the pool is known. */
  pool?: string;
  title?: string;
  capacityType?: CapacityType;
  desired: number;
  ready: number;
}

/**
 * How a model is served now: its own Deployment, with what spot takes
 * away, and its on-demand stand-in (the spot fallback), when it has one.
 *
 * @public
 */
export interface ModelServing {
  primary: ServingReplicas & {
    /** Replicas on nodes under a spot reclaim notice, and since when. */
    underNotice: number;
    noticedAt?: string;
    /** Replicas no node takes (no capacity), and since when. */
    waitingForNode: number;
    waitingSince?: string;
  };
  standIn?: ServingReplicas;
  /** Its spot companions on other spot pools (of its cluster or of others), when it has any. */
  spread?: ServingReplicas[];
}

/**
 * `GET /models/:namespace/:name/arbitrage`: what a model would cost on
 * each pool it may run on, and the best move, if one clears the team's
 * policy.
 *
 * @public
 */
export interface ModelArbitrageReport {
  entityRef: string;
  /** The owner team's `arbitrage.mode`. */
  mode: PolicyMode;
  minSavingsPercent: number;
  /** Hours within which a move must pay for itself. */
  paybackHorizonHours: number;
  /** Lowest availability of a pool a move may go to (0–1). */
  minAvailability: number;
  /** The replicas priced (those it has now, at least one). */
  replicas: number;
  /** Seconds the model takes to load: the median of its timed wakes, or the default. */
  loadSeconds?: number;
  gpusPerReplica: number;
  /** How it is served now: its spot / on-demand mix. */
  serving?: ModelServing;
  /** Where it runs now, a month, preemptions included; absent when not priced. */
  currentMonthlyUsd?: number;
  /** Eligible pools, cheapest first. */
  options: ModelArbitrageOption[];
  /** Pools it may not run on, and why. */
  excluded: Array<{
    pool: string;
    title: string;
    code: PlacementExclusionCode;
    reason: string;
  }>;
  /** The best move, when one clears the policy. */
  opportunity?: {
    to: string;
    savingUsdPerMonth: number;
    savingPercent: number;
    netSavingPercent: number;
    moveUsd: number;
    paybackHours: number;
  };
  /** Why there is a move or none, in words. */
  reason: string;
  /** Why nothing could be priced (no workload, an unknown pool). */
  missing?: string;
}
