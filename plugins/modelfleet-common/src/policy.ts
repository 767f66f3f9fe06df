import type { PolicyMode, SpotPolicy } from './kinds/ModelEntityV1alpha1';

/**
 * A recurring window, KEDA cron-scaler style: it opens at each `start` cron
 * time and closes at the next `end` cron time, in `timezone` (IANA name).
 *
 * @public
 */
export interface CronWindow {
  name: string;
  start: string;
  end: string;
  timezone: string;
}

/**
 * A window during which a model keeps at least `minReplicas` warm.
 *
 * @public
 */
export interface WarmSchedule extends CronWindow {
  minReplicas: number;
}

/**
 * The rules the platform team sets for a team's models, with every value
 * resolved (defaults applied).
 *
 * @public
 */
export interface PlatformPolicy {
  /** Monthly budget in USD; `null` when none is set. */
  monthlyBudgetUsd: number | null;
  /** GPU models the team may use; `null` allows any. */
  allowedGpuTypes: string[] | null;
  spot: SpotPolicy;
  /** Largest share (0–1) of a team's GPU-hours that may run on on-demand capacity. */
  maxOnDemandShare: number;
  hibernation: {
    mode: PolicyMode;
    /** Idle time after which a model may be scaled to zero. */
    idleMinutes: number;
    /**
     * What one cold start is worth avoiding, in minutes of an idle GPU: the
     * engine keeps a model warm through an idle gap when that costs less
     * than a wake (its load time) plus this. More: fewer cold starts and
     * more idle GPU-hours.
     */
    coldStartPenaltyMinutes: number;
    /**
     * How long a sleeping engine takes to wake, in seconds: the wake cost
     * of the sleep idle tier (vLLM sleep mode, level 1), for models
     * deployed with it on pools that share GPUs.
     */
    sleepWakeSeconds: number;
    minWarmReplicas: number;
    schedules: WarmSchedule[];
  };
  arbitrage: {
    mode: PolicyMode;
    minSavingsPercent: number;
    maxMigrationsPerDay: number;
    /**
     * On-demand replicas a model served on spot keeps beside its spot
     * ones at all times (its stand-in's floor), clipped by
     * `maxOnDemandShare` of its replicas.
     */
    onDemandBaseReplicas: number;
    /**
     * Whether a model's spot replicas may spread to spot pools of other
     * clusters (its Service exported from both with Multi-Cluster Services:
     * its traffic may cross regions or clouds) when its own cluster has
     * too few other spot pools; otherwise its spot fallback is the
     * on-demand stand-in on its cluster.
     */
    spreadAcrossClusters: boolean;
  };
  /**
   * Consolidation's disruption budget for the team's model pods, Karpenter's
   * `disruption.budgets` idea: at most `maxDisruptedPods` pods (none set:
   * no count), and at most `maxDisruptedPercent` % of the team's pods
   * (rounded down, at least 1), moved by one consolidation pass.
   */
  consolidation: {
    maxDisruptedPods: number | null;
    maxDisruptedPercent: number;
  };
  /** Windows in which the actuator may disrupt running models. */
  maintenanceWindows: CronWindow[];
  /** When true, the actuator only says what it would do. */
  dryRun: boolean;
}

/**
 * Where a policy value came from: `builtin` (ModelFleet's default) or the
 * app-config key path that set it.
 *
 * @public
 */
export type PolicySource = 'builtin' | string;

/**
 * Body of `GET /api/modelfleet/policies/effective?team=…`.
 *
 * @public
 */
export interface EffectivePolicyResponse {
  /** The team's entity ref, or null for the defaults alone. */
  team: string | null;
  policy: PlatformPolicy;
  /** For each value, by dotted path (`hibernation.idleMinutes`), where it came from. */
  sources: Record<string, PolicySource>;
}
