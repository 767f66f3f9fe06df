import {
  AuthService,
  DiscoveryService,
  LoggerService,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  RootConfigService,
  SchedulerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import {
  ClusterStatus,
  ClustersResponse,
  GpuPoolsResponse,
  GpuPoolStatus,
} from '@modelfleet/plugin-modelfleet-common';
import { clusterEntity, DeclaredPool, gpuPoolEntity } from './poolEntities';

const PROVIDERS = ['aws', 'gcp', 'azure', 'other'] as const;
const CAPACITY = ['on-demand', 'spot', 'reserved'] as const;
const SHARING = ['whole', 'mig', 'time-slicing'] as const;

function oneOf<T extends string>(
  c: Config,
  key: string,
  path: string,
  allowed: readonly T[],
  fallback?: T,
): T {
  const value =
    fallback === undefined
      ? c.getString(key)
      : c.getOptionalString(key) ?? fallback;
  if (!allowed.includes(value as T)) {
    throw new Error(
      `Invalid config at ${path}: '${value}' is not one of ${allowed.join(
        ', ',
      )}`,
    );
  }
  return value as T;
}

function readDeclaredPools(config: Config): DeclaredPool[] {
  const list =
    config.getOptionalConfigArray('modelfleet.catalog.declaredPools') ?? [];
  return list.map((c, i) => {
    const at = (key: string) => `modelfleet.catalog.declaredPools[${i}].${key}`;
    const positive = (key: string, value: number | undefined) => {
      if (value !== undefined && !(value > 0)) {
        throw new Error(
          `Invalid config at ${at(key)}: must be > 0, got ${value}`,
        );
      }
      return value;
    };
    const gpu = c.getConfig('gpu');
    const min = c.getOptionalNumber('nodes.min');
    const max = c.getNumber('nodes.max');
    if (min !== undefined && min > max) {
      throw new Error(
        `Invalid config at ${at('nodes.min')}: ${min} exceeds nodes.max ${max}`,
      );
    }
    return {
      cluster: c.getString('cluster'),
      name: c.getString('name'),
      provider: oneOf(c, 'provider', at('provider'), PROVIDERS),
      region: c.getString('region'),
      zones: c.getOptionalStringArray('zones'),
      instanceType: c.getString('instanceType'),
      capacityType: oneOf(c, 'capacityType', at('capacityType'), CAPACITY),
      gpu: {
        product: gpu.getString('product'),
        memoryMiB: positive(
          'gpu.memoryMiB',
          gpu.getOptionalNumber('memoryMiB'),
        ),
        perNode: positive('gpu.perNode', gpu.getNumber('perNode'))!,
        sharing: oneOf(gpu, 'sharing', at('gpu.sharing'), SHARING, 'whole'),
        replicasPerGpu: gpu.getOptionalNumber('replicasPerGpu'),
      },
      nodes: { min, max },
    };
  });
}

/** Why a pool from the API cannot become an entity, or undefined if it can. */
function invalidPool(p: GpuPoolStatus, i: number): string | undefined {
  if (!p || typeof p !== 'object') return `items[${i}] is not an object`;
  for (const key of ['cluster', 'name', 'provider', 'capacityType'] as const) {
    if (typeof p[key] !== 'string' || !p[key])
      return `items[${i}].${key} is missing`;
  }
  if (typeof p.gpu?.product !== 'string' || !p.gpu.product)
    return `items[${i}].gpu.product is missing`;
  if (!(typeof p.gpu.perNode === 'number' && p.gpu.perNode > 0))
    return `items[${i}].gpu.perNode must be a number > 0`;
  if (!p.nodes || typeof p.nodes !== 'object')
    return `items[${i}].nodes is missing`;
  return undefined;
}

/**
 * Emits a `GpuPool` entity for every pool the ModelFleet backend sees in the
 * connected clusters and every pool declared in `modelfleet.catalog.declaredPools`,
 * and a `Resource` of type `kubernetes-cluster` for every cluster. Full
 * mutations on a schedule, so gone pools disappear.
 *
 * @public
 */
export class ModelFleetGpuPoolProvider implements EntityProvider {
  private connection?: EntityProviderConnection;

  static fromConfig(
    config: RootConfigService,
    deps: {
      discovery: DiscoveryService;
      auth: AuthService;
      logger: LoggerService;
      scheduler: SchedulerService;
    },
  ): ModelFleetGpuPoolProvider {
    const catalog = config.getOptionalConfig('modelfleet.catalog');
    const schedule = catalog?.has('schedule')
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
          catalog.getConfig('schedule'),
        )
      : {
          frequency: { minutes: 1 },
          timeout: { minutes: 1 },
          initialDelay: { seconds: 10 },
        };
    return new ModelFleetGpuPoolProvider({
      ...deps,
      owner:
        catalog?.getOptionalString('owner') ?? 'group:default/platform-team',
      emitClusters: catalog?.getOptionalBoolean('emitClusterResources') ?? true,
      declaredPools: readDeclaredPools(config),
      taskRunner: deps.scheduler.createScheduledTaskRunner(schedule),
    });
  }

  constructor(
    private readonly options: {
      discovery: DiscoveryService;
      auth: AuthService;
      logger: LoggerService;
      owner: string;
      emitClusters: boolean;
      declaredPools: DeclaredPool[];
      taskRunner: SchedulerServiceTaskRunner;
    },
  ) {}

  getProviderName(): string {
    return 'modelfleet-gpu-pools';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    await this.options.taskRunner.run({
      id: `${this.getProviderName()}:refresh`,
      fn: async () => {
        try {
          await this.refresh();
        } catch (error) {
          this.options.logger.error(
            `GpuPool discovery failed; the catalog keeps the pools it has: ${error}`,
          );
        }
      },
    });
  }

  private async get<T>(
    baseUrl: string,
    path: string,
    token: string,
  ): Promise<T> {
    const res = await fetch(`${baseUrl}${path}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    if (!res.ok) {
      throw new Error(`GET ${path} answered ${res.status} ${res.statusText}`);
    }
    const body = await res.json();
    if (!body || !Array.isArray(body.items)) {
      throw new Error(`GET ${path}: the body has no items array`);
    }
    return body as T;
  }

  /** Reads the pools and clusters and replaces the provider's entities. */
  async refresh(): Promise<{ pools: number; clusters: number }> {
    if (!this.connection) throw new Error('not connected to the catalog');
    const { discovery, auth, logger, owner } = this.options;
    const baseUrl = await discovery.getBaseUrl('modelfleet');
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'modelfleet',
    });
    const [clusters, pools] = await Promise.all([
      this.get<ClustersResponse>(baseUrl, '/clusters', token),
      this.get<GpuPoolsResponse>(baseUrl, '/pools', token),
    ]);
    const location = `url:${baseUrl}/pools`;

    const entities: Entity[] = [];
    const seenPools = new Set<string>();
    pools.items.forEach((pool, i) => {
      const problem = invalidPool(pool, i);
      if (problem) {
        logger.warn(`Skipping a pool from GET /pools: ${problem}`);
        return;
      }
      const entity = gpuPoolEntity(pool, { owner, location, demo: pool.demo });
      seenPools.add(entity.metadata.name);
      entities.push(entity);
    });
    for (const pool of this.options.declaredPools) {
      const entity = gpuPoolEntity(pool, {
        owner,
        location: 'url:app-config#modelfleet.catalog.declaredPools',
      });
      if (!seenPools.has(entity.metadata.name)) {
        seenPools.add(entity.metadata.name);
        entities.push(entity);
      }
    }

    let clusterCount = 0;
    if (this.options.emitClusters) {
      const byName = new Map<
        string,
        Pick<ClusterStatus, 'name' | 'provider' | 'region' | 'demo'>
      >();
      for (const c of clusters.items) {
        if (typeof c?.name === 'string' && c.name) byName.set(c.name, c);
      }
      for (const p of this.options.declaredPools) {
        if (!byName.has(p.cluster)) {
          byName.set(p.cluster, {
            name: p.cluster,
            provider: p.provider,
            region: p.region,
            demo: false,
          });
        }
      }
      for (const c of byName.values()) {
        entities.push(clusterEntity(c, { owner, location }));
      }
      clusterCount = byName.size;
    }

    await this.connection.applyMutation({
      type: 'full',
      entities: entities.map(entity => ({
        entity,
        locationKey: this.getProviderName(),
      })),
    });
    return { pools: seenPools.size, clusters: clusterCount };
  }
}
