import { mockErrorHandler, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  CostReport,
  GpuPoolObservation,
} from '@modelfleet/plugin-modelfleet-common';
import { MetricsSource } from '@modelfleet/plugin-modelfleet-node';
import { renderModelManifests } from '@modelfleet/plugin-scaffolder-backend-module-modelfleet';
import express from 'express';
import { createTestDatabases } from '../../__testUtils__/testDatabases';
import { MemoryActuator } from '../../__testUtils__/MemoryActuator';
import { MemoryNodePools } from '../../__testUtils__/MemoryNodePools';
import { policyPermissions } from '../../__testUtils__/policyPermissions';
import { ActionService } from '../../actions/ActionService';
import { createActuatorDirectory } from '../../actions/actuatorDirectory';
import { ModelTargets } from '../../actions/ModelTargets';
import { Migrations } from '../../arbitrage/Migrations';
import { testArbitrageReports } from '../../arbitrage/__testUtils__/reportsFixture';
import { ActionStore } from '../../database/ActionStore';
import { DatabaseModelFleetStore } from '../../database/DatabaseModelFleetStore';
import { FleetStateStore } from '../../database/FleetStateStore';
import { PriceBookStore } from '../../database/PriceBookStore';
import { PolicyService } from '../../policy/PolicyService';
import { readPolicyConfig } from '../../policy/policyConfig';
import { createRecommendationsRouter } from '../../routes/recommendations';
import { jsonBody } from '../../routes/requestParsing';
import { modelLookupOf } from '../../showback/ModelDirectory';
import { CatalogEntityNames } from '../names';
import { RecommendationService } from '../RecommendationService';
import { RecommendationStateStore } from '../RecommendationStateStore';

export const NOW = new Date('2026-12-06T12:00:00Z');
const workload = (name: string) => ({
  cluster: 'c1',
  namespace: 'ml',
  kind: 'Deployment' as const,
  name,
});
const model = (name: string, team: string, title?: string): Entity => ({
  apiVersion: 'modelfleet.io/v1alpha1',
  kind: 'Model',
  metadata: { name, namespace: 'default', ...(title ? { title } : {}) },
  spec: {
    owner: `group:default/${team}`,
    workload: workload(name),
    // What the Deploy template's renderer needs to render it for a move.
    source: 'BAAI/bge-reranker-large',
    runtime: 'vllm',
    parametersBillions: 0.6,
    precision: 'fp16',
    gpu: { count: 1, memoryGiB: 16 },
    replicas: { min: 1, max: 4 },
  },
  relations: [{ type: 'ownedBy', targetRef: `group:default/${team}` }],
});
const group = (name: string, displayName?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: {
    type: 'team',
    children: [],
    ...(displayName ? { profile: { displayName } } : {}),
  },
});
export const entities = [
  model('reranker', 'search-team', 'Search reranker'),
  model('sdxl', 'vision-team'),
  group('search-team', 'Search team'),
  group('vision-team'),
  group('platform-team'),
];

const pool = (
  name: string,
  over: Pick<GpuPoolObservation, 'nodes' | 'gpus'> &
    Partial<GpuPoolObservation>,
): GpuPoolObservation => ({
  cluster: 'c1',
  name,
  provider: 'azure' as const,
  region: 'eastus',
  zones: [],
  instanceType: `vm-${name}`,
  capacityType: 'on-demand' as const,
  gpu: {
    product: 'A100',
    memoryMiB: 40960,
    perNode: 1,
    sharing: 'whole' as const,
  },
  ...over,
});

/** 14 days, hourly: the reranker's 4 replicas at 10 % serve 4 req/s. */
const metrics: MetricsSource = {
  id: 'test-metrics',
  async query(metric, m, window) {
    if (m.modelId !== 'reranker') return [];
    const points: Array<[number, number]> = [];
    for (
      let t = window.start.getTime() / 1000;
      t <= window.end.getTime() / 1000;
      t += window.stepSeconds
    ) {
      const v = { gpuMemoryUsedMiB: 8192, gpuUtilization: 10 }[
        metric as string
      ];
      points.push([t, v ?? 4]);
    }
    return [{ labels: {}, points }];
  },
};

/** The cost roll-ups' view: the empty pool's unallocated capacity, sdxl's unused GPU time. */
const costs = {
  defaultQuery: () => ({
    from: '2026-11-06',
    to: '2026-12-06',
    granularity: 'day' as const,
  }),
  async cost(scope: string, ref: string | null) {
    const total = {
      costUsd: scope === 'model' ? 1000 : 9000,
      unusedUsd: scope === 'model' && ref === 'model:default/sdxl' ? 600 : 0,
      idleUsd: 0,
      gpuHours: 0,
      savedGpuHours: 0,
      savedUsd: 0,
      daysWithData: 30,
    };
    return {
      total,
      breakdown: {
        models: [],
        pools: [],
        teams: [],
        unallocated: {
          pools: [{ entityRef: 'gpupool:default/c1.empty', idleUsd: 2600 }],
        },
      },
    } as unknown as CostReport;
  },
};

/** The catalog's entities, with the reranker's memory as the options say. */
function entitiesOf(options: FixtureOptions): Entity[] {
  const gib = options.rerankerMemoryGiB;
  if (gib === undefined) return entities;
  return entities.map(e =>
    e.metadata.name === 'reranker'
      ? {
          ...e,
          spec: { ...e.spec, gpu: { ...(e.spec as any).gpu, memoryGiB: gib } },
        }
      : e,
  );
}

/** What differs between the tests' fleets. */
export interface FixtureOptions {
  /** An L4 pool on c1 at $0.80 an hour: the reranker's smaller GPU. */
  l4?: boolean;
  /** The search team's policy is dry-run. */
  dryRun?: boolean;
  /**
   * The connector reports the A100 pool's nodes: one more than its pods
   * use (a100-6, empty), so consolidation recommends removing it.
   */
  nodes?: boolean;
  /** A node-pool API manages c1: its empty pool has min 1, max 2. */
  nodePools?: boolean;
  /**
   * An L4 pool on c1 that time-slices each GPU two ways, at $0.80 an hour
   * a node: half an L4 is the reranker's cheapest fit.
   */
  share?: boolean;
  /** The reranker's Model asks for this much GPU memory a replica (16 GiB). */
  rerankerMemoryGiB?: number;
}

/**
 * The recommendations router over a fleet on `id`'s database: the
 * reranker (4 replicas on A100s at 10 %), sdxl with the hibernation loop's
 * proposal waiting for approval, an empty pool; the real action, move and
 * what-if services on a memory cluster.
 */
export async function start(
  id: Parameters<ReturnType<typeof createTestDatabases>['init']>[0],
  databases: ReturnType<typeof createTestDatabases>,
  options: FixtureOptions = {},
) {
  const knex = (
    await DatabaseModelFleetStore.fromKnex(await databases.init(id))
  ).knex;
  const fleet = new FleetStateStore(knex);
  await fleet.recordSnapshot('test', {
    cluster: { name: 'c1', provider: 'azure', region: 'eastus' },
    observedAt: NOW.toISOString(),
    pools: [
      pool('a100', {
        nodes: { current: options.nodes ? 7 : 6 },
        gpus: { allocatable: options.nodes ? 7 : 6, allocated: 6 },
      }),
      pool('empty', {
        nodes: { current: 1, min: 1 },
        gpus: { allocatable: 1, allocated: 0 },
      }),
      ...(options.l4
        ? [
            pool('l4', {
              nodes: { current: 0, max: 8 },
              gpus: { allocatable: 0, allocated: 0 },
              gpu: {
                product: 'L4',
                memoryMiB: 23_034,
                perNode: 1,
                sharing: 'whole',
              },
            }),
          ]
        : []),
      ...(options.share
        ? [
            pool('l4ts', {
              nodes: { current: 0, max: 8 },
              gpus: { allocatable: 0, allocated: 0 },
              gpu: {
                product: 'L4',
                memoryMiB: 23_034,
                perNode: 1,
                sharing: 'time-slicing',
                replicasPerGpu: 2,
              },
            }),
          ]
        : []),
    ],
    ...(options.nodes
      ? {
          nodes: Array.from({ length: 7 }, (_, i) => ({
            name: `a100-${i}`,
            pool: 'a100',
            gpuUnits: 1,
            unitMemoryMiB: 81_920,
          })),
          pods: Array.from({ length: 6 }, (_, i) => {
            const name = i < 4 ? 'reranker' : 'sdxl';
            return {
              name: `${name}-${i}`,
              node: `a100-${i}`,
              workload: workload(name),
              gpuUnits: 1,
              priority: 0,
            };
          }),
        }
      : {}),
    workloads: [
      {
        ...workload('reranker'),
        modelId: 'reranker',
        replicas: { desired: 4, ready: 4 },
        gpusPerReplica: 1,
        pool: 'a100',
      },
      {
        ...workload('sdxl'),
        modelId: 'sdxl',
        replicas: { desired: 2, ready: 2 },
        gpusPerReplica: 1,
        pool: 'a100',
      },
    ],
  });
  const prices = new PriceBookStore(knex);
  await prices.record(
    ['a100', 'empty', 'l4', 'l4ts'].map(name => ({
      provider: 'azure' as const,
      instanceType: `vm-${name}`,
      region: 'eastus',
      capacityType: 'on-demand' as const,
      usdPerHour: name.startsWith('l4') ? 0.8 : 3,
      source: 'bundled-catalog',
      observedAt: NOW.toISOString(),
    })),
    NOW,
  );
  const cluster = new MemoryActuator(['c1']);
  cluster.addModel(workload('reranker'), 4);
  cluster.addModel(workload('sdxl'), 2);
  const pools = new MemoryNodePools(options.nodePools ? ['c1'] : []);
  pools.add('c1', 'empty', { min: 1, max: 2, desired: 1 });
  const actuators = createActuatorDirectory(() => [cluster], {
    nodePools: () => [pools],
  });
  const actionStore = new ActionStore(knex);
  const logger = mockServices.logger.mock();
  const actions = new ActionService({
    store: actionStore,
    actuators,
    retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 10, pollMs: 10 },
    logger,
  });
  // The hibernation loop's proposal for sdxl, waiting for an approval.
  const planned = await actions.request({
    idempotencyKey: 'hibernation:model:default/sdxl:hibernate:0:2026-12-06',
    kind: 'hibernate',
    entityRef: 'model:default/sdxl',
    cluster: 'c1',
    steps: [
      {
        description: 'scale sdxl to 0',
        do: { op: 'scale', workload: workload('sdxl'), replicas: 0 },
      },
    ],
    dryRun: true,
    requestedBy: 'policy:hibernation',
    reason: 'hibernate: idle since 09:00',
  });
  const catalog = catalogServiceMock({ entities: entitiesOf(options) });
  const policies = new PolicyService(
    readPolicyConfig(
      new ConfigReader({
        modelfleet: {
          policies: {
            teams: { 'search-team': { dryRun: options.dryRun ?? false } },
          },
        },
      }),
    ),
  );
  const targets = new ModelTargets({ catalog, fleet, actuators });
  const candidates = { prices, liveSources: () => [], assumedAddableNodes: 2 };
  const migrations = new Migrations({
    targets,
    reports: testArbitrageReports({ targets, fleet, policies, candidates }),
    fleet,
    actuators,
    actions,
    candidates,
    renderer: () => ({
      render: input => ({
        manifests: renderModelManifests(input as any).manifests,
      }),
    }),
    deniedNamespaces: ['kube-system'],
    provisioningSeconds: 180,
    dryRunOf: team => policies.dryRunOf(team),
  });
  const states = new RecommendationStateStore(knex);
  const recommendations = new RecommendationService({
    actions,
    costs,
    fleet,
    directory: {
      lookup: async () => modelLookupOf(entitiesOf(options) as any),
    },
    names: new CatalogEntityNames(catalog, mockServices.auth(), logger),
    metrics: () => [metrics],
    candidates,
    states,
    idleCostPolicy: 'not-shared',
    logger,
    now: () => NOW,
    poolSize: async (c, p) =>
      (await actuators.forCluster(c)).poolSize?.({ cluster: c, pool: p }),
  });
  const permissions = policyPermissions({
    entities,
    teamsOf: {
      'user:default/sam': ['group:default/search-team'],
      'user:default/pat': ['group:default/platform-team'],
    },
  });
  const server = express()
    .use(jsonBody())
    .use(
      createRecommendationsRouter({
        httpAuth: mockServices.httpAuth(),
        permissions,
        recommendations,
        states,
        applier: { actions, targets, policies, migrations, fleet },
        now: () => NOW,
      }),
    )
    .use(mockErrorHandler());
  return {
    server,
    actions,
    planned: planned.action,
    recommendations,
    states,
    cluster,
    pools,
  };
}
