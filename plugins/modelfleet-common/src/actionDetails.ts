/**
 * The figures an action keeps: a move's (`migrate`), a spot fallback's
 * (`spot-fallback`) and a node consolidation's (`consolidate`).
 */

/**
 * What a move (`migrate` action) was decided on: where from and to, what
 * each cost a month then, the move's one-off cost, its payback and risk.
 *
 * @public
 */
export interface MoveDetails {
  from: { pool: string; title: string; cluster: string; monthlyUsd?: number };
  to: {
    pool: string;
    title: string;
    cluster: string;
    capacityType: string;
    monthlyUsd: number;
    preemptionsPerMonth: number;
    availability: number;
  };
  /** The one-off cost of the move: warm-up GPU time and moving the weights. */
  moveUsd: number;
  /** Hours until the saving has paid for the move; absent when it never does. */
  paybackHours?: number;
  /** The risk, in words. */
  risk: string;
}

/**
 * What an on-demand fallback (`spot-fallback` action) was decided on: the
 * model's spot pool and what it saw, and the replicas of its on-demand
 * fallback before and after. `fallback` brings on-demand up (a preemption
 * notice, or spot replicas that cannot be launched); `return` takes it
 * down once spot serves again.
 *
 * @public
 */
export interface FallbackDetails {
  /**
   * `fallback`: on-demand comes up; `return`: it comes down, spot serves
   * again; `spread`: only spot companions change.
   */
  direction: 'fallback' | 'return' | 'spread';
  spot: { pool: string; title: string; usdPerHour: number };
  onDemand: { pool: string; title: string; usdPerHour: number };
  /** The fallback Deployment's replicas before and after. */
  replicas: { from: number; to: number };
  /** Replicas the model needs, and its spot replicas Ready then. */
  required: number;
  spotReady: number;
  /** ISO 8601: the preemption notice this answers, when one was seen. */
  noticedAt?: string;
  /** ISO 8601: since when spot replicas could not be scheduled, when they could not. */
  unscheduledSince?: string;
  /**
   * The spot companions (Deployments of the model on the cluster's other
   * spot pools) this action changes, with their replicas before and after.
   */
  spread?: Array<{
    pool: string;
    title: string;
    usdPerHour: number;
    replicas: { from: number; to: number };
  }>;
}

/**
 * What a node consolidation (`consolidate` action) or a lowered pool
 * minimum (`poolMinimum`) was decided on: the pool, the nodes it frees,
 * and how many nodes the pool ran then (what the savings ledger counts the
 * nodes it runs later against).
 *
 * @public
 */
export interface ConsolidationDetails {
  pool: { ref: string; title: string };
  /** The nodes it empties, by name (none named for a lowered minimum). */
  nodes: string[];
  /** The pool's nodes when the consolidation was planned. */
  nodesBefore: number;
  /** How many nodes it frees; `nodes.length` when absent. */
  nodesFreed?: number;
  /** A lowered minimum (`poolMinimum`): the pool's minimum size before and after. */
  minimum?: { from: number; to: number };
}
