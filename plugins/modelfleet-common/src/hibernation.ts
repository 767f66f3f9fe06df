/**
 * Hibernation as the Model page shows it: whether a model is warm, at zero
 * or waking, the keep-alive ModelFleet uses for it and why, its wakes and
 * cold starts over a period, the next change it expects, and what being at
 * zero saved against keeping the model always on.
 */
import { AutoscalerRef } from './actions';
import type { PolicyMode } from './kinds/ModelEntityV1alpha1';

/**
 * Where a model stands: `warm` (a replica is ready), `atZero` (no replica
 * and none asked for), `waking` (replicas asked for, none ready yet),
 * `asleep` (a model of the sleep idle tier whose replicas' engines all
 * sleep: the next request wakes them in seconds).
 *
 * @public
 */
export type HibernationState = 'warm' | 'atZero' | 'waking' | 'asleep';

/**
 * What the hibernation loop decided for a model at its last pass.
 *
 * @public
 */
export interface HibernationDecisionView {
  action: 'none' | 'hibernate' | 'wake' | 'setKeepAlive' | 'sleep';
  /** Why, in words. */
  reason: string;
  /** The keep-alive set, for `setKeepAlive`. */
  seconds?: number;
  /** The replicas woken to, for `wake`. */
  replicas?: number;
  /** ISO 8601 time of the decision. */
  at: string;
  /** The action it became, when it became one (recommend mode: planned, dry-run). */
  actionId?: string;
}

/**
 * One wake of a model from zero: when its first replica was asked for and
 * when it was ready; `cold` when a request woke it (not a pre-warm or a
 * schedule).
 *
 * @public
 */
export interface ModelWake {
  /** ISO 8601 */
  startedAt: string;
  /** ISO 8601; absent while it is waking. */
  readyAt?: string;
  /** Seconds from start to ready. */
  seconds?: number;
  cold: boolean;
}

/**
 * `GET /models/:namespace/:name/hibernation?from=&to=`: a model's
 * hibernation over a period (days, as the cost routes take them).
 *
 * @public
 */
export interface ModelHibernationReport {
  entityRef: string;
  /** `YYYY-MM-DD`: the period from `from` up to `to`, excluded, as cost reports take it (by default the last 30 days and today). */
  from: string;
  to: string;
  /** The owner team's `hibernation.mode`. */
  mode: PolicyMode;
  /** True when the owner team's actions stop at planned (`dryRun`). */
  dryRun: boolean;
  /** True when the model's cost figures come from the simulated demo fleet. */
  demo: boolean;
  /** Absent when the model's workload cannot be read now (`missing` says why). */
  state?: HibernationState;
  /**
   * `sleep` for a model deployed with the sleep idle tier: it rests with
   * its engine asleep (vLLM sleep mode), not at zero, and wakes in about
   * `sleepWakeSeconds`.
   */
  idleTier?: 'sleep';
  /** The wake time of a sleeping engine in the team's policy, for `idleTier: sleep`. */
  sleepWakeSeconds?: number;
  replicas?: { desired: number; ready: number };
  /** Its KEDA autoscaler and the keep-alive set on it now (seconds). */
  autoscaler?: AutoscalerRef & { keepAliveSeconds: number };
  /** The keep-alive ModelFleet learned for it, and why. */
  keepAlive?: { seconds: number | null; reason: string };
  /** The hibernation loop's last decision for it. */
  decision?: HibernationDecisionView;
  /** Wakes from zero in the period, newest first (at most 50). */
  wakes: ModelWake[];
  coldStarts: number;
  /** Seconds from wake to ready over the period's wakes; null without any. */
  wakeSeconds: { p50: number | null; p95: number | null };
  /** The next change ModelFleet expects (a schedule window, the keep-alive running out). */
  nextChange?: { at: string; what: string };
  /**
   * GPU-hours and dollars not spent while the model was at zero, against
   * keeping one replica always on, at the showback price (the same figures
   * as `savedGpuHours` and `savedUsd` of its cost report).
   */
  savings: { gpuHours: number; usd: number };
  /** Why the workload could not be read, when it could not. */
  missing?: string;
}
