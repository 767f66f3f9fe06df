import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';
import { HumanDuration } from '@backstage/types';

/** A recurring window: opens at each `start` cron time, closes at the next `end`. */
interface ModelFleetCronWindow {
  /** A name people recognise, e.g. `weekend-patching`. */
  name: string;
  /** 5-field cron expression for when the window opens, e.g. `0 2 * * 6`. */
  start: string;
  /** 5-field cron expression for when the window closes, e.g. `0 6 * * 6`. */
  end: string;
  /** IANA time zone of the cron expressions. Defaults to UTC. */
  timezone?: string;
}

/** One layer of policy: the platform defaults, or one team's overrides. */
interface ModelFleetPolicyLayer {
  /** Monthly budget in USD. */
  monthlyBudgetUsd?: number;
  /** GPU models allowed, e.g. [L4, A10G, A100-80GB]. Any when unset. */
  allowedGpuTypes?: string[];
  /** Spot capacity: never, allowed, or preferred when it is cheaper. */
  spot?: 'forbid' | 'allow' | 'prefer';
  /** Largest share (0 to 1) of GPU-hours allowed on on-demand capacity. */
  maxOnDemandShare?: number;
  /** Scale-to-zero of idle models. */
  hibernation?: {
    /** off, recommend (say so), or enforce (act, unless dryRun). */
    mode?: 'off' | 'recommend' | 'enforce';
    /**
     * Idle minutes after which a model may be scaled to zero: the
     * keep-alive rendered into a new model's autoscaler, and the one used
     * until the engine has learned the model's own.
     */
    idleMinutes?: number;
    /**
     * The trade between idle GPU-hours and cold starts: what one cold
     * start (a user waiting while a model loads) is worth avoiding, in
     * minutes of an idle GPU, 0 to 1440. The engine keeps a model warm
     * through an idle gap when that costs less than a wake plus this.
     * More: fewer cold starts, more idle GPU-hours. Default 10.
     */
    coldStartPenaltyMinutes?: number;
    /**
     * How long a sleeping engine takes to wake, in seconds (0.1 to 600,
     * default 5): the wake cost of the sleep idle tier, vLLM sleep mode
     * level 1 (weights to host memory, GPU memory released), offered for
     * vLLM models on pools that share GPUs (time-slicing). Zero replicas
     * stays the default tier.
     */
    sleepWakeSeconds?: number;
    /** Replicas kept warm at all times. */
    minWarmReplicas?: number;
    /** Windows in which at least `minReplicas` stay warm, e.g. business hours. */
    schedules?: Array<ModelFleetCronWindow & { minReplicas: number }>;
  };
  /** Moving models to cheaper pools, across clouds. */
  arbitrage?: {
    /** off, recommend (say so), or enforce (migrate, unless dryRun). */
    mode?: 'off' | 'recommend' | 'enforce';
    /** Smallest saving, in percent, worth a migration. */
    minSavingsPercent?: number;
    /** Most migrations per day. */
    maxMigrationsPerDay?: number;
    /**
     * On-demand replicas a model served on spot keeps beside its spot
     * replicas at all times (its on-demand stand-in's floor), clipped by
     * `maxOnDemandShare` of its replicas. Default 0.
     */
    onDemandBaseReplicas?: number;
    /**
     * Whether a model's spot replicas may spread to spot pools of other
     * clusters when its own cluster has too few other spot pools: a spot
     * companion there, the model's Service exported from both clusters
     * with Multi-Cluster Services (its traffic may then cross regions or
     * clouds). Default false: the spread stays in the model's cluster.
     */
    spreadAcrossClusters?: boolean;
  };
  /**
   * Consolidation (re-packing model pods onto fewer or cheaper nodes): how
   * many of the team's model pods one pass may move, Karpenter's
   * `disruption.budgets` idea per team. Both limits hold when both are set.
   */
  consolidation?: {
    /** Most of the team's model pods moved per pass. No count limit when unset. */
    maxDisruptedPods?: number;
    /**
     * Most of the team's model pods moved per pass, in percent (0 to 100)
     * of its pods, rounded down, at least 1. Default 10.
     */
    maxDisruptedPercent?: number;
  };
  /** Windows in which the actuator may disrupt running models. */
  maintenanceWindows?: ModelFleetCronWindow[];
  /** When true (the default), the actuator only reports what it would do. */
  dryRun?: boolean;
}

export interface Config {
  /** ModelFleet: GPU fleet management for AI models. */
  modelfleet?: {
    /** The loop that reads GPU pools and model workloads from the clusters. */
    clusterSync?: {
      /** When it runs. Defaults to every minute with a 2 minute timeout. */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
    /** The price book. */
    prices?: {
      /** When prices are read from every price source. Defaults to every 6 hours. */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
    /** Showback: daily cost roll-ups per model, team, pool and fleet. */
    showback?: {
      /** When the roll-up runs. Defaults to every 15 minutes. */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /**
       * Who pays for GPUs no model requested: `not-shared` (kept on the pool
       * and the fleet), `shared-proportionally` (spread over the pool's
       * models by their cost; the default) or `platform-team`.
       */
      idleCostPolicy?: 'not-shared' | 'shared-proportionally' | 'platform-team';
      /** The Group that pays idle cost under `platform-team`, e.g. `group:default/platform-team`. */
      platformTeam?: string;
      /**
       * Days of history filled in for clusters whose connector can replay
       * its past (the simulated demo fleet). Defaults to 0.
       */
      backfillDays?: number;
      /** Days before today rolled up again on every run. Defaults to 2. */
      rerollDays?: number;
      /** Days raw usage samples are kept. Defaults to 45. */
      sampleRetentionDays?: number;
    };
    /** Bill ingestion from the configured bill sources. */
    bills?: {
      /** When bills are read. Defaults to every 6 hours. */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /** Days back each run reads (bills are revised for days). Defaults to 35. */
      windowDays?: number;
    };
    /** Placement: which GPU pools can run a model, at what monthly cost. */
    placement?: {
      /**
       * Nodes a pool may still add when its maximum is not known (the
       * Kubernetes API does not expose autoscaler limits). Defaults to 4.
       */
      assumedAddableNodes?: number;
    };
    /**
     * The action loop: how stored actions (a decision to scale, hibernate,
     * wake or deploy a model) are run against clusters. Every backend
     * replica runs the loop; a replica claims an action with a lease, and
     * another takes it over when the lease runs out.
     */
    actions?: {
      /** Whether this replica runs the action loop. Defaults to true. */
      runner?: boolean;
      /**
       * Seconds a claim on an action lasts unless renewed (5 to 3600).
       * A replica that dies mid-action leaves it to another after this.
       * Defaults to 60.
       */
      leaseSeconds?: number;
      /**
       * Seconds between two looks for runnable actions, and between two
       * looks at a step that waits for readiness (1 to 300). Defaults to 2.
       */
      pollSeconds?: number;
      /** How failed tries of a step are retried. */
      retry?: {
        /** Tries of one step before it fails for good (1 to 100). Defaults to 5. */
        maxAttempts?: number;
        /** Wait after the first failed try, doubled after each further one. Defaults to 2. */
        baseDelaySeconds?: number;
        /** The longest wait between two tries. Defaults to 60. */
        maxDelaySeconds?: number;
      };
    };
    /**
     * The hibernation loop: for each deployed Model it learns the keep-alive
     * and pre-warm from the model's request history and acts on the team's
     * `hibernation` policy (see `policies`). It runs on one backend replica
     * at a time (scope global).
     */
    hibernation?: {
      /** When the loop runs. Defaults to every 30 seconds with a 5 minute timeout. */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /** Hours of request history each pass learns from (1 to 336). Defaults to 48. */
      historyHours?: number;
      /** Resolution of the request history, in seconds (10 to 3600). Defaults to 60. */
      stepSeconds?: number;
      /**
       * A model's wake time (node and weights) before ModelFleet has timed a
       * wake of its own, in seconds (1 to 3600). Defaults to 90.
       */
      defaultLoadSeconds?: number;
    };
    /**
     * How a move of a model to other capacity is priced (the what-if on
     * the Model page, and the arbitrage opportunities). The policy of a
     * move (mode, minSavingsPercent, maxMigrationsPerDay) is the team's,
     * in `policies`.
     */
    arbitrage?: {
      /**
       * When the arbitrage loop runs, which stores each team's best move
       * (run under `enforce`, recommended for approval under `recommend`).
       * Defaults to every 10 minutes with a 10 minute timeout. It runs on
       * one backend replica at a time (scope global).
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /**
       * Seconds a pool takes to add a node (0 to 3600), paid on the target
       * before its replicas serve. Defaults to 180.
       */
      provisioningSeconds?: number;
      /**
       * Seconds the source keeps its replicas after traffic has switched,
       * so requests under way finish (0 to 3600). Defaults to 60.
       */
      drainSeconds?: number;
      /**
       * Hours within which a move must pay for itself (1 to 8760): its
       * saving over them, less its one-off cost, must clear the team's
       * minSavingsPercent. Defaults to 168 (a week).
       */
      paybackHorizonHours?: number;
      /**
       * Lowest availability of a pool a move may go to, in percent of the
       * time it had capacity (50 to 100). Defaults to 99.
       */
      minAvailabilityPercent?: number;
      /**
       * The spot fallback loop: for models served on spot, an on-demand
       * stand-in on their cluster at a reclaim notice or when spot cannot
       * be launched, taken down once spot serves again.
       */
      spotFallback?: {
        /** When it runs. Defaults to every 20 seconds with a 2 minute timeout. */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        /**
         * Seconds a spot pod may wait for a node before its launch counts
         * as failed (no spot capacity), 30 to 3600. Defaults to 300.
         */
        launchTimeoutSeconds?: number;
      };
      /**
       * The pool history loop: keeps each spot pool's own record from the
       * cluster snapshots (node-hours, reclaim notices of its nodes, time
       * with every node under a notice), which the risk of a pool weighs
       * with the bundled spot traces' prior.
       */
      poolHistory?: {
        /** When it runs. Defaults to every 30 seconds with a 2 minute timeout. */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        /**
         * What the prior weighs, in node-hours of a pool's own history (0 to
         * 87600): a pool watched for this long counts as much as the prior.
         * Defaults to 730 (one node for a month).
         */
        priorNodeHours?: number;
      };
    };
    /** The housekeeping loop, which prunes the history of loop runs. */
    housekeeping?: {
      /**
       * When the loop runs. Defaults to every 10 minutes with a 5 minute
       * timeout. It runs on one backend replica at a time (scope global).
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /**
       * How long loop runs are kept, as an ISO 8601 duration string
       * (`P30D`) or a duration object (`{ days: 30 }`). Defaults to 30 days.
       */
      retention?: HumanDuration | string;
    };
    /**
     * The platform team's rules. A team's effective policy is ModelFleet's
     * defaults, then `defaults`, then `teams.<group name>`. An invalid policy
     * stops the backend at start with the key path and the reason.
     */
    policies?: {
      /** Rules for every team. */
      defaults?: ModelFleetPolicyLayer;
      /** Overrides per team, by Group name (default namespace). */
      teams?: { [groupName: string]: ModelFleetPolicyLayer };
    };

    /**
     * Recommendations (`GET /recommendations`): a pass gathers them on this
     * schedule (one backend replica at a time) and sends each new one worth
     * more than `notifyAboveUsd` a month to its owning team through
     * Backstage notifications, once.
     */
    recommendations?: {
      /** When the pass runs. Defaults to every 15 minutes with a 10 minute timeout. */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /** Monthly saving, in dollars, above which a new recommendation is sent to its team (0 or more). Defaults to 500. */
      notifyAboveUsd?: number;
    };

    // --- Deploying models (POST /deployments, modelfleet:deploy) --------

    /** What a model deployment may contain. */
    deploy?: {
      /**
       * Namespaces no model is deployed to, added to the built-in
       * `kube-system`, `kube-public` and `kube-node-lease` (the list only
       * grows: configuration cannot let a model into `kube-system`). Exact
       * names, or a prefix ending in `*`, e.g. `openshift-*`.
       */
      deniedNamespaces?: string[];
    };
    /** Who may act for which team. */
    permissions?: {
      /**
       * Groups whose members may deploy any team's model, e.g.
       * `group:default/platform-team` (a bare name is a Group in the
       * default namespace). Everyone else deploys only the models their
       * own team owns. Membership is the User entity's memberOf relations.
       */
      platformTeams?: string[];
    };
  };
}
