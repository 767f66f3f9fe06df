import { LoggerService } from '@backstage/backend-plugin-api';
import {
  AppsV1Api,
  ConfigurationOptions,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesListObject,
  KubernetesObject,
  Observable,
  PolicyV1Api,
  RequestContext,
  ResponseContext,
  User,
  V1Deployment,
  V1Node,
  V1Pod,
  V1PodDisruptionBudget,
  V1StatefulSet,
} from '@kubernetes/client-node';
import {
  ClusterInfo,
  GpuPoolObservation,
} from '@modelfleet/plugin-modelfleet-common';
import {
  ClusterSnapshot,
  ModelPodObservation,
} from '@modelfleet/plugin-modelfleet-node';
import { KubernetesClusterConfig } from '../config';
import { inferClusterPlacement } from '../mapping/nodes';
import {
  buildGpuPools,
  gpuNodePools,
  withEmptyPools,
  reclaimNotices,
} from '../mapping/pools';
import { buildClusterNodes, modelPodsOf } from '../mapping/placement';
import { buildModelWorkloads, InferenceService } from '../mapping/workloads';
import { InformerTiming, ResourceInformer } from './ResourceInformer';

/**
 * How the connector retries, and when it reports a cluster as failed.
 *
 * @public
 */
export interface KubernetesConnectorTiming extends InformerTiming {
  /** How long `snapshot()` waits for the first list of a cluster. */
  initialSyncTimeoutMs: number;
  /**
   * A cluster whose lists or watches have been failing for longer than this
   * is reported as failed by `snapshot()`; until then its cache is used.
   */
  unhealthyAfterMs: number;
}

/** @internal */
export const DEFAULT_TIMING: KubernetesConnectorTiming = {
  initialBackoffMs: 1_000,
  maxBackoffMs: 60_000,
  listTimeoutMs: 60_000,
  absentRecheckMs: 5 * 60_000,
  minWatchMs: 1_000,
  initialSyncTimeoutMs: 15_000,
  unhealthyAfterMs: 2 * 60_000,
};

/** Pods that have finished hold no GPUs; the API server leaves them out. */
export const ACTIVE_PODS = 'status.phase!=Succeeded,status.phase!=Failed';

const KSERVE = {
  group: 'serving.kserve.io',
  version: 'v1beta1',
  plural: 'inferenceservices',
};

/**
 * A client configuration for one cluster.
 *
 * @public
 */
export function kubeConfigFor(cluster: KubernetesClusterConfig): KubeConfig {
  let user: User;
  if (cluster.auth.type === 'serviceAccount' && cluster.auth.token) {
    user = { name: 'modelfleet', token: cluster.auth.token };
  } else if (cluster.auth.type === 'serviceAccount' && cluster.auth.tokenFile) {
    user = {
      name: 'modelfleet',
      authProvider: {
        name: 'tokenFile',
        config: { tokenFile: cluster.auth.tokenFile },
      },
    };
  } else {
    // The client applies the CA and TLS settings only when there is a user.
    user = { name: 'anonymous' };
  }
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [
      {
        name: cluster.name,
        server: cluster.url,
        ...(cluster.caData ? { caData: cluster.caData } : {}),
        ...(cluster.caFile ? { caFile: cluster.caFile } : {}),
        // Plain HTTP (kubectl proxy) has no TLS to verify; the client
        // refuses http: URLs unless this is set.
        skipTLSVerify: cluster.skipTLSVerify || cluster.url.startsWith('http:'),
      },
    ],
    users: [user],
    contexts: [{ name: cluster.name, cluster: cluster.name, user: user.name }],
    currentContext: cluster.name,
  });
  return kubeConfig;
}

/** Request options that abort the request when the signal fires. */
function withSignal(signal: AbortSignal): ConfigurationOptions {
  return {
    middleware: [
      {
        pre(context: RequestContext) {
          context.setSignal(signal);
          return new Observable(Promise.resolve(context));
        },
        post(context: ResponseContext) {
          return new Observable(Promise.resolve(context));
        },
      },
    ],
    middlewareMergeStrategy: 'append',
  };
}

/**
 * One cluster: a cache of its Nodes, Pods, Deployments, StatefulSets,
 * KServe InferenceServices and PodDisruptionBudgets, each kept by
 * list+watch, and snapshots made from that cache without calling the API
 * server. InferenceServices are optional (KServe may not be installed), and
 * so are PodDisruptionBudgets (RBAC may not grant them): without them the
 * workloads carry no `disruptionBudget`.
 *
 * @internal
 */
export class ClusterWatcher {
  private readonly nodes: ResourceInformer<V1Node>;
  private readonly pods: ResourceInformer<V1Pod>;
  private readonly deployments: ResourceInformer<V1Deployment>;
  private readonly statefulSets: ResourceInformer<V1StatefulSet>;
  private readonly inferenceServices: ResourceInformer<InferenceService>;
  private readonly disruptionBudgets: ResourceInformer<V1PodDisruptionBudget>;
  private running = false;
  /** Every GPU pool seen since the start: one at zero nodes is still reported. */
  private readonly seenPools = new Map<string, GpuPoolObservation>();

  constructor(
    private readonly cluster: KubernetesClusterConfig,
    private readonly options: {
      logger: LoggerService;
      timing: KubernetesConnectorTiming;
      now: () => number;
    },
  ) {
    const kubeConfig = kubeConfigFor(cluster);
    const core = kubeConfig.makeApiClient(CoreV1Api);
    const apps = kubeConfig.makeApiClient(AppsV1Api);
    const custom = kubeConfig.makeApiClient(CustomObjectsApi);
    const policy = kubeConfig.makeApiClient(PolicyV1Api);
    const informer = <T extends KubernetesObject>(
      resource: string,
      path: string,
      list: (signal: AbortSignal) => Promise<KubernetesListObject<T>>,
      extra: {
        fieldSelector?: string;
        optional?: boolean;
        forbiddenIsAbsent?: boolean;
      } = {},
    ) =>
      new ResourceInformer<T>({
        cluster: cluster.name,
        resource,
        path,
        kubeConfig,
        list,
        timing: options.timing,
        logger: options.logger,
        now: options.now,
        ...extra,
      });

    this.nodes = informer('nodes', '/api/v1/nodes', signal =>
      core.listNode({}, withSignal(signal)),
    );
    this.pods = informer(
      'pods',
      '/api/v1/pods',
      signal =>
        core.listPodForAllNamespaces(
          { fieldSelector: ACTIVE_PODS },
          withSignal(signal),
        ),
      { fieldSelector: ACTIVE_PODS },
    );
    this.deployments = informer(
      'deployments',
      '/apis/apps/v1/deployments',
      signal => apps.listDeploymentForAllNamespaces({}, withSignal(signal)),
    );
    this.statefulSets = informer(
      'statefulsets',
      '/apis/apps/v1/statefulsets',
      signal => apps.listStatefulSetForAllNamespaces({}, withSignal(signal)),
    );
    this.inferenceServices = informer<InferenceService>(
      'inferenceservices',
      `/apis/${KSERVE.group}/${KSERVE.version}/${KSERVE.plural}`,
      signal => custom.listClusterCustomObject(KSERVE, withSignal(signal)),
      { optional: true },
    );
    // Read where RBAC grants it; a role from before is not a failure.
    this.disruptionBudgets = informer(
      'poddisruptionbudgets',
      '/apis/policy/v1/poddisruptionbudgets',
      signal =>
        policy.listPodDisruptionBudgetForAllNamespaces({}, withSignal(signal)),
      { forbiddenIsAbsent: true },
    );
  }

  get name(): string {
    return this.cluster.name;
  }

  private informers() {
    return [
      this.nodes,
      this.pods,
      this.deployments,
      this.statefulSets,
      this.inferenceServices,
      this.disruptionBudgets,
    ];
  }

  /** Starts the watches; does nothing when they run. */
  start(): void {
    if (this.running) return;
    this.running = true;
    for (const informer of this.informers()) informer.start();
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.informers().map(i => i.stop()));
  }

  /** The cluster as configured, completed from its nodes once they are known. */
  info(): ClusterInfo {
    const inferred = inferClusterPlacement(this.nodes.items());
    const region = this.cluster.region ?? inferred.region;
    return {
      name: this.cluster.name,
      provider: this.cluster.provider ?? inferred.provider ?? 'other',
      ...(region ? { region } : {}),
      ...(this.cluster.demo ? { demo: true } : {}),
    };
  }

  /**
   * The cluster's GPU pools and model workloads, its GPU nodes and where
   * the model pods run, from the cache. Throws an
   * error naming the cluster and what failed when the cache has never been
   * filled, or has not been kept up to date for `unhealthyAfterMs`.
   */
  async snapshot(): Promise<ClusterSnapshot> {
    const { timing, now } = this.options;
    this.start();
    const informers = this.informers();
    await Promise.all(
      informers.map(i => i.waitForSync(timing.initialSyncTimeoutMs)),
    );
    const problems = informers.flatMap(informer => {
      const state = informer.state();
      if (!state.synced) {
        return [
          state.failure?.message ??
            `list ${state.resource} did not finish within ${timing.initialSyncTimeoutMs} ms`,
        ];
      }
      if (
        state.failure &&
        now() - state.failure.since >= timing.unhealthyAfterMs
      ) {
        return [state.failure.message];
      }
      return [];
    });
    if (problems.length > 0) {
      throw new Error(`${this.cluster.name}: ${problems.join('; ')}`);
    }

    const nodes = this.nodes.items();
    const pods = this.pods.items();
    const cluster = this.info();
    const modelPods: ModelPodObservation[] = [];
    const workloads = buildModelWorkloads({
      cluster: cluster.name,
      deployments: this.deployments.items(),
      statefulSets: this.statefulSets.items(),
      inferenceServices: this.inferenceServices.items(),
      disruptionBudgets: this.disruptionBudgets.items(),
      pods,
      nodePools: gpuNodePools(nodes),
      reclaims: reclaimNotices(nodes, new Date(now())),
      onPods: (w, of) => modelPods.push(...modelPodsOf(w, of)),
    });
    return {
      cluster,
      observedAt: new Date(now()).toISOString(),
      pools: withEmptyPools(
        buildGpuPools({
          cluster: cluster.name,
          provider: cluster.provider,
          region: this.cluster.region,
          nodes,
          pods,
        }),
        this.seenPools,
      ),
      workloads,
      nodes: buildClusterNodes({ nodes, pods, modelPods }),
      pods: modelPods,
    };
  }
}
