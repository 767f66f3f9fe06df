import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  FALLBACK_ROLE,
  SPREAD_ROLE,
  GpuPoolStatus,
  ModelWorkloadObservation,
} from '@modelfleet/plugin-modelfleet-common';
import { renderModelManifests } from '@modelfleet/plugin-scaffolder-backend-module-modelfleet';
import { ActionRunner } from '../../actions/ActionRunner';
import { ActionService } from '../../actions/ActionService';
import { ModelTargets } from '../../actions/ModelTargets';
import { ActionStore } from '../../database/ActionStore';
import { DatabaseModelFleetStore } from '../../database/DatabaseModelFleetStore';
import { FleetStateStore } from '../../database/FleetStateStore';
import { PolicyLayer, readPolicyConfig } from '../../policy/policyConfig';
import { PolicyService } from '../../policy/PolicyService';
import { modelLookupOf } from '../../showback/ModelDirectory';
import { lastMoveReader } from '../Migrations';
import { SpotFallbackLoop } from '../SpotFallbackLoop';
import {
  pool,
  reportsFixture,
  testArbitrageReports,
  workload,
} from './reportsFixture';

/** When the first pass runs, unless a test moves the clock. */
export const NOW = Date.parse('2026-12-05T12:00:00Z');

/** The stand-in's Deployment on the memory cluster. */
export const STAND_IN = { ...workload, name: 'sdxl-on-demand' };

/** The spot companion's Deployment on the second spot pool, when there is one. */
export const SPOT_COMPANION = { ...workload, name: 'sdxl-on-l4-spot-b' };

/** The spot companion's Deployment on a spot pool of cluster c2, when there is one. */
export const REMOTE_COMPANION = {
  ...workload,
  cluster: 'c2',
  name: 'sdxl-on-l4-spot-c2',
};

/**
 * The spot fallback loop over `sdxl` (2 replicas of `vision/sdxl` on the
 * spot pool `l4-spot` of cluster c1, its on-demand pool `l4-ondemand`),
 * with the real what-if, the template's renderer, actions stored on a
 * fresh database of `databases` and run by a real `ActionRunner` on a
 * memory cluster. The fleet's observations are what a test sets:
 * `observe` turns the memory cluster's objects into the fleet's
 * workloads, with a reclaim notice or waiting pods when a test says so.
 */
export async function startSpotFallback(
  databases: TestDatabases,
  id: Parameters<TestDatabases['init']>[0],
  team: PolicyLayer,
  options: {
    /** A second spot pool on c1 (`l4-spot-b`, g6.2xlarge at $0.42 an hour). */
    secondSpot?: boolean;
    /** A spot pool on a second cluster, c2 (`l4-spot-c2`, g6.2xlarge). */
    otherClusterSpot?: boolean;
  } = {},
) {
  const knex = (
    await DatabaseModelFleetStore.fromKnex(await databases.init(id))
  ).knex;
  const clock = { now: NOW };
  const now = () => new Date(clock.now);
  const spotPool: GpuPoolStatus = pool('l4-spot', { capacityType: 'spot' });
  const spotPoolB: GpuPoolStatus = pool('l4-spot-b', {
    capacityType: 'spot',
    instanceType: 'g6.2xlarge',
    zones: ['us-east-1b'],
  });
  const spotPoolC2: GpuPoolStatus = pool('l4-spot-c2', {
    cluster: 'c2',
    capacityType: 'spot',
    instanceType: 'g6.2xlarge',
    zones: ['us-east-1c'],
  });
  const extraPools = [
    ...(options.secondSpot ? [spotPoolB] : []),
    ...(options.otherClusterSpot ? [spotPoolC2] : []),
  ];
  const fx = reportsFixture(
    {},
    extraPools,
    options.otherClusterSpot ? ['c1', 'c2'] : ['c1'],
  );
  const pools: GpuPoolStatus[] = [pool('l4-ondemand'), spotPool, ...extraPools];
  let companionSignals: Partial<ModelWorkloadObservation> = {};
  let signals: Partial<ModelWorkloadObservation> = {};
  const observe = (): ModelWorkloadObservation[] => {
    const out: ModelWorkloadObservation[] = [];
    for (const [w, poolName, extra] of [
      [workload, 'l4-spot', signals],
      [STAND_IN, 'l4-ondemand', { role: FALLBACK_ROLE }],
      [SPOT_COMPANION, 'l4-spot-b', { role: SPREAD_ROLE, ...companionSignals }],
      [
        REMOTE_COMPANION,
        'l4-spot-c2',
        { role: SPREAD_ROLE, ...companionSignals },
      ],
    ] as const) {
      const obj = fx.cluster.objects.get(
        `${w.cluster}/Deployment/${w.namespace}/${w.name}`,
      );
      if (!obj) continue;
      const desired = Number((obj.spec as any)?.replicas ?? 0);
      const ready = Number((obj.status as any)?.readyReplicas ?? 0);
      out.push({
        ...w,
        modelId: 'sdxl',
        replicas: { desired, ready },
        gpusPerReplica: 1,
        pool: poolName,
        ...extra,
      });
    }
    return out;
  };
  // The fleet's view is as old as the last cluster sync: a test may hold it.
  let held: ModelWorkloadObservation[] | undefined;
  const fleet = {
    listWorkloads: async () => held ?? observe(),
    listPools: async () => pools,
  } as unknown as FleetStateStore;
  const entity = {
    ...fx.entity,
    spec: {
      ...fx.entity.spec,
      source: 'stabilityai/stable-diffusion-xl-base-1.0',
      runtime: 'triton',
      replicas: { min: 1, max: 3 },
      gpu: { count: 1, memoryGiB: 12 },
    },
  };
  const logger = mockServices.logger.mock();
  const store = new ActionStore(knex);
  const common = {
    store,
    actuators: fx.actuators,
    retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 10, pollMs: 10 },
    auditor: mockServices.auditor.mock(),
    logger,
    now,
  };
  const actions = new ActionService(common);
  const runner = new ActionRunner({
    ...common,
    leaseMs: 30_000,
    pollMs: 10,
    owner: 'replica:a',
  });
  const policies = new PolicyService(
    readPolicyConfig(
      new ConfigReader({
        modelfleet: { policies: { teams: { 'vision-team': team } } },
      }),
    ),
  );
  const targets = new ModelTargets({
    catalog: catalogServiceMock({ entities: [entity] }),
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
  const loop = new SpotFallbackLoop({
    fleet,
    directory: { lookup: async () => modelLookupOf([entity]) },
    targets,
    reports,
    policies,
    actions,
    render: {
      fleet,
      actuators: fx.actuators,
      candidates: fx.candidates,
      renderer: () => ({
        render: input => ({
          manifests: renderModelManifests(input as any).manifests,
        }),
      }),
      deniedNamespaces: ['kube-system'],
    },
    auth: mockServices.auth(),
    settings: { provisioningSeconds: 180, launchTimeoutSeconds: 300 },
    logger,
    now,
  });
  /** Runs the stored actions until none is under way, the clock moving. */
  const runActions = async (stepMs = 1_000, limit = 200) => {
    for (let i = 0; i < limit; i++) {
      await runner.runOnce();
      const open = await store.list({
        states: ['applying', 'verifying', 'rollingBack'],
        limit: 1,
      });
      if (!open.length) return;
      clock.now += stepMs;
    }
  };
  const fallbacks = () =>
    store.list({ entityRef: 'model:default/sdxl', kinds: ['spot-fallback'] });
  return {
    loop,
    reports,
    store,
    actions,
    runActions,
    fallbacks,
    cluster: fx.cluster,
    clock,
    spotPool,
    /** Holds the fleet's view of the workloads as it is now, until `sync`. */
    holdSync: () => {
      held = observe();
    },
    sync: () => {
      held = undefined;
    },
    /** Sets what the cluster connector reports of the spot workload. */
    signal: (s: Partial<ModelWorkloadObservation>) => {
      signals = s;
    },
    /** Sets what the cluster connector reports of the spot companion. */
    signalCompanion: (s: Partial<ModelWorkloadObservation>) => {
      companionSignals = s;
    },
    /** Sets the spot workload's Ready replicas on the memory cluster. */
    spotReady: (n: number) => {
      const obj = fx.cluster.workload(workload);
      obj.status = { ...(obj.status as object), readyReplicas: n };
    },
  };
}
