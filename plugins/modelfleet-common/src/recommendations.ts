/**
 * Recommendations: what would save money in the fleet, each with its
 * monthly saving, what it would disrupt, how sure the figures are and the
 * evidence in words, gathered from the loops' planned actions, the cost
 * roll-ups and the rightsizing and consolidation engines. `GET /recommendations`.
 */

/**
 * What a recommendation is about.
 *
 * @public
 */
export type RecommendationKind =
  | 'hibernation'
  | 'arbitrage'
  | 'spot-fallback'
  | 'rightsizing'
  | 'consolidation'
  | 'empty-capacity';

/** @public */
export const RECOMMENDATION_KINDS: readonly RecommendationKind[] = [
  'hibernation',
  'arbitrage',
  'spot-fallback',
  'rightsizing',
  'consolidation',
  'empty-capacity',
];

/**
 * What a recommendation concerns: a model, a pool, or both, and the team
 * that owns it (absent for shared capacity nobody owns).
 *
 * @public
 */
export interface RecommendationSubject {
  /** The Model entity, e.g. `model:default/search-reranker`. */
  modelRef?: string;
  /** The GpuPool entity, e.g. `gpupool:default/demo-azure-eastus.nca100`. */
  poolRef?: string;
  /** The owning Group, e.g. `group:default/search-team`. */
  teamRef?: string;
}

/**
 * What applying a recommendation disrupts: `none`, a `restart` of the
 * model's replicas, or a `move` to other nodes or pools.
 *
 * @public
 */
export interface RecommendationDisruption {
  level: 'none' | 'restart' | 'move';
  /** Pods stopped or moved. */
  podsAffected: number;
  /** In words. */
  description: string;
}

/**
 * How sure the saving is, and why.
 *
 * @public
 */
export interface RecommendationConfidence {
  level: 'low' | 'medium' | 'high';
  reason: string;
}

/**
 * Where a recommendation comes from: a stored action that waits for
 * approval, or an option of an engine (what applying it would do).
 *
 * @public
 */
export type RecommendationSource =
  | { type: 'action'; actionId: string; actionKind: string }
  | {
      type: 'rightsizing';
      option: 'fewer-replicas' | 'fewer-gpus' | 'smaller-gpu' | 'gpu-share';
      pool: string;
      replicas: number;
      gpusPerReplica: number;
    }
  | {
      type: 'showback';
      poolRef: string;
      idleNodes: number;
      /** The pool's cluster and name there (its node group, node pool or agent pool). */
      cluster?: string;
      pool?: string;
      /**
       * The minimum size that keeps the idle nodes, as the pool's cloud
       * says now, and the one that lets them go: what Apply sets through
       * the cloud's node-pool API. Absent when no node-pool API manages
       * the cluster, or the minimum does not keep them.
       */
      minimum?: { from: number; to: number };
    }
  | {
      type: 'consolidation';
      poolRef: string;
      /** The cluster of the pool. */
      cluster: string;
      /** The pool's nodes that go (their names in the cluster). */
      nodes: string[];
      /** The teams whose models' pods move (Group refs). */
      teams: string[];
      /** Nodes added in their place, by pool name. */
      added: Array<{ pool: string; count: number }>;
      podsMoved: number;
    };

/**
 * A person's state of a recommendation: `open`, `dismissed` (hidden for
 * them), or `snoozed` until a time (hidden until then).
 *
 * @public
 */
export type RecommendationState = 'open' | 'dismissed' | 'snoozed';

/** @public */
export const RECOMMENDATION_STATES: readonly RecommendationState[] = [
  'open',
  'dismissed',
  'snoozed',
];

/**
 * One recommendation, as the caller sees it.
 *
 * @public
 */
export interface Recommendation {
  /**
   * Stable: derived from the kind and the subject, so the same finding
   * keeps its id from one pass to the next (and a dismissal holds).
   */
  id: string;
  kind: RecommendationKind;
  subject: RecommendationSubject;
  /** What to do, in words. */
  title: string;
  /** Dollars a month saved (negative when it costs money, e.g. an on-demand stand-in). */
  monthlySavingUsd: number;
  disruption: RecommendationDisruption;
  confidence: RecommendationConfidence;
  /** The evidence, in sentences. */
  evidence: string[];
  source: RecommendationSource;
  /** Whether `POST /recommendations/:id/apply` can apply it, and why not. */
  applicable: { allowed: boolean; reason?: string };
  /** The caller's state of it. */
  state: RecommendationState;
  /** ISO 8601, for `snoozed`. */
  snoozedUntil?: string;
}

/**
 * `GET /recommendations` (`?entity=`, `?team=`, `?state=`): sorted by
 * saving, largest first. Dismissed and snoozed ones are listed only when
 * asked for by `state`.
 *
 * @public
 */
export interface RecommendationsResponse {
  items: Recommendation[];
  /** ISO 8601: when they were gathered. */
  gatheredAt: string;
  /** Kinds that could not be gathered, and why (a source down, no metrics). */
  notes: string[];
}

/**
 * `POST /recommendations/:id/snooze`: until a time, or for some days.
 *
 * @public
 */
export interface RecommendationSnoozeRequest {
  /** ISO 8601, in the future. */
  until?: string;
  /** Whole days from now, 1 to 365. */
  days?: number;
}

/**
 * `POST /recommendations/:id/apply`: the action it became.
 *
 * @public
 */
export interface RecommendationApplyResponse {
  recommendationId: string;
  actionId: string;
  /** The action's state after applying (`planned` when it still waits, e.g. for a dry-run team's approval). */
  actionState: string;
  /** The action kind it became (`migrate`, `scale`, or the approved action's own). */
  actionKind: string;
  /** Whether the team's policy is dry-run, so the action waits at `planned` for an approval. */
  awaitsApproval: boolean;
  /** What happens next, in words, for the card to show. */
  message: string;
}
