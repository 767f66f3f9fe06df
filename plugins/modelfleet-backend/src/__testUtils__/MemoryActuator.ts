import {
  AutoscalerRef,
  KubeObject,
  WorkloadRef,
} from '@modelfleet/plugin-modelfleet-common';
import {
  ActuatorChangeOptions,
  ActuatorError,
  ActuatorErrorCode,
  ClusterActuator,
  DrainPass,
  EngineSleepState,
  EngineWake,
  IDLE_TIER_ANNOTATION,
  NodeRef,
} from '@modelfleet/plugin-modelfleet-node';

const PAUSED = 'autoscaling.keda.sh/paused-replicas';

type Method =
  | 'apply'
  | 'remove'
  | 'get'
  | 'scale'
  | 'pauseAutoscaler'
  | 'setKeepAlive'
  | 'readiness'
  | 'engineSleep'
  | 'setEngineSleep'
  | 'engineWakes'
  | 'cordon'
  | 'drain';

/**
 * A cluster held in memory behind the `ClusterActuator` interface, for the
 * runner's unit tests: workloads become ready at once (or when the test
 * says), every change is counted per action step, and failures can be
 * queued per method. The Kubernetes implementation is tested against a
 * server speaking the Kubernetes wire in its own package.
 */
export class MemoryActuator implements ClusterActuator {
  readonly id = 'memory';
  readonly objects = new Map<string, KubeObject>();
  /** Changes made, per `actionStep` value. */
  readonly changes = new Map<string, number>();
  /** Failures to throw, in order, per method. */
  readonly failures = new Map<Method, ActuatorErrorCode[]>();
  /** When false, scaled workloads do not become ready until `settle()`. */
  autoReady = true;
  /** Workloads (`cluster/namespace/name`) that never become ready. */
  readonly stuck = new Set<string>();
  /** Called before each method; a test may block or crash there. */
  beforeCall?: (method: Method) => Promise<void> | void;

  constructor(readonly clusters: string[] = ['c1']) {}

  async listClusters() {
    return this.clusters;
  }

  private key(cluster: string, kind: string, namespace = '', name = '') {
    return `${cluster}/${kind}/${namespace}/${name}`;
  }

  private async enter(method: Method, cluster: string) {
    await this.beforeCall?.(method);
    if (!this.clusters.includes(cluster)) {
      throw new ActuatorError('unknownCluster', `no cluster ${cluster}`, false);
    }
    const code = this.failures.get(method)?.shift();
    if (code) throw new ActuatorError(code, `${method} failed: ${code}`);
  }

  private count(options?: ActuatorChangeOptions) {
    if (!options?.actionStep) return;
    this.changes.set(
      options.actionStep,
      (this.changes.get(options.actionStep) ?? 0) + 1,
    );
  }

  /** Whether the engine of each workload's pods sleeps, by workload key. */
  readonly sleeping = new Map<string, boolean>();

  /**
   * Adds a Deployment with `replicas` ready, and optionally its
   * ScaledObject; `sleepTier` deploys it with the sleep idle tier.
   */
  addModel(
    w: WorkloadRef,
    replicas: number,
    autoscaler?: { paused?: number },
    sleepTier = false,
  ) {
    this.objects.set(this.key(w.cluster, w.kind, w.namespace, w.name), {
      apiVersion: 'apps/v1',
      kind: w.kind,
      metadata: {
        name: w.name,
        namespace: w.namespace,
        ...(sleepTier
          ? { annotations: { [IDLE_TIER_ANNOTATION]: 'sleep' } }
          : {}),
      },
      spec: { replicas },
      status: { replicas, readyReplicas: replicas, updatedReplicas: replicas },
    });
    if (autoscaler) {
      this.objects.set(
        this.key(w.cluster, 'ScaledObject', w.namespace, w.name),
        {
          apiVersion: 'keda.sh/v1alpha1',
          kind: 'ScaledObject',
          metadata: {
            name: w.name,
            namespace: w.namespace,
            annotations:
              autoscaler.paused === undefined
                ? {}
                : { [PAUSED]: String(autoscaler.paused) },
          },
          spec: {
            scaleTargetRef: { name: w.name },
            minReplicaCount: 0,
            maxReplicaCount: 4,
          },
        },
      );
    }
  }

  /**
   * Adds a node; `pods` model pods run on it. A drain's pass evicts them
   * all, except those `pdbHeld` keeps for as many passes.
   */
  addNode(cluster: string, name: string, pods = 0, unschedulable = false) {
    this.objects.set(this.key(cluster, 'Node', '', name), {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name },
      spec: unschedulable ? { unschedulable: true } : {},
    });
    this.podsOn.set(`${cluster}/${name}`, pods);
  }

  /** Model pods per node (`cluster/node`). */
  readonly podsOn = new Map<string, number>();
  /** Passes a PodDisruptionBudget holds each node's pods for (`cluster/node`). */
  readonly pdbHeld = new Map<string, number>();

  node(cluster: string, name: string): KubeObject | undefined {
    return this.objects.get(this.key(cluster, 'Node', '', name));
  }

  async cordon(
    node: NodeRef,
    unschedulable: boolean,
    options?: ActuatorChangeOptions,
  ) {
    await this.enter('cordon', node.cluster);
    const o = this.node(node.cluster, node.name);
    if (!o) {
      throw new ActuatorError('notFound', `node ${node.name} not found`, false);
    }
    const spec = (o.spec ?? {}) as { unschedulable?: boolean };
    const previous = spec.unschedulable === true;
    if (previous !== unschedulable) {
      o.spec = unschedulable ? { ...spec, unschedulable: true } : {};
      this.count(options);
    }
    return { previous };
  }

  async drain(node: NodeRef, options?: ActuatorChangeOptions) {
    await this.enter('drain', node.cluster);
    if (!this.node(node.cluster, node.name)) {
      throw new ActuatorError('notFound', `node ${node.name} not found`, false);
    }
    const key = `${node.cluster}/${node.name}`;
    const pods = this.podsOn.get(key) ?? 0;
    const held = this.pdbHeld.get(key) ?? 0;
    const pass: DrainPass = { evicted: [], blocked: [], remaining: 0 };
    if (held > 0 && pods > 0) {
      this.pdbHeld.set(key, held - 1);
      pass.blocked.push({
        pod: `ml/${node.name}-pod`,
        reason:
          "Cannot evict pod as it would violate the pod's disruption budget.",
      });
      pass.remaining = pods;
      return pass;
    }
    for (let i = 0; i < pods; i++) pass.evicted.push(`ml/${node.name}-${i}`);
    if (pods > 0) this.count(options);
    this.podsOn.set(key, 0);
    return pass;
  }

  workload(w: WorkloadRef): KubeObject {
    return this.objects.get(this.key(w.cluster, w.kind, w.namespace, w.name))!;
  }

  autoscaler(a: AutoscalerRef): KubeObject {
    return this.objects.get(this.key(a.cluster, a.kind, a.namespace, a.name))!;
  }

  /** Makes every workload's ready replicas its desired ones. */
  settle() {
    for (const [key, o] of this.objects) {
      const spec = o.spec as { replicas?: number } | undefined;
      const [cluster, , namespace, name] = key.split('/');
      if (this.stuck.has(`${cluster}/${namespace}/${name}`)) continue;
      if (spec?.replicas !== undefined && o.status) {
        const n = spec.replicas;
        o.status = { replicas: n, readyReplicas: n, updatedReplicas: n };
      }
    }
  }

  async apply(
    cluster: string,
    objects: KubeObject[],
    options?: ActuatorChangeOptions,
  ) {
    await this.enter('apply', cluster);
    this.count(options);
    const applied = objects.map(o => {
      const stored = JSON.parse(JSON.stringify(o)) as KubeObject;
      if (
        (o.kind === 'Deployment' || o.kind === 'StatefulSet') &&
        !stored.status
      ) {
        stored.status = { replicas: 0, readyReplicas: 0, updatedReplicas: 0 };
      }
      this.objects.set(
        this.key(cluster, o.kind, o.metadata.namespace, o.metadata.name),
        stored,
      );
      return {
        kind: o.kind,
        name: o.metadata.name,
        namespace: o.metadata.namespace,
        object: stored,
      };
    });
    if (this.autoReady) this.settle();
    return applied;
  }

  async remove(
    cluster: string,
    ref: { kind: string; namespace?: string; name: string },
    options?: ActuatorChangeOptions,
  ) {
    await this.enter('remove', cluster);
    const key = this.key(cluster, ref.kind, ref.namespace, ref.name);
    const existed = this.objects.delete(key);
    if (existed) this.count(options);
    return { existed };
  }

  async get(
    cluster: string,
    ref: { kind: string; namespace?: string; name: string },
  ) {
    await this.enter('get', cluster);
    const o = this.objects.get(
      this.key(cluster, ref.kind, ref.namespace, ref.name),
    );
    return o ? (JSON.parse(JSON.stringify(o)) as KubeObject) : undefined;
  }

  async scale(
    w: WorkloadRef,
    replicas: number,
    options?: ActuatorChangeOptions,
  ) {
    await this.enter('scale', w.cluster);
    const o = this.workload(w);
    if (!o) throw new ActuatorError('notFound', `no ${w.name}`, false, 404);
    const spec = o.spec as { replicas: number };
    const previous = spec.replicas;
    if (previous !== replicas) this.count(options);
    spec.replicas = replicas;
    if (this.autoReady) this.settle();
    return { previous };
  }

  async pauseAutoscaler(
    a: AutoscalerRef,
    replicas: number | null,
    options?: ActuatorChangeOptions,
  ) {
    await this.enter('pauseAutoscaler', a.cluster);
    const o = this.autoscaler(a);
    if (!o) throw new ActuatorError('notFound', `no ${a.name}`, false, 404);
    const annotations = (o.metadata.annotations ??= {});
    const before = annotations[PAUSED];
    if (replicas === null) delete annotations[PAUSED];
    else annotations[PAUSED] = String(replicas);
    if (before !== annotations[PAUSED]) this.count(options);
    return { previous: before === undefined ? null : Number(before) };
  }

  async setKeepAlive(
    a: AutoscalerRef,
    seconds: number,
    options?: ActuatorChangeOptions,
  ) {
    await this.enter('setKeepAlive', a.cluster);
    const o = this.autoscaler(a);
    const spec = o.spec as Record<string, number>;
    const field =
      a.kind === 'ScaledObject' ? 'cooldownPeriod' : 'scaledownPeriod';
    const previous = spec[field] ?? null;
    if (previous !== seconds) this.count(options);
    spec[field] = seconds;
    return { previous };
  }

  async engineSleep(w: WorkloadRef): Promise<EngineSleepState> {
    await this.enter('engineSleep', w.cluster);
    return this.engineState(w);
  }

  async setEngineSleep(
    w: WorkloadRef,
    level: 1 | null,
    options?: ActuatorChangeOptions,
  ) {
    await this.enter('setEngineSleep', w.cluster);
    const previous = this.engineState(w);
    const key = this.key(w.cluster, w.kind, w.namespace, w.name);
    if (previous.pods.some(p => p.sleeping !== (level !== null))) {
      this.count(options);
    }
    this.sleeping.set(key, level !== null);
    return { previous };
  }

  /** What the wake gates of each workload logged, by workload key. */
  private readonly gateWakes = new Map<string, EngineWake[]>();

  /** A request found the workload's engine asleep and its gate woke it. */
  logEngineWake(w: WorkloadRef, startedAt: string, seconds: number): void {
    const key = this.key(w.cluster, w.kind, w.namespace, w.name);
    const log = this.gateWakes.get(key) ?? [];
    log.push({ pod: `${w.name}-0`, startedAt, seconds });
    this.gateWakes.set(key, log);
  }

  async engineWakes(w: WorkloadRef): Promise<EngineWake[]> {
    await this.enter('engineWakes', w.cluster);
    this.engineState(w);
    const key = this.key(w.cluster, w.kind, w.namespace, w.name);
    return [...(this.gateWakes.get(key) ?? [])];
  }

  /** One pod per ready replica, all in the workload's one state. */
  private engineState(w: WorkloadRef): EngineSleepState {
    const key = this.key(w.cluster, w.kind, w.namespace, w.name);
    const o = this.workload(w);
    if (o?.metadata.annotations?.[IDLE_TIER_ANNOTATION] !== 'sleep') {
      throw new ActuatorError(
        'invalid',
        `${w.name} was not deployed with the sleep idle tier`,
        false,
      );
    }
    const ready = (o.status as { readyReplicas: number }).readyReplicas;
    return {
      pods: Array.from({ length: ready }, (_, i) => ({
        name: `${w.name}-${i}`,
        sleeping: this.sleeping.get(key) ?? false,
      })),
    };
  }

  async readiness(w: WorkloadRef) {
    await this.enter('readiness', w.cluster);
    const o = this.workload(w);
    if (!o) throw new ActuatorError('notFound', `no ${w.name}`, false, 404);
    const spec = o.spec as { replicas: number };
    const status = o.status as {
      replicas?: number;
      readyReplicas: number;
      updatedReplicas: number;
    };
    return {
      desired: spec.replicas,
      ready: status.readyReplicas,
      updated: status.updatedReplicas,
      ...(status.replicas === undefined ? {} : { total: status.replicas }),
      observed: true,
    };
  }
}
