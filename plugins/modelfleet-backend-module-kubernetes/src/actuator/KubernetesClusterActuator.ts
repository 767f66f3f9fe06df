import { LoggerService } from '@backstage/backend-plugin-api';
import { HttpMethod, PatchStrategy } from '@kubernetes/client-node';
import {
  ACTION_STEP_ANNOTATION,
  ActuatorChangeOptions,
  ActuatorError,
  AppliedObject,
  AutoscalerRef,
  ClusterActuator,
  DrainPass,
  EngineSleepState,
  EngineWake,
  KubeObject,
  NodeRef,
  PodStart,
  WorkloadReadiness,
  WorkloadRef,
} from '@modelfleet/plugin-modelfleet-node';
import { KubernetesClusterConfig } from '../config';
import { kubeConfigFor } from '../watch/ClusterWatcher';
import { ClusterClient, ObjectRef } from './ClusterClient';
import {
  EngineCalls,
  readEngineSleep,
  readEngineWakes,
  writeEngineSleep,
} from './engineSleep';
import { isNotFound, toActuatorError } from './errors';
import { cordonNode, drainNode, NodeWriter } from './nodes';
import { podSelectorOf, podStartsOf } from './pods';
import { readinessOf, Workload } from './workloadReads';
import { logChange, mergePatch, writeQuery } from './writes';
import {
  AutoscalerWriter,
  pauseAutoscalerOn,
  setKeepAliveOn,
} from './autoscalers';
import {
  applyBody,
  checkCount,
  describeObject,
  describeRef,
  workloadPath,
} from './resources';

/**
 * Options of {@link KubernetesClusterActuator}.
 *
 * @public
 */
export interface KubernetesClusterActuatorOptions {
  clusters: KubernetesClusterConfig[];
  logger: LoggerService;
  /**
   * How long one request to an API server may take, in milliseconds;
   * 30 000 by default. A request that takes longer fails with an
   * `ActuatorError` of code `timeout`.
   */
  requestTimeoutMs?: number;
}

/** @internal */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** The part of a `scale` subresource read here. */
interface Scale {
  spec?: { replicas?: number };
}

/**
 * Changes Kubernetes clusters for ModelFleet: server-side applies (field
 * manager `modelfleet`, conflicts forced), replicas through the `scale`
 * subresource, and KEDA autoscalers' pause annotation and keep-alive, by
 * merge patches. Reads before it writes, and writes nothing when the
 * cluster is already as asked, so every method is idempotent; every change
 * can carry the action step that made it (`modelfleet.io/action-step`).
 * Each request has a time limit and is never retried here: errors become
 * {@link @modelfleet/plugin-modelfleet-node#ActuatorError}s that tell the
 * action runner whether to retry.
 *
 * @public
 */
export class KubernetesClusterActuator implements ClusterActuator {
  readonly id = 'kubernetes';
  private readonly clients = new Map<string, ClusterClient>();
  private readonly logger: LoggerService;
  private readonly timeoutMs: number;

  constructor(options: KubernetesClusterActuatorOptions) {
    this.logger = options.logger;
    this.timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    if (!(this.timeoutMs > 0)) {
      throw new Error(
        `requestTimeoutMs must be more than 0, not ${options.requestTimeoutMs}`,
      );
    }
    for (const cluster of options.clusters) {
      if (this.clients.has(cluster.name)) {
        throw new Error(`cluster name '${cluster.name}' appears twice`);
      }
      this.clients.set(
        cluster.name,
        ClusterClient.create(kubeConfigFor(cluster), this.timeoutMs),
      );
    }
  }

  async listClusters(): Promise<string[]> {
    return [...this.clients.keys()];
  }

  async apply(
    cluster: string,
    objects: KubeObject[],
    options: ActuatorChangeOptions = {},
  ): Promise<AppliedObject[]> {
    const client = this.client(cluster);
    const bodies = objects.map(o => applyBody(cluster, o, options.actionStep));
    const applied: AppliedObject[] = [];
    for (const body of bodies) {
      const ref: ObjectRef = {
        apiVersion: body.apiVersion,
        kind: body.kind,
        namespace: body.metadata.namespace,
        name: body.metadata.name,
      };
      const what = describeObject(ref);
      const object = await this.call(cluster, what, async () =>
        client.request<KubeObject>(
          HttpMethod.PATCH,
          await client.objectPath(ref),
          {
            query: { ...writeQuery(options), force: 'true' },
            contentType: PatchStrategy.ServerSideApply,
            body,
          },
        ),
      );
      const namespace = object.metadata?.namespace;
      applied.push({
        kind: object.kind,
        name: object.metadata.name,
        ...(namespace ? { namespace } : {}),
        object,
      });
      this.logChange(cluster, `applied ${what}`, options);
    }
    return applied;
  }

  async get(cluster: string, ref: ObjectRef): Promise<KubeObject | undefined> {
    const client = this.client(cluster);
    const what = describeObject(ref ?? {});
    if (!ref?.apiVersion || !ref.kind || !ref.name) {
      throw new ActuatorError(
        'invalid',
        `${cluster}: ${what}: apiVersion, kind and name are required`,
      );
    }
    try {
      return await client.request<KubeObject>(
        HttpMethod.GET,
        await client.objectPath(ref),
      );
    } catch (error) {
      // An object of a kind the cluster does not serve does not exist either.
      if (isNotFound(error)) return undefined;
      throw toActuatorError(error, this.context(cluster, what));
    }
  }

  async remove(
    cluster: string,
    ref: ObjectRef,
    options: ActuatorChangeOptions = {},
  ): Promise<{ existed: boolean }> {
    const client = this.client(cluster);
    const what = describeObject(ref ?? {});
    if (ref?.kind !== 'ServiceExport') {
      // The one kind ModelFleet deletes (its RBAC allows no other).
      throw new ActuatorError(
        'invalid',
        `${cluster}: ${what}: ModelFleet deletes ServiceExports only`,
        false,
      );
    }
    try {
      await client.request(HttpMethod.DELETE, await client.objectPath(ref), {
        query: { dryRun: options.dryRun ? 'All' : undefined },
      });
    } catch (error) {
      if (isNotFound(error)) return { existed: false };
      throw toActuatorError(error, this.context(cluster, what));
    }
    this.logChange(cluster, `deleted ${what}`, options);
    return { existed: true };
  }

  async scale(
    workload: WorkloadRef,
    replicas: number,
    options: ActuatorChangeOptions = {},
  ): Promise<{ previous: number }> {
    const client = this.client(workload.cluster);
    const what = describeRef(workload);
    const path = workloadPath(workload);
    checkCount(workload.cluster, what, 'replicas', replicas);
    return this.call(workload.cluster, what, async () => {
      const scale = await client.request<Scale>(
        HttpMethod.GET,
        `${path}/scale`,
      );
      const previous = scale.spec?.replicas ?? 0;
      if (previous === replicas) return { previous };
      // The annotation first: when the scale then fails, a retry stamps it
      // again (no change) and scales; the other way round, a retry would
      // find the replicas set and never stamp.
      if (options.actionStep) {
        await mergePatch(client, path, options, {
          metadata: {
            annotations: { [ACTION_STEP_ANNOTATION]: options.actionStep },
          },
        });
      }
      await mergePatch(client, `${path}/scale`, options, {
        spec: { replicas },
      });
      this.logChange(
        workload.cluster,
        `scaled ${what} from ${previous} to ${replicas} replicas`,
        options,
      );
      return { previous };
    });
  }

  async pauseAutoscaler(
    autoscaler: AutoscalerRef,
    replicas: number | null,
    options: ActuatorChangeOptions = {},
  ): Promise<{ previous: number | null }> {
    return pauseAutoscalerOn(this.writer(autoscaler), replicas, options);
  }

  async setKeepAlive(
    autoscaler: AutoscalerRef,
    seconds: number,
    options: ActuatorChangeOptions = {},
  ): Promise<{ previous: number | null }> {
    return setKeepAliveOn(this.writer(autoscaler), seconds, options);
  }

  /** What the autoscaler writes need of this actuator. */
  private writer(autoscaler: AutoscalerRef): AutoscalerWriter {
    const what = describeRef(autoscaler);
    return {
      autoscaler,
      what,
      client: this.client(autoscaler.cluster),
      call: fn => this.call(autoscaler.cluster, what, fn),
      log: (change, options) =>
        this.logChange(autoscaler.cluster, change, options),
    };
  }

  async cordon(
    node: NodeRef,
    unschedulable: boolean,
    options: ActuatorChangeOptions = {},
  ): Promise<{ previous: boolean }> {
    return cordonNode(this.nodeWriter(node), node, unschedulable, options);
  }

  async drain(
    node: NodeRef,
    options: ActuatorChangeOptions = {},
  ): Promise<DrainPass> {
    return drainNode(this.nodeWriter(node), node, options);
  }

  private nodeWriter(node: NodeRef): NodeWriter {
    return {
      client: this.client(node.cluster),
      call: (what, fn) => this.call(node.cluster, what, fn),
      log: (change, options) => this.logChange(node.cluster, change, options),
    };
  }

  async readiness(workload: WorkloadRef): Promise<WorkloadReadiness> {
    const client = this.client(workload.cluster);
    const path = workloadPath(workload);
    const object = await this.call(
      workload.cluster,
      describeRef(workload),
      () => client.request<Workload>(HttpMethod.GET, path),
    );
    return readinessOf(object);
  }

  async podStarts(workload: WorkloadRef): Promise<PodStart[]> {
    const client = this.client(workload.cluster);
    const what = describeRef(workload);
    const object = await this.call(workload.cluster, what, () =>
      client.request<Workload>(HttpMethod.GET, workloadPath(workload)),
    );
    const labelSelector = podSelectorOf(workload, what, object.spec?.selector);
    const list = await this.call(workload.cluster, `the pods of ${what}`, () =>
      client.request<{ items?: unknown[] }>(
        HttpMethod.GET,
        `/api/v1/namespaces/${encodeURIComponent(workload.namespace)}/pods`,
        { query: { labelSelector } },
      ),
    );
    return podStartsOf((list.items ?? []) as Parameters<typeof podStartsOf>[0]);
  }

  async engineSleep(workload: WorkloadRef): Promise<EngineSleepState> {
    return readEngineSleep(this.engineCalls(workload.cluster), workload);
  }

  async engineWakes(workload: WorkloadRef): Promise<EngineWake[]> {
    return readEngineWakes(this.engineCalls(workload.cluster), workload);
  }

  async setEngineSleep(
    workload: WorkloadRef,
    level: 1 | null,
    options: ActuatorChangeOptions = {},
  ): Promise<{ previous: EngineSleepState }> {
    const { previous, changed } = await writeEngineSleep(
      this.engineCalls(workload.cluster),
      workload,
      level,
      Boolean(options.dryRun),
    );
    if (changed.length) {
      this.logChange(
        workload.cluster,
        `${
          level === null ? 'woke' : `put to sleep (level ${level})`
        } the engine of ${describeRef(workload)} in pod(s) ${changed.join(
          ', ',
        )}`,
        options,
      );
    }
    return { previous };
  }

  private engineCalls(cluster: string): EngineCalls {
    return {
      client: this.client(cluster),
      call: (what, fn) => this.call(cluster, what, fn),
    };
  }

  private client(cluster: string): ClusterClient {
    const client = this.clients.get(cluster);
    if (!client) {
      const known = [...this.clients.keys()];
      throw new ActuatorError(
        'unknownCluster',
        `the kubernetes actuator has no cluster '${cluster}'; its clusters are: ${
          known.length ? known.join(', ') : 'none'
        }`,
      );
    }
    return client;
  }

  private context(cluster: string, object: string) {
    return { cluster, object, timeoutMs: this.timeoutMs };
  }

  /** Runs the requests of one call, turning their errors into ActuatorErrors. */
  private async call<T>(
    cluster: string,
    what: string,
    fn: () => Promise<T>,
  ): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw toActuatorError(error, this.context(cluster, what));
    }
  }

  private logChange(
    cluster: string,
    change: string,
    options: ActuatorChangeOptions,
  ): void {
    logChange(this.logger, cluster, change, options);
  }
}
