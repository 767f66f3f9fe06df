import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ModelTargets } from '../actions/ModelTargets';
import { FleetStateStore } from '../database/FleetStateStore';
import { ActionRunner } from '../actions/ActionRunner';
import { ActionService } from '../actions/ActionService';
import { createActuatorDirectory } from '../actions/actuatorDirectory';
import { MemoryActuator } from '../__testUtils__/MemoryActuator';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { ActionStore } from '../database/ActionStore';
import { DatabaseModelFleetStore } from '../database/DatabaseModelFleetStore';
import { ModelPlan } from '../engines/actions/modelPlans';
import { planMigration } from '../engines/arbitrage/migration';
import {
  SOURCE,
  TARGET,
  TIMINGS,
} from '../engines/arbitrage/__testUtils__/moveFixture';
import { lastMoveReader } from './Migrations';

jest.setTimeout(60_000);

const retry = {
  maxAttempts: 3,
  baseDelayMs: 1_000,
  maxDelayMs: 8_000,
  pollMs: 500,
};
const EXPORT = {
  apiVersion: 'multicluster.x-k8s.io/v1alpha1',
  kind: 'ServiceExport',
  namespace: 'search',
  name: 'chat',
};
const TO = { ...SOURCE.workload, cluster: 'c2' };

describe('a migration on the action path', () => {
  const databases = createTestDatabases();

  async function setup(
    id: Parameters<typeof databases.init>[0],
    planFor: (clusters: MemoryActuator) => Promise<ModelPlan> = async () =>
      planMigration(SOURCE, TARGET, TIMINGS),
  ) {
    const knex = await databases.init(id);
    const store = new ActionStore(
      (await DatabaseModelFleetStore.fromKnex(knex)).knex,
    );
    const clusters = new MemoryActuator(['c1', 'c2']);
    clusters.addModel(SOURCE.workload, 2, {});
    const actuators = createActuatorDirectory(() => [clusters]);
    let now = new Date('2026-12-05T10:00:00Z');
    const clock = {
      now: () => now,
      advance: (ms: number) => {
        now = new Date(now.getTime() + ms);
      },
    };
    const common = {
      store,
      actuators,
      retry,
      auditor: mockServices.auditor.mock(),
      logger: mockServices.logger.mock(),
      now: clock.now,
    };
    const service = new ActionService(common);
    const runner = new ActionRunner({
      ...common,
      leaseMs: 30_000,
      pollMs: 10,
      owner: 'replica:a',
    });
    const plan = await planFor(clusters);
    if (!plan.ok) throw new Error(plan.reason);
    const { action } = await service.request({
      idempotencyKey: 'migrate-1',
      kind: 'migrate',
      entityRef: 'model:default/chat',
      cluster: plan.cluster,
      steps: plan.steps,
      dryRun: false,
      requestedBy: 'user:default/jane',
      reason: plan.summary,
    });
    /** Runs the action until it ends or `limit` passes. */
    const run = async (stepMs: number, limit = 200) => {
      for (let i = 0; i < limit; i++) {
        await runner.runOnce();
        const a = await service.get(action.id);
        if (['done', 'rolledBack', 'failed'].includes(a!.state)) return a!;
        clock.advance(stepMs);
      }
      return (await service.get(action.id))!;
    };
    return { store, clusters, service, action, run };
  }

  it.each(databases.eachSupportedId())(
    'moves the model: Ready on the target, traffic exported there, the source drained; the model is found on its new workload, %p',
    async id => {
      const { store, clusters, run, action } = await setup(id);
      expect(action.diff?.some(d => d.cluster === 'c2')).toBe(true);
      const done = await run(1_000);
      expect(done.state).toBe('done');
      expect(clusters.workload(TO).spec).toEqual(
        expect.objectContaining({ replicas: 2 }),
      );
      expect(clusters.workload(TO).status).toMatchObject({ readyReplicas: 2 });
      expect(await clusters.get('c2', EXPORT)).toBeDefined();
      expect(clusters.workload(SOURCE.workload).spec).toMatchObject({
        replicas: 0,
      });
      // The source parked (paused at zero), the target in KEDA's hands.
      expect(
        clusters.autoscaler(SOURCE.autoscaler!).metadata.annotations,
      ).toMatchObject({ 'autoscaling.keda.sh/paused-replicas': '0' });
      expect(
        clusters.autoscaler({ ...SOURCE.autoscaler!, cluster: 'c2' }).metadata
          .annotations,
      ).not.toHaveProperty('autoscaling.keda.sh/paused-replicas');
      expect(
        await lastMoveReader(f => store.list(f))('model:default/chat'),
      ).toEqual(TO);
      // The model is resolved where the move took it, while that exists.
      const targets = new ModelTargets({
        catalog: catalogServiceMock({
          entities: [
            {
              apiVersion: 'modelfleet.io/v1alpha1',
              kind: 'Model',
              metadata: { name: 'chat', namespace: 'default' },
              spec: {
                owner: 'group:default/search',
                workload: { ...SOURCE.workload },
              },
            },
          ],
        }),
        fleet: {} as FleetStateStore,
        actuators: createActuatorDirectory(() => [clusters]),
        lastMove: lastMoveReader(f => store.list(f)),
      });
      const where = async () =>
        (await targets.resolve('default', 'chat', mockCredentials.user()))
          .target?.workload;
      expect(await where()).toEqual(TO);
      clusters.objects.delete('c2/Deployment/search/chat');
      expect(await where()).toEqual(SOURCE.workload);
    },
  );

  it.each(databases.eachSupportedId())(
    'rolls back a move whose target never becomes Ready: the source serves on, untouched, and the target is parked at zero, %p',
    async id => {
      const { store, clusters, run } = await setup(id);
      clusters.stuck.add('c2/search/chat');
      // Half-way: the target is up but not Ready when the wait runs out.
      const ended = await run(30_000);
      expect(ended.state).toBe('rolledBack');
      expect(ended.lastError).toMatch(/chat/);
      const source = clusters.workload(SOURCE.workload);
      expect(source.spec).toMatchObject({ replicas: 2 });
      expect(source.status).toMatchObject({ readyReplicas: 2 });
      expect(
        clusters.autoscaler(SOURCE.autoscaler!).metadata.annotations ?? {},
      ).not.toHaveProperty('autoscaling.keda.sh/paused-replicas');
      expect(clusters.workload(TO).spec).toMatchObject({ replicas: 0 });
      expect(
        clusters.autoscaler({ ...SOURCE.autoscaler!, cluster: 'c2' }).metadata
          .annotations,
      ).toMatchObject({ 'autoscaling.keda.sh/paused-replicas': '0' });
      expect(await clusters.get('c2', EXPORT)).toBeUndefined();
      // Never moved: the model is where its entity says.
      expect(
        await lastMoveReader(f => store.list(f))('model:default/chat'),
      ).toBeUndefined();
    },
  );

  /** A move of chat to l4 of its own cluster c1, with its live Deployment. */
  const withinC1 = async (clusters: MemoryActuator) =>
    planMigration(
      {
        ...SOURCE,
        live: (await clusters.get('c1', {
          kind: 'Deployment',
          namespace: 'search',
          name: 'chat',
        }))!,
      },
      {
        ...TARGET,
        cluster: 'c1',
        pool: 'gpupool:default/c1.l4',
        title: 'l4 (c1)',
      },
      TIMINGS,
    );

  it.each(databases.eachSupportedId())(
    "moves the model within its cluster: its Deployment rolls over to the target pool, held at its replicas, then back in KEDA's hands, %p",
    async id => {
      const { store, clusters, run } = await setup(id, withinC1);
      const done = await run(1_000);
      expect(done.state).toBe('done');
      const d = clusters.workload(SOURCE.workload);
      expect(d.metadata.annotations).toMatchObject({
        'modelfleet.io/pool': 'gpupool:default/c2.l4',
      });
      expect(d.spec).toMatchObject({
        replicas: 2,
        strategy: { rollingUpdate: { maxSurge: '100%', maxUnavailable: 0 } },
      });
      expect(d.status).toMatchObject({ readyReplicas: 2 });
      expect(
        clusters.autoscaler(SOURCE.autoscaler!).metadata.annotations ?? {},
      ).not.toHaveProperty('autoscaling.keda.sh/paused-replicas');
      // The same workload serves it.
      expect(
        await lastMoveReader(f => store.list(f))('model:default/chat'),
      ).toEqual(SOURCE.workload);
    },
  );

  it.each(databases.eachSupportedId())(
    'rolls back a move within its cluster whose new pods never become Ready: the Deployment as it was is applied back, %p',
    async id => {
      let before: unknown;
      const { clusters, run } = await setup(id, async c => {
        before = JSON.parse(JSON.stringify(c.workload(SOURCE.workload).spec));
        return withinC1(c);
      });
      clusters.stuck.add('c1/search/chat');
      const ended = await run(30_000);
      expect(ended.state).toBe('rolledBack');
      expect(ended.lastError).toMatch(/chat/);
      expect(clusters.workload(SOURCE.workload).spec).toEqual(before);
      expect(
        clusters.autoscaler(SOURCE.autoscaler!).metadata.annotations ?? {},
      ).not.toHaveProperty('autoscaling.keda.sh/paused-replicas');
    },
  );
});
