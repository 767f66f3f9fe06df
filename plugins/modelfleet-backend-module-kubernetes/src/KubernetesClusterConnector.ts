import { LifecycleService, LoggerService } from '@backstage/backend-plugin-api';
import { ClusterInfo } from '@modelfleet/plugin-modelfleet-common';
import {
  ClusterConnector,
  ClusterSnapshot,
} from '@modelfleet/plugin-modelfleet-node';
import { KubernetesClusterConfig } from './config';
import {
  ClusterWatcher,
  DEFAULT_TIMING,
  KubernetesConnectorTiming,
} from './watch/ClusterWatcher';

/**
 * Options of {@link KubernetesClusterConnector}.
 *
 * @public
 */
export interface KubernetesClusterConnectorOptions {
  clusters: KubernetesClusterConfig[];
  logger: LoggerService;
  /** When given, the watches stop when the backend shuts down. */
  lifecycle?: LifecycleService;
  /** Retry and health thresholds; the defaults suit production. */
  timing?: Partial<KubernetesConnectorTiming>;
  clock?: () => Date;
}

/**
 * Reads GPU pools and model workloads from Kubernetes clusters. Each cluster
 * is kept in a cache by list+watch of its Nodes, Pods, Deployments,
 * StatefulSets, KServe InferenceServices and PodDisruptionBudgets, so a
 * snapshot costs no API call. Watches start on the first `listClusters()` or `snapshot()` and stop
 * on backend shutdown; one cluster failing never holds up the others.
 *
 * @public
 */
export class KubernetesClusterConnector implements ClusterConnector {
  readonly id = 'kubernetes';
  private readonly watchers = new Map<string, ClusterWatcher>();
  private stopped = false;

  constructor(options: KubernetesClusterConnectorOptions) {
    const timing = { ...DEFAULT_TIMING, ...options.timing };
    const clock = options.clock ?? (() => new Date());
    for (const cluster of options.clusters) {
      if (this.watchers.has(cluster.name)) {
        throw new Error(`cluster name '${cluster.name}' appears twice`);
      }
      this.watchers.set(
        cluster.name,
        new ClusterWatcher(cluster, {
          logger: options.logger,
          timing,
          now: () => clock().getTime(),
        }),
      );
    }
    options.lifecycle?.addShutdownHook(() => this.stop());
  }

  async listClusters(): Promise<ClusterInfo[]> {
    this.startWatching();
    return [...this.watchers.values()].map(w => w.info());
  }

  async snapshot(cluster: string): Promise<ClusterSnapshot> {
    const watcher = this.watchers.get(cluster);
    if (!watcher) {
      throw new Error(`the kubernetes connector has no cluster '${cluster}'`);
    }
    if (this.stopped) {
      throw new Error(`${cluster}: the kubernetes connector is stopped`);
    }
    this.startWatching();
    return watcher.snapshot();
  }

  /** Stops every watch and retry. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.watchers.values()].map(w => w.stop()));
  }

  private startWatching(): void {
    if (this.stopped) return;
    for (const watcher of this.watchers.values()) watcher.start();
  }
}
