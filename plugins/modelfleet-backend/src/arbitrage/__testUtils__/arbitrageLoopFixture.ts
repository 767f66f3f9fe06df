import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  FALLBACK_ROLE,
  ModelWorkloadObservation,
} from '@modelfleet/plugin-modelfleet-common';
import { renderModelManifests } from '@modelfleet/plugin-scaffolder-backend-module-modelfleet';
import { Knex } from 'knex';
import { ActionService } from '../../actions/ActionService';
import { ModelTargets } from '../../actions/ModelTargets';
import { ActionStore } from '../../database/ActionStore';
import { DatabaseModelFleetStore } from '../../database/DatabaseModelFleetStore';
import { FleetStateStore } from '../../database/FleetStateStore';
import { PolicyLayer, readPolicyConfig } from '../../policy/policyConfig';
import { PolicyService } from '../../policy/PolicyService';
import { modelLookupOf } from '../../showback/ModelDirectory';
import { ArbitrageLoop } from '../ArbitrageLoop';
import { lastMoveReader, Migrations } from '../Migrations';
import { pool, reportsFixture, testArbitrageReports } from './reportsFixture';

/** When the loop's passes run, unless a test moves the clock. */
export const NOW = Date.parse('2026-12-04T12:00:00Z');
export const HOUR = 3_600_000;

/** The T4 pool of cluster c2: the move to another cluster that pays. */
export const T4_WEST = 'gpupool:default/c2.t4-west';

/** A model of the loop's fleet: its name, its team, its replicas now. */
export interface LoopModel {
  name: string;
  team: string;
  /** 2 by default; 0 is a model at zero, which a move does not disrupt. */
  replicas?: number;
  /** Overrides of its entity's spec. */
  spec?: Record<string, unknown>;
  /** Replicas of its on-demand stand-in (the spot fallback), if it has one. */
  standIn?: number;
}

/**
 * The arbitrage loop over `models` (each on `l4-ondemand` of cluster c1,
 * Deployment `vision/<name>`), with the real what-if, the real Migrations
 * and the template's renderer, and actions stored on `knex`. The pools are
 * the what-if fixture's (c1) and `t4-west` of c2, which the models (12
 * GiB, so a T4 fits) may move to at 35 % less; the best move of the
 * report is `l4-spot` of their own cluster, at 60 % less. `teams` are the
 * teams' policies (`modelfleet.policies.teams`).
 */
export function arbitrageLoopFixture(
  knex: Knex,
  options: {
    models: LoopModel[];
    teams: Record<string, PolicyLayer>;
    now: () => number;
    /** Wraps the real Migrations the loop asks (to hold a request, say). */
    wrap?: (m: Migrations) => Pick<Migrations, 'request'>;
  },
) {
  const t4 = pool('t4-west', {
    cluster: 'c2',
    instanceType: 'g4dn.xlarge',
    gpu: {
      product: 'NVIDIA-T4',
      memoryMiB: 15_360,
      perNode: 1,
      sharing: 'whole',
    },
  });
  const fx = reportsFixture({}, [t4], ['c1', 'c2']);
  const workloadOf = (m: LoopModel) => ({
    cluster: 'c1',
    namespace: 'vision',
    kind: 'Deployment' as const,
    name: m.name,
  });
  const workloads: ModelWorkloadObservation[] = options.models.flatMap(m => {
    const replicas = m.replicas ?? 2;
    fx.cluster.addModel(workloadOf(m), replicas);
    const own = {
      ...workloadOf(m),
      modelId: m.name,
      replicas: { desired: replicas, ready: replicas },
      gpusPerReplica: 1,
      pool: 'l4-ondemand',
    };
    if (m.standIn === undefined) return [own];
    const standIn = { ...workloadOf(m), name: `${m.name}-on-demand` };
    fx.cluster.addModel(standIn, m.standIn);
    return [
      own,
      {
        ...own,
        ...standIn,
        role: FALLBACK_ROLE,
        replicas: { desired: m.standIn, ready: m.standIn },
      },
    ];
  });
  const fleet = {
    listWorkloads: async () => workloads,
    // c1's T4 pool is full (at its max, every GPU taken): off spot, the
    // cheapest room is t4-west on c2.
    listPools: async () =>
      (await fx.fleet.listPools()).map(p =>
        p.name === 't4' ? { ...p, nodes: { current: 2, max: 2 } } : p,
      ),
  } as unknown as FleetStateStore;
  const entities = options.models.map(m => ({
    ...fx.entity,
    metadata: { name: m.name, namespace: 'default' },
    spec: {
      ...fx.entity.spec,
      source: 'stabilityai/stable-diffusion-xl-base-1.0',
      runtime: 'triton',
      replicas: { min: 1, max: 3 },
      gpu: { count: 1, memoryGiB: 12 },
      owner: `group:default/${m.team}`,
      workload: workloadOf(m),
      // Off spot unless a test allows it: the best move is then to
      // another cluster (t4-west), and a test of a move within c1 (to
      // l4-spot) says so.
      policy: { spot: 'forbid' },
      ...m.spec,
    },
  }));
  const now = () => new Date(options.now());
  const logger = mockServices.logger.mock();
  const store = new ActionStore(knex);
  const actions = new ActionService({
    store,
    actuators: fx.actuators,
    retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 10, pollMs: 10 },
    logger,
    now,
  });
  const policies = new PolicyService(
    readPolicyConfig(
      new ConfigReader({ modelfleet: { policies: { teams: options.teams } } }),
    ),
  );
  const targets = new ModelTargets({
    catalog: catalogServiceMock({ entities }),
    fleet,
    actuators: fx.actuators,
    lastMove: lastMoveReader(f => store.list(f)),
  });
  const reports = testArbitrageReports({
    targets,
    fleet,
    policies,
    candidates: fx.candidates,
  });
  const migrations = new Migrations({
    targets,
    reports,
    fleet,
    actuators: fx.actuators,
    actions,
    candidates: fx.candidates,
    renderer: () => ({
      render: input => ({
        manifests: renderModelManifests(input as any).manifests,
      }),
    }),
    deniedNamespaces: ['kube-system'],
    provisioningSeconds: 180,
    dryRunOf: team => policies.dryRunOf(team),
  });
  const directory = {
    lookup: jest.fn(async (_?: { expectModels?: boolean }) =>
      modelLookupOf(entities),
    ),
  };
  const loop = new ArbitrageLoop({
    fleet,
    directory,
    policies,
    reports,
    migrations: options.wrap?.(migrations) ?? migrations,
    actions,
    auth: mockServices.auth(),
    logger,
    now,
  });
  return {
    loop,
    directory,
    store,
    actions,
    migrations,
    reports,
    cluster: fx.cluster,
    logger,
  };
}

/**
 * {@link arbitrageLoopFixture} on a fresh database of `databases`, with a
 * clock a test moves (`clock.now`, from {@link NOW}) and each model's
 * moves, newest first.
 */
export async function startArbitrageLoop(
  databases: TestDatabases,
  id: Parameters<TestDatabases['init']>[0],
  models: LoopModel[],
  teams: Record<string, PolicyLayer>,
) {
  const knex = (
    await DatabaseModelFleetStore.fromKnex(await databases.init(id))
  ).knex;
  const clock = { now: NOW };
  const fx = arbitrageLoopFixture(knex, {
    models,
    teams,
    now: () => clock.now,
  });
  const movesOf = (name: string) =>
    fx.store.list({ entityRef: `model:default/${name}`, kinds: ['migrate'] });
  return { ...fx, knex, clock, movesOf };
}
