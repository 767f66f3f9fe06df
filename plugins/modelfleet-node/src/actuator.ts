import type {
  AutoscalerRef,
  KubeObject,
  WorkloadRef,
} from '@modelfleet/plugin-modelfleet-common';
import type { NodePoolRef, NodePoolSize } from './nodePools';

export type {
  AutoscalerRef,
  KubeObject,
  WorkloadRef,
} from '@modelfleet/plugin-modelfleet-common';

/**
 * The annotation every object ModelFleet changes carries: the action and
 * step that changed it last (`<idempotency key>#<step index>`), so a person
 * reading the cluster sees why, and a test can count changes per action.
 *
 * @public
 */
export const ACTION_STEP_ANNOTATION = 'modelfleet.io/action-step';

/**
 * The field manager of ModelFleet's server-side applies.
 *
 * @public
 */
export const MODELFLEET_FIELD_MANAGER = 'modelfleet';

/**
 * Why a cluster call failed, in terms an action can act on.
 * `retryable` errors (5xx, 409 conflicts, 429, timeouts, connection
 * errors) are retried with backoff; the others fail the step at once.
 *
 * @public
 */
export type ActuatorErrorCode =
  | 'conflict'
  | 'forbidden'
  | 'unauthorized'
  | 'notFound'
  | 'invalid'
  | 'unavailable'
  | 'timeout'
  | 'unknownCluster';

/**
 * An error of a {@link ClusterActuator}, with the cluster's own message.
 *
 * @public
 */
export class ActuatorError extends Error {
  readonly name = 'ActuatorError';
  constructor(
    readonly code: ActuatorErrorCode,
    message: string,
    readonly retryable: boolean = [
      'conflict',
      'unavailable',
      'timeout',
    ].includes(code),
    readonly status?: number,
  ) {
    super(message);
  }
}

/**
 * Options of every change.
 *
 * @public
 */
export interface ActuatorChangeOptions {
  /** Server dry-run (`dryRun=All`): the API server checks, stores nothing. */
  dryRun?: boolean;
  /**
   * `<idempotency key>#<step index>` of the action step making the change,
   * written to the {@link ACTION_STEP_ANNOTATION} of the changed object.
   */
  actionStep?: string;
}

/**
 * What one object is after a server-side apply.
 *
 * @public
 */
export interface AppliedObject {
  kind: string;
  name: string;
  namespace?: string;
  /** The object as the API server returned it. */
  object: KubeObject;
}

/**
 * A workload's readiness, from its status.
 *
 * @public
 */
export interface WorkloadReadiness {
  /** `spec.replicas`. */
  desired: number;
  /** `status.readyReplicas`. */
  ready: number;
  /** `status.updatedReplicas`. */
  updated: number;
  /**
   * `status.replicas`: its pods of every template, so a rollout still
   * under way (old pods not gone) shows more than `updated`. Undefined
   * where the workload does not report it.
   */
  total?: number;
  /** False while the controller has not seen the latest spec. */
  observed: boolean;
}

/**
 * A pod of a workload: when it was created and, once Ready, when it turned
 * Ready (the `lastTransitionTime` of its Ready condition).
 *
 * @public
 */
export interface PodStart {
  name: string;
  /** ISO 8601 */
  createdAt: string;
  /** ISO 8601; absent while the pod is not Ready. */
  readyAt?: string;
}

/**
 * The sleep state of a workload's serving engines (vLLM sleep mode), one
 * entry per Ready pod.
 *
 * @public
 */
export interface EngineSleepState {
  pods: Array<{ name: string; sleeping: boolean }>;
}

/** The annotation naming a workload's idle tier: `sleep` for vLLM sleep mode. */
export const IDLE_TIER_ANNOTATION = 'modelfleet.io/idle-tier';
/** The annotation naming the port of the serving engine behind the wake gate. */
export const ENGINE_PORT_ANNOTATION = 'modelfleet.io/engine-port';
/** The annotation naming the wake gate's port (8080 when absent). */
export const WAKE_GATE_PORT_ANNOTATION = 'modelfleet.io/wake-gate-port';
/**
 * Where a wake gate answers the wakes it made (`GET`, JSON
 * `{"wakes":[{"startedAt": ISO 8601, "seconds": n}]}`, oldest first, the
 * last 100): each time a request found the engine asleep and the gate
 * woke it, and how long the wake took.
 */
export const WAKE_GATE_WAKES_PATH = '/wake-gate/wakes';

/**
 * A wake of a sleeping engine that a request caused: the gate in front of
 * the engine held the request while it woke the engine.
 *
 * @public
 */
export interface EngineWake {
  /** The pod whose gate woke its engine. */
  pod: string;
  /** ISO 8601: when the gate started the wake. */
  startedAt: string;
  /** Seconds until the engine was awake. */
  seconds: number;
}

/**
 * A node of a cluster, by name.
 *
 * @public
 */
export interface NodeRef {
  cluster: string;
  name: string;
}

/**
 * One pass of a drain: what it evicted, what held, and what is left.
 *
 * @public
 */
export interface DrainPass {
  /** Model pods evicted by this pass (`namespace/name`). */
  evicted: string[];
  /**
   * Model pods a PodDisruptionBudget kept this pass (the API server's
   * 429), with its reason; a later pass tries again.
   */
  blocked: Array<{ pod: string; reason: string }>;
  /**
   * Model pods on the node that are not gone yet: evicted but still
   * terminating, or blocked. Zero once the node runs no model pod.
   */
  remaining: number;
}

/**
 * The only way ModelFleet changes a cluster. Implemented for Kubernetes by
 * the Kubernetes module; engines and the action runner reach clusters only
 * through it. Every method is idempotent and throws {@link ActuatorError}.
 *
 * @public
 */
export interface ClusterActuator {
  /** Unique id, e.g. `kubernetes`. */
  readonly id: string;
  /** The clusters this actuator can reach, by name. */
  listClusters(): Promise<string[]>;
  /** Server-side apply, field manager `modelfleet`, conflicts forced. */
  apply(
    cluster: string,
    objects: KubeObject[],
    options?: ActuatorChangeOptions,
  ): Promise<AppliedObject[]>;
  /** The object now, or `undefined` when it does not exist. */
  get(
    cluster: string,
    ref: { apiVersion: string; kind: string; namespace?: string; name: string },
  ): Promise<KubeObject | undefined>;
  /**
   * Deletes an object; absent already is done (`existed: false`).
   * ModelFleet deletes one kind only: a Multi-Cluster Services
   * `ServiceExport`, which switches a model's traffic away from a cluster.
   * Workloads are parked at zero replicas, never deleted.
   */
  remove?(
    cluster: string,
    ref: { apiVersion: string; kind: string; namespace?: string; name: string },
    options?: ActuatorChangeOptions,
  ): Promise<{ existed: boolean }>;
  /** Sets a workload's replicas through its `scale` subresource. Returns the replicas before. */
  scale(
    workload: WorkloadRef,
    replicas: number,
    options?: ActuatorChangeOptions,
  ): Promise<{ previous: number }>;
  /**
   * Pauses a KEDA autoscaler at a replica count
   * (`autoscaling.keda.sh/paused-replicas`), or resumes it with `null`.
   * Returns the paused replicas before (`null` when it was running).
   */
  pauseAutoscaler(
    autoscaler: AutoscalerRef,
    replicas: number | null,
    options?: ActuatorChangeOptions,
  ): Promise<{ previous: number | null }>;
  /**
   * Sets the scale-to-zero keep-alive of a KEDA autoscaler
   * (`spec.cooldownPeriod` of a ScaledObject, `spec.scaledownPeriod` of an
   * HTTPScaledObject). Returns the seconds before (`null` when unset).
   */
  setKeepAlive(
    autoscaler: AutoscalerRef,
    seconds: number,
    options?: ActuatorChangeOptions,
  ): Promise<{ previous: number | null }>;
  /**
   * Cordons a node (`spec.unschedulable: true`) or uncordons it
   * (`false`), by a merge patch that also stamps the action step. A node
   * already so is left as it is. Returns whether it was cordoned before.
   * Optional: an actuator without it offers no consolidation.
   */
  cordon?(
    node: NodeRef,
    unschedulable: boolean,
    options?: ActuatorChangeOptions,
  ): Promise<{ previous: boolean }>;
  /**
   * One pass of a drain of a node: evicts each model pod on it
   * (labelled `modelfleet.io/model`, not terminating) through the
   * Eviction API, which honours PodDisruptionBudgets. DaemonSet and mirror
   * pods, and pods that have ended, stay. Throws an `ActuatorError`
   * `conflict` (not retryable) naming them when the node runs other pods,
   * before it evicts anything: ModelFleet evicts only what it runs.
   */
  drain?(node: NodeRef, options?: ActuatorChangeOptions): Promise<DrainPass>;
  /**
   * A node pool's size bounds on its cloud. Optional: served by the
   * backend with the cloud's `NodePoolApi` that manages the cluster.
   */
  poolSize?(pool: NodePoolRef): Promise<NodePoolSize>;
  /**
   * Sets a node pool's minimum size on its cloud (see `NodePoolApi`).
   * Returns the size before.
   */
  setPoolMinimum?(
    pool: NodePoolRef,
    min: number,
    options?: ActuatorChangeOptions,
  ): Promise<{ previous: NodePoolSize }>;
  /** The workload's readiness now. */
  readiness(workload: WorkloadRef): Promise<WorkloadReadiness>;
  /**
   * The workload's pods now (those its selector matches), with when each
   * was created and when it turned Ready, so a wake from zero can be timed
   * exactly. Optional: without it, wakes are timed by the hibernation
   * loop's passes.
   */
  podStarts?(workload: WorkloadRef): Promise<PodStart[]>;
  /**
   * Whether the serving engine of each Ready pod of the workload sleeps,
   * asked of the engine (`GET /is_sleeping`) through the API server's pod
   * proxy on its port ({@link ENGINE_PORT_ANNOTATION}, default 8000).
   * Optional: an actuator without it offers no sleep tier.
   */
  engineSleep?(workload: WorkloadRef): Promise<EngineSleepState>;
  /**
   * Puts the serving engine of each Ready pod to sleep at `level` (vLLM
   * `POST /sleep?level=1`), or wakes it with `null` (`POST /wake_up`,
   * which answers once the engine is awake), through the pod proxy. An
   * engine already in that state is left as it is. Returns the state
   * before.
   */
  setEngineSleep?(
    workload: WorkloadRef,
    level: 1 | null,
    options?: ActuatorChangeOptions,
  ): Promise<{ previous: EngineSleepState }>;
  /**
   * The wakes the wake gate of each Ready pod made for requests that found
   * its engine asleep ({@link WAKE_GATE_WAKES_PATH} on the gate's port,
   * {@link WAKE_GATE_PORT_ANNOTATION}), through the pod proxy; oldest first.
   */
  engineWakes?(workload: WorkloadRef): Promise<EngineWake[]>;
}
