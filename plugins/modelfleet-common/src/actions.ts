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
 * One thing an action does to a cluster. Every operation is idempotent:
 * doing it twice leaves the cluster as doing it once.
 *
 * @public
 */
export type ActionOperation =
  | {
      /** Server-side apply of the objects with field manager `modelfleet`. */
      op: 'apply';
      cluster: string;
      objects: KubeObject[];
    }
  | {
      /** Set a workload's replicas (the `scale` subresource). */
      op: 'scale';
      workload: WorkloadRef;
      replicas: number;
      /**
       * True when an autoscaler may change the replicas afterwards (a KEDA
       * scaler that wakes the model on demand): the action's verification
       * does not hold the replicas to this value.
       */
      autoscaled?: boolean;
      /**
       * A guard for an undo: scale only while the workload still wants
       * this many replicas (what the action set). When someone else (a
       * schedule, a person, another controller) has changed the count
       * since, their count stands and the undo leaves it.
       */
      ifReplicas?: number;
    }
  | {
      /**
       * Pause a KEDA autoscaler at a replica count
       * (`autoscaling.keda.sh/paused-replicas`), or resume it (`null`).
       */
      op: 'pauseAutoscaler';
      autoscaler: AutoscalerRef;
      replicas: number | null;
    }
  | {
      /**
       * Set a scale-to-zero keep-alive: `spec.cooldownPeriod` of a
       * `ScaledObject`, `spec.scaledownPeriod` of an `HTTPScaledObject`.
       */
      op: 'setKeepAlive';
      autoscaler: AutoscalerRef;
      seconds: number;
    }
  | {
      /**
       * Put the serving engine of each Ready pod of the workload to sleep
       * (vLLM sleep mode, `level` 1: weights to host memory, GPU memory
       * released), or wake it (`level` null). For models deployed with the
       * sleep idle tier (`modelfleet.io/idle-tier: sleep`), whose wake gate
       * wakes the engine on the next request.
       */
      op: 'sleepEngine';
      workload: WorkloadRef;
      level: 1 | null;
    }
  | {
      /**
       * Delete an object. Only a Multi-Cluster Services `ServiceExport`
       * (`multicluster.x-k8s.io/v1alpha1`) is ever deleted: it switches a
       * model's traffic away from a cluster. Absent already is done.
       */
      op: 'remove';
      cluster: string;
      object: {
        apiVersion: string;
        kind: string;
        namespace: string;
        name: string;
      };
    }
  | {
      /**
       * Cordon a node (`spec.unschedulable: true`: the scheduler places no
       * new pod there), or uncordon it (`false`). What a consolidation does
       * first to a node it empties, and what its rollback undoes.
       */
      op: 'cordon';
      cluster: string;
      node: string;
      unschedulable: boolean;
    }
  | {
      /**
       * Evict the model pods on a node (those labelled
       * `modelfleet.io/model`) through the Eviction API, as
       * `kubectl drain --ignore-daemonsets` does, so their controllers
       * place them again on other nodes; each pod's PodDisruptionBudget
       * holds back what it protects, and the next pass tries again. Done
       * once no model pod is left on the node. DaemonSet and mirror pods
       * stay; any other pod on the node stops the drain before it evicts
       * anything (ModelFleet evicts only what it runs).
       */
      op: 'drain';
      cluster: string;
      node: string;
      timeoutSeconds: number;
    }
  | {
      /**
       * Set a node pool's minimum size on its cloud (the EKS node group,
       * GKE node pool or AKS agent pool `pool` of the cluster), through the
       * cloud's node-pool API that manages the cluster; its maximum stays.
       * Lowering it lets the cluster autoscaler remove idle nodes the
       * minimum kept.
       */
      op: 'setPoolMinimum';
      cluster: string;
      pool: string;
      min: number;
    }
  | {
      /**
       * Wait until the workload has this many ready replicas. When its
       * count is changed meanwhile by someone else, the wait fails at once
       * (it would never be met), unless `autoscaled`.
       */
      op: 'waitReady';
      workload: WorkloadRef;
      replicas: number;
      timeoutSeconds: number;
      /**
       * True when an autoscaler owns the count now (Hibernate hands the
       * model back to KEDA): when it changes the count, the wait is over.
       */
      autoscaled?: boolean;
    };

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
