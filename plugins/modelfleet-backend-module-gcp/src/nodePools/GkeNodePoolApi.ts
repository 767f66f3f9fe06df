import { LoggerService } from '@backstage/backend-plugin-api';
import { ClusterManagerClient, protos } from '@google-cloud/container';
import {
  ActuatorChangeOptions,
  ActuatorError,
  NodePoolApi,
  NodePoolRef,
  NodePoolSize,
} from '@modelfleet/plugin-modelfleet-node';
import { parseApiEndpoint } from '../catalog/GcpBillingCatalogPriceSource';
import { GcpCredentials } from '../credentials';
import {
  actuatorErrorOf,
  autoscalingWithMinimum,
  checkMinimum,
  describeChange,
  GkeClusterRef,
  GkePoolLimits,
  nodePoolName,
  operationDone,
  operationError,
  operationName,
  operationStatus,
  poolLabel,
  poolLimits,
} from './gkeNodePools';

type ClientOptions = NonNullable<
  ConstructorParameters<typeof ClusterManagerClient>[0]
>;
type IOperation = protos.google.container.v1.IOperation;

/**
 * Options of {@link GkeNodePoolApi}.
 *
 * @public
 */
export interface GkeNodePoolApiOptions {
  /** The GKE cluster of each ModelFleet cluster, by its name in `kubernetes.clusterLocatorMethods`. */
  clusters: Record<string, GkeClusterRef>;
  /** The GKE API endpoint: a URL or a host; defaults to `https://container.googleapis.com`. */
  apiEndpoint?: string;
  /** A service account key; without it, Application Default Credentials. */
  credentials?: GcpCredentials;
  /** Timeout of one request; defaults to 30 s. */
  timeoutMs?: number;
  /** How long a change waits for GKE's operation to finish; defaults to 5 min. */
  operationTimeoutMs?: number;
  /** Interval between reads of a running operation; defaults to 2 s. */
  pollIntervalMs?: number;
}

/** A client call's promise, which google-gax lets us cancel. */
type Cancellable<T> = Promise<T> & { cancel?: () => void };

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/**
 * The node pools of GKE clusters, through `@google-cloud/container`'s
 * `ClusterManagerClient` over its REST transport: `getNodePool` reads a
 * pool's autoscaling limits and `setNodePoolAutoscaling` sets its minimum,
 * waiting for the operation GKE returns to finish.
 *
 * Sizes count nodes of the whole pool: a pool with total limits
 * (`totalMinNodeCount`/`totalMaxNodeCount`) gives them as they are; a pool
 * with per-zone limits (`minNodeCount`/`maxNodeCount`) gives them times its
 * zone count. A new minimum is set back in the pool's form: for per-zone
 * limits it must be a multiple of the zone count (else `invalid`, naming
 * the multiples around it). `desired` is never given: GKE keeps only the
 * pool's size at creation. A pool whose autoscaling is off is `invalid`.
 *
 * @public
 */
export class GkeNodePoolApi implements NodePoolApi {
  readonly id = 'gcp-gke';
  #client?: ClusterManagerClient;
  private readonly endpoint: string;

  constructor(
    private readonly options: GkeNodePoolApiOptions,
    private readonly logger: LoggerService,
  ) {
    this.endpoint = options.apiEndpoint ?? 'https://container.googleapis.com';
    parseApiEndpoint(this.endpoint);
  }

  async listClusters(): Promise<string[]> {
    return Object.keys(this.options.clusters);
  }

  async size(ref: NodePoolRef): Promise<NodePoolSize> {
    const { limits } = await this.read(ref);
    return { min: limits.min, max: limits.max };
  }

  async setMinimum(
    ref: NodePoolRef,
    min: number,
    options: ActuatorChangeOptions = {},
  ): Promise<{ previous: NodePoolSize }> {
    const label = poolLabel(ref);
    checkMinimum(min, undefined, label);
    const { cluster, limits, autoscaling } = await this.read(ref);
    const previous = { min: limits.min, max: limits.max };
    checkMinimum(min, limits, label);
    const wanted = autoscalingWithMinimum(autoscaling, limits, min, label);
    if (limits.min === min) return { previous };
    const change = describeChange(ref.pool, limits, min);
    if (options.dryRun) {
      this.logChange(ref.cluster, change, options);
      return { previous };
    }
    const client = await this.client(label);
    const op = await this.call(
      () =>
        client.setNodePoolAutoscaling(
          { name: nodePoolName(cluster, ref.pool), autoscaling: wanted },
          this.callOptions(),
        ) as Cancellable<[IOperation, unknown, unknown]>,
      `${label}: GKE setNodePoolAutoscaling`,
    );
    await this.waitFor(client, cluster, op[0], label);
    this.logChange(ref.cluster, change, options);
    return { previous };
  }

  /** The pool as GKE has it now, with its limits in whole-pool nodes. */
  private async read(ref: NodePoolRef) {
    const cluster = this.options.clusters[ref.cluster];
    if (!cluster) {
      throw new ActuatorError(
        'unknownCluster',
        `${ref.cluster}: no GKE cluster is configured for it under modelfleet.gcp.nodePools.clusters`,
        false,
      );
    }
    const label = poolLabel(ref);
    const client = await this.client(label);
    const [pool] = await this.call(
      () =>
        client.getNodePool(
          { name: nodePoolName(cluster, ref.pool) },
          this.callOptions(),
        ) as Cancellable<
          [protos.google.container.v1.INodePool, unknown, unknown]
        >,
      `${label}: GKE getNodePool`,
    );
    const limits: GkePoolLimits = poolLimits(pool, ref, cluster.location);
    return { cluster, limits, autoscaling: pool.autoscaling ?? {} };
  }

  /** Polls the operation of a change until GKE says it is done. */
  private async waitFor(
    client: ClusterManagerClient,
    cluster: GkeClusterRef,
    first: IOperation,
    label: string,
  ): Promise<void> {
    const deadline = Date.now() + (this.options.operationTimeoutMs ?? 300_000);
    let op = first;
    while (!operationDone(op)) {
      if (!op.name) {
        throw new ActuatorError(
          'unavailable',
          `${label}: GKE returned an operation without a name (status ${operationStatus(
            op,
          )})`,
        );
      }
      if (Date.now() >= deadline) {
        throw new ActuatorError(
          'timeout',
          `${label}: GKE operation ${op.name} is still ${operationStatus(
            op,
          )} after ${Math.round(
            (this.options.operationTimeoutMs ?? 300_000) / 1000,
          )} s`,
        );
      }
      await sleep(this.options.pollIntervalMs ?? 2000);
      const name = operationName(cluster, op.name);
      [op] = await this.call(
        () =>
          client.getOperation({ name }, this.callOptions()) as Cancellable<
            [IOperation, unknown, unknown]
          >,
        `${label}: GKE getOperation ${op.name}`,
      );
    }
    const failed = operationError(op);
    if (failed) {
      throw actuatorErrorOf(failed, `${label}: GKE operation ${op.name}`);
    }
  }

  /**
   * One call, cancelled at the timeout: the REST transport of google-gax
   * has no timeout of its own, so a server that never answers would hang.
   */
  private async call<T>(start: () => Cancellable<T>, what: string) {
    const timeoutMs = this.options.timeoutMs ?? 30_000;
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    try {
      const pending = start();
      timer = setTimeout(() => {
        timedOut = true;
        pending.cancel?.();
      }, timeoutMs);
      return await pending;
    } catch (e) {
      if (timedOut) {
        throw new ActuatorError(
          'timeout',
          `${what}: no answer within ${timeoutMs} ms`,
        );
      }
      throw actuatorErrorOf(e, what);
    } finally {
      clearTimeout(timer);
    }
  }

  /** No retries by google-gax: a retryable error goes to the caller. */
  private callOptions() {
    return { retry: null };
  }

  private async client(label: string): Promise<ClusterManagerClient> {
    if (!this.#client) {
      const endpoint = parseApiEndpoint(this.endpoint);
      const creds = this.options.credentials;
      this.#client = new ClusterManagerClient({
        // The REST transport: HTTP/1.1 and JSON, no gRPC.
        fallback: true,
        apiEndpoint: endpoint.host,
        port: endpoint.port,
        protocol: endpoint.protocol,
        ...(creds
          ? {
              credentials: creds as ClientOptions['credentials'],
              projectId: creds.project_id,
            }
          : {}),
      });
      // Setting up first makes a failure (no credentials found, say) our
      // error rather than an unhandled rejection; a failed client is dropped.
      try {
        await this.#client.initialize();
      } catch (e) {
        this.#client = undefined;
        throw actuatorErrorOf(e, `${label}: GKE client`);
      }
    }
    return this.#client;
  }

  /** As the Kubernetes actuator logs its changes: info, debug for a dry run. */
  private logChange(
    cluster: string,
    change: string,
    options: ActuatorChangeOptions,
  ) {
    const step = options.actionStep
      ? ` (action step ${options.actionStep})`
      : '';
    const message = `${cluster}: ${change}${step}`;
    if (options.dryRun) this.logger.debug(`${message}, dry run`);
    else this.logger.info(message);
  }
}
