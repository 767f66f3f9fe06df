/**
 * Actions: how a decision (an engine's or a person's) changes a cluster.
 * An action is stored with its ordered steps, each with the step that undoes
 * it, and moves through a state machine:
 *
 * `planned → applying(step) → verifying → done`, or on failure
 * `rollingBack → rolledBack` (or `failed` when even the rollback fails), or
 * `cancelled` when someone cancels it before it runs.
 */

import type {
  ConsolidationDetails,
  FallbackDetails,
  MoveDetails,
} from './actionDetails';

export type {
  ConsolidationDetails,
  FallbackDetails,
  MoveDetails,
} from './actionDetails';
import type { ActionOperation } from './actionOperations';

export type { ActionOperation } from './actionOperations';

/**
 * A Deployment or StatefulSet a model runs as.
 *
 * @public
 */
export interface WorkloadRef {
  cluster: string;
  namespace: string;
  kind: 'Deployment' | 'StatefulSet';
  name: string;
}

/**
 * A KEDA autoscaler of a model: a `ScaledObject` (keda.sh/v1alpha1) or an
 * `HTTPScaledObject` of the KEDA HTTP add-on (http.keda.sh/v1alpha1).
 *
 * @public
 */
export interface AutoscalerRef {
  cluster: string;
  namespace: string;
  kind: 'ScaledObject' | 'HTTPScaledObject';
  name: string;
}

/**
 * Any Kubernetes object, as JSON.
 *
 * @public
 */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/**
 * A step of an action: what it does, what undoes it (absent when nothing
 * needs undoing, e.g. a wait), and a sentence for people.
 *
 * @public
 */
export interface ActionStep {
  description: string;
  do: ActionOperation;
  undo?: ActionOperation;
  /**
   * True once the runner has read, just before the step first ran, the
   * value its undo restores (the replicas, the paused count, the keep-alive)
   * and stored it in `undo`. A runner resuming the step after a crash does
   * not read it again (it would read the step's own effect).
   */
  captured?: boolean;
}

/**
 * The states of an action.
 *
 * @public
 */
export type ActionState =
  | 'planned'
  | 'applying'
  | 'verifying'
  | 'done'
  | 'rollingBack'
  | 'rolledBack'
  | 'failed'
  | 'cancelled';

/** @public */
export const ACTION_STATES: readonly ActionState[] = [
  'planned',
  'applying',
  'verifying',
  'done',
  'rollingBack',
  'rolledBack',
  'failed',
  'cancelled',
];

/** States an action never leaves. @public */
export const FINAL_ACTION_STATES: readonly ActionState[] = [
  'done',
  'rolledBack',
  'failed',
  'cancelled',
];

/**
 * What an action is for.
 *
 * @public
 */
export type ActionKind =
  | 'deploy'
  | 'scale'
  | 'hibernate'
  | 'wake'
  | 'keepAlive'
  | 'sleep'
  | 'migrate'
  | 'spot-fallback'
  | 'consolidate'
  | 'poolMinimum';

/** @public */
export const ACTION_KINDS: readonly ActionKind[] = [
  'deploy',
  'scale',
  'hibernate',
  'wake',
  'keepAlive',
  'sleep',
  'migrate',
  'spot-fallback',
  'consolidate',
  'poolMinimum',
];

/**
 * How one object would change: its state now (null when it does not exist)
 * and after the step.
 *
 * @public
 */
export interface ObjectDiff {
  step: number;
  cluster: string;
  kind: string;
  namespace?: string;
  name: string;
  /** Each changed field by its JSON path, e.g. `spec.replicas`. */
  changes: Array<{ path: string; before: unknown; after: unknown }>;
}

/**
 * A transition of an action, as the activity card and the audit log show it.
 *
 * @public
 */
export interface ActionEvent {
  at: string;
  from: ActionState | null;
  to: ActionState;
  /** Index of the step concerned, when one is. */
  step?: number;
  /** `user:default/jane`, `policy:hibernation`, or `replica:<id>`. */
  actor: string;
  outcome: 'succeeded' | 'failed' | 'retrying' | 'info';
  message: string;
}

/**
 * An action as the REST API returns it.
 *
 * @public
 */
export interface ModelFleetAction {
  id: string;
  idempotencyKey: string;
  kind: ActionKind;
  /**
   * The Model entity, e.g. `model:default/chat-assistant`; for a
   * `consolidate` or `poolMinimum` action, the GpuPool it changes.
   */
  entityRef: string;
  cluster: string;
  steps: ActionStep[];
  state: ActionState;
  /** The step being applied (or rolled back); -1 before the first. */
  stepIndex: number;
  attempts: number;
  /** The last error, as the cluster or the actuator gave it. */
  lastError?: string;
  /** When a failed attempt is retried. */
  nextAttemptAt?: string;
  leaseOwner?: string;
  leaseExpiresAt?: string;
  version: number;
  /** True while the action waits for approval (it stops at `planned`). */
  dryRun: boolean;
  /** Who or which policy asked for it. */
  requestedBy: string;
  approvedBy?: string;
  reason: string;
  createdAt: string;
  updatedAt: string;
  finishedAt?: string;
  /** What applying it changes, worked out when it was planned. */
  diff?: ObjectDiff[];
  /** The figures it was decided on: a move's (`migrate`). */
  details?: MoveDetails;
  /** The figures it was decided on: an on-demand fallback's (`spot-fallback`). */
  fallback?: FallbackDetails;
  /** The figures it was decided on: a node consolidation's (`consolidate`, `poolMinimum`). */
  consolidation?: ConsolidationDetails;
  events?: ActionEvent[];
}

/**
 * `GET /actions`.
 *
 * @public
 */
export interface ActionsResponse {
  actions: ModelFleetAction[];
}

/**
 * `POST /models/:namespace/:name/{scale,hibernate,wake}`: the body of a
 * scale request (hibernate and wake take an optional reason only).
 *
 * @public
 */
export interface ModelActionRequest {
  replicas?: number;
  reason?: string;
}

/**
 * What a person may do with a model: for each of the Model page's buttons,
 * whether it is offered, and the reason when it is not.
 *
 * @public
 */
export interface ModelActionsCapabilities {
  entityRef: string;
  workload?: WorkloadRef;
  autoscaler?: AutoscalerRef;
  /** Replicas desired and ready now, as the cluster reports them. */
  replicas?: { desired: number; ready: number };
  scale: { allowed: boolean; reason?: string };
  hibernate: { allowed: boolean; reason?: string };
  wake: { allowed: boolean; reason?: string };
  /**
   * Put the engine to sleep (vLLM sleep mode); present only for a model
   * deployed with the sleep idle tier.
   */
  sleep?: { allowed: boolean; reason?: string };
  /** Whether the caller may approve and cancel actions. */
  approve: { allowed: boolean; reason?: string };
  /** True when the owner team's policy makes every action stop at planned. */
  dryRun: boolean;
}
