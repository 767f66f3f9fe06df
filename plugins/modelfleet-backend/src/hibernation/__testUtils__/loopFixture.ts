import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Knex } from 'knex';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ModelWorkloadObservation } from '@modelfleet/plugin-modelfleet-common';
import { MetricsSource } from '@modelfleet/plugin-modelfleet-node';
import { ActionRunner } from '../../actions/ActionRunner';
import { ActionService } from '../../actions/ActionService';
import { ModelTargets } from '../../actions/ModelTargets';
import { createActuatorDirectory } from '../../actions/actuatorDirectory';
import { MemoryActuator } from '../../__testUtils__/MemoryActuator';
import { ActionStore } from '../../database/ActionStore';
import { FleetStateStore } from '../../database/FleetStateStore';
import { HibernationStore } from '../../database/HibernationStore';
import { PolicyService } from '../../policy/PolicyService';
import { readPolicyConfig } from '../../policy/policyConfig';
import { HibernationLoop } from '../HibernationLoop';

export const NOW = Date.parse('2026-12-04T12:00:00Z');
const TEAMS = ['vision-team', 'search-team', 'speech-team'] as const;
const model = (i: number) => ({
  name: `m${i}`,
  team: TEAMS[i],
  workload: {
    cluster: 'c1',
    namespace: 'ml',
    kind: 'Deployment' as const,
    name: `m${i}`,
  },
});
export const MODELS = [0, 1, 2].map(model);

/** A request rate over the window: `rate(t, end)` at each step's end. */
export const rateSource = (
  id: string,
  rate: (t: number, end: number) => number,
): MetricsSource => ({
  id,
  async query(_metric, _model, window) {
    const points: Array<[number, number]> = [];
    const end = window.end.getTime() / 1000;
    for (
      let t = window.start.getTime() / 1000 + 60;
      t <= end;
      t += window.stepSeconds
    ) {
      points.push([t, rate(t, end)]);
    }
    return [{ labels: {}, points }];
  },
});

/** Requests in one minute of every five, for two days, then 20 min of silence. */
export const metrics = rateSource('test', (t, end) =>
  t < end - 20 * 60 && Math.floor(t / 60) % 5 === 0 ? 0.5 : 0,
);

/** The loop over `models` on an in-memory cluster and the test database. */
export async function loopFixture(
  knex: Knex,
  options: {
    models: typeof MODELS;
    replicas: number;
    autoscaler?: boolean;
    sleepTier?: boolean;
    metrics: MetricsSource;
    now: () => number;
  },
) {
  const models = options.models;
  const cluster = new MemoryActuator(['c1']);
  for (const m of models)
    cluster.addModel(
      m.workload,
      options.replicas,
      options.autoscaler ? {} : undefined,
      options.sleepTier,
    );
  const actuators = createActuatorDirectory(() => [cluster]);
  const workloads: ModelWorkloadObservation[] = models.map(m => ({
    ...m.workload,
    modelId: m.name,
    replicas: { desired: options.replicas, ready: options.replicas },
    gpusPerReplica: 1,
  }));
  const fleet = {
    listWorkloads: async () => workloads,
  } as unknown as FleetStateStore;
  const entities = models.map(m => ({
    apiVersion: 'modelfleet.io/v1alpha1',
    kind: 'Model',
    metadata: { name: m.name, namespace: 'default' },
    spec: { owner: `group:default/${m.team}`, workload: m.workload },
  }));
  const catalog = catalogServiceMock({ entities });
  const policies = new PolicyService(
    readPolicyConfig(
      new ConfigReader({
        modelfleet: {
          policies: {
            defaults: { dryRun: true },
            teams: {
              'vision-team': {
                dryRun: false,
                hibernation: { mode: 'enforce' },
              },
              'search-team': { hibernation: { mode: 'recommend' } },
              'speech-team': { hibernation: { mode: 'off' } },
            },
          },
        },
      }),
    ),
  );
  const logger = mockServices.logger.mock();
  const retry = { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 10, pollMs: 10 };
  const actions = new ActionService({
    store: new ActionStore(knex),
    actuators,
    retry,
    logger,
    now: () => new Date(options.now()),
  });
  const runner = new ActionRunner({
    store: new ActionStore(knex),
    actuators,
    retry,
    leaseMs: 30_000,
    pollMs: 10,
    owner: 'test-replica',
    logger,
    now: () => new Date(options.now()),
  });
  const store = new HibernationStore(knex);
  const loop = new HibernationLoop({
    fleet,
    directory: {
      lookup: async () => w => {
        const m = models.find(x => x.name === w.modelId)!;
        return {
          modelRef: `model:default/${m.name}`,
          teamRef: `group:default/${m.team}`,
        };
      },
    },
    targets: new ModelTargets({ catalog, fleet, actuators }),
    actuators,
    metrics: () => [options.metrics],
    policies,
    actions,
    store,
    auth: mockServices.auth(),
    settings: { historyHours: 48, stepSeconds: 60, defaultLoadSeconds: 60 },
    logger,
    now: () => new Date(options.now()),
  });
  return { cluster, actions, runner, store, loop };
}
