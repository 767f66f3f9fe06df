import {
  AgentPool,
  ContainerServiceClient,
  ContainerServiceClientOptionalParams,
} from '@azure/arm-containerservice';
import type { TokenCredential } from '@azure/core-auth';
import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  ActuatorChangeOptions,
  ActuatorError,
  NodePoolApi,
  NodePoolRef,
  NodePoolSize,
} from '@modelfleet/plugin-modelfleet-node';
import {
  agentPoolSize,
  armError,
  checkMinimum,
  checkPoolName,
  poolLabel,
  withMinimum,
} from './agentPools';

/**
 * Where a cluster of `kubernetes.clusterLocatorMethods` is in Azure.
 *
 * @public
 */
export interface AksClusterLocation {
  subscriptionId: string;
  resourceGroup: string;
  /** The managed cluster's name in its resource group. */
  aksCluster: string;
}

/**
 * Options of {@link AksNodePoolApi}.
 *
 * @public
 */
export interface AksNodePoolApiOptions {
  /**
   * Credential with `Microsoft.ContainerService/managedClusters/agentPools/read`
   * and `/write` on the clusters.
   */
  credential: TokenCredential;
  /** The clusters managed, by their name in `kubernetes.clusterLocatorMethods`. */
  clusters: Record<string, AksClusterLocation>;
  /**
   * Azure Resource Manager endpoint, for sovereign clouds. Defaults to
   * `https://management.azure.com`. Tokens are then asked for
   * `<endpoint origin>/.default`.
   */
  endpoint?: string;
  logger?: LoggerService;
  /** More options of the SDK client (retries, TLS, proxy). */
  clientOptions?: Omit<ContainerServiceClientOptionalParams, 'endpoint'>;
  /** How long one ARM request may take. Defaults to 60 s. */
  requestTimeoutMs?: number;
  /** How long an agent pool update may take, polling included. Defaults to 15 min. */
  updateTimeoutMs?: number;
  /** How often a long-running agent pool update is polled. Defaults to the SDK's (2 s, or ARM's `Retry-After`). */
  pollIntervalMs?: number;
}

/**
 * The AKS node-pool API: reads an agent pool's autoscaler bounds
 * (`minCount`, `maxCount`, `count`) with `agentPools.get` and sets its
 * minimum with `agentPools.beginCreateOrUpdateAndWait`, sending the pool
 * as read (guarded by its eTag) with only `minCount` changed, and `count`
 * raised to the minimum only where it is below.
 *
 * @public
 */
export class AksNodePoolApi implements NodePoolApi {
  readonly id = 'azure-aks';
  private readonly clients = new Map<string, ContainerServiceClient>();

  constructor(private readonly options: AksNodePoolApiOptions) {}

  private get requestTimeoutMs(): number {
    return this.options.requestTimeoutMs ?? 60_000;
  }

  async listClusters(): Promise<string[]> {
    return Object.keys(this.options.clusters).sort();
  }

  async size(ref: NodePoolRef): Promise<NodePoolSize> {
    const { location, agentPool } = await this.read(ref);
    return agentPoolSize(ref.cluster, location.aksCluster, ref.pool, agentPool);
  }

  async setMinimum(
    ref: NodePoolRef,
    min: number,
    options: ActuatorChangeOptions = {},
  ): Promise<{ previous: NodePoolSize }> {
    const { cluster, pool } = ref;
    const { location, agentPool, client } = await this.read(ref);
    const previous = agentPoolSize(
      cluster,
      location.aksCluster,
      pool,
      agentPool,
    );
    checkMinimum(cluster, pool, min, previous, agentPool.mode);
    if (previous.min === min || options.dryRun) {
      this.log(ref, previous, min, options, previous.min === min);
      return { previous };
    }
    const at = poolLabel(cluster, pool);
    try {
      await client.agentPools.beginCreateOrUpdateAndWait(
        location.resourceGroup,
        location.aksCluster,
        pool,
        withMinimum(agentPool, min, options.actionStep),
        {
          requestOptions: { timeout: this.requestTimeoutMs },
          abortSignal: AbortSignal.timeout(
            this.options.updateTimeoutMs ?? 15 * 60_000,
          ),
          ...(agentPool.eTag ? { ifMatch: agentPool.eTag } : {}),
          ...(this.options.pollIntervalMs !== undefined
            ? { updateIntervalInMs: this.options.pollIntervalMs }
            : {}),
        },
      );
    } catch (e) {
      throw armError(e, `${at}: setting minCount to ${min}`);
    }
    this.log(ref, previous, min, options, false);
    return { previous };
  }

  private log(
    { cluster, pool }: NodePoolRef,
    previous: NodePoolSize,
    min: number,
    options: ActuatorChangeOptions,
    unchanged: boolean,
  ): void {
    const logger = this.options.logger;
    if (!logger) return;
    const step = options.actionStep
      ? ` (action step ${options.actionStep})`
      : '';
    const message = `${cluster}: ${
      unchanged
        ? `AKS agent pool ${pool} already has minCount ${min}, left as it is`
        : `set minCount of AKS agent pool ${pool} from ${previous.min} to ${min} (maxCount ${previous.max})`
    }${step}`;
    if (options.dryRun) logger.debug(`${message}, dry run`);
    else if (unchanged) logger.debug(message);
    else logger.info(message);
  }

  private async read(ref: NodePoolRef): Promise<{
    location: AksClusterLocation;
    agentPool: AgentPool;
    client: ContainerServiceClient;
  }> {
    const { cluster, pool } = ref;
    const location = Object.prototype.hasOwnProperty.call(
      this.options.clusters,
      cluster,
    )
      ? this.options.clusters[cluster]
      : undefined;
    if (!location) {
      throw new ActuatorError(
        'unknownCluster',
        `${cluster}: not a cluster whose AKS agent pools ModelFleet manages (modelfleet.azure.nodePools.clusters)`,
        false,
      );
    }
    checkPoolName(cluster, pool);
    const client = this.client(location.subscriptionId);
    try {
      const agentPool = await client.agentPools.get(
        location.resourceGroup,
        location.aksCluster,
        pool,
        { requestOptions: { timeout: this.requestTimeoutMs } },
      );
      return { location, agentPool, client };
    } catch (e) {
      throw armError(
        e,
        `${poolLabel(cluster, pool)} of AKS cluster ${location.resourceGroup}/${
          location.aksCluster
        }`,
      );
    }
  }

  /** One client per subscription. */
  private client(subscriptionId: string): ContainerServiceClient {
    let client = this.clients.get(subscriptionId);
    if (!client) {
      const endpoint = this.options.endpoint?.replace(/\/+$/, '');
      client = new ContainerServiceClient(
        this.options.credential,
        subscriptionId,
        {
          ...this.options.clientOptions,
          ...(endpoint
            ? {
                endpoint,
                credentials: {
                  scopes: [`${new URL(endpoint).origin}/.default`],
                },
              }
            : {}),
        },
      );
      this.clients.set(subscriptionId, client);
    }
    return client;
  }
}
