import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Knex } from 'knex';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ModelWorkloadObservation } from '@modelfleet/plugin-modelfleet-common';
import { MetricsSource } from '@modelfleet/plugin-modelfleet-node';
import { ActionRunner } from '../actions/ActionRunner';
import { ActionService } from '../actions/ActionService';
import { ModelTargets } from '../actions/ModelTargets';
import { createActuatorDirectory } from '../actions/actuatorDirectory';
import { MemoryActuator } from '../__testUtils__/MemoryActuator';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { ActionStore } from '../database/ActionStore';
import { DatabaseModelFleetStore } from '../database/DatabaseModelFleetStore';
import { FleetStateStore } from '../database/FleetStateStore';
import { HibernationStore } from '../database/HibernationStore';
import { PolicyService } from '../policy/PolicyService';
import { readPolicyConfig } from '../policy/policyConfig';
import { HIBERNATION_ACTOR, HibernationLoop } from './HibernationLoop';

jest.setTimeout(60_000);

const NOW = Date.parse('2026-12-04T12:00:00Z');
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
const MODELS = [0, 1, 2].map(model);

/** A request rate over the window: `rate(t, end)` at each step's end. */
const rateSource = (
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
const metrics = rateSource('test', (t, end) =>
  t < end - 20 * 60 && Math.floor(t / 60) % 5 === 0 ? 0.5 : 0,
);

/** The loop over `models` on an in-memory cluster and the test database. */
async function loopFixture(
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

describe('HibernationLoop', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'sets the learned keep-alive under enforce, recommends it dry-run under recommend, leaves a model under off, %p',
    async id => {
      const knex = (
        await DatabaseModelFleetStore.fromKnex(await databases.init(id))
      ).knex;
      const { cluster, actions, store, loop } = await loopFixture(knex, {
        models: MODELS,
        replicas: 1,
        autoscaler: true,
        metrics,
        now: () => NOW,
      });

      expect(await loop.run()).toBe(
        '3 model(s): 1 acted on, 1 recommended, 1 left as they are',
      );
      const [enforced] = await actions.list({ entityRef: 'model:default/m0' });
      expect(enforced).toMatchObject({
        kind: 'keepAlive',
        dryRun: false,
        state: 'planned',
        requestedBy: HIBERNATION_ACTOR,
      });
      const op = enforced.steps[0].do;
      expect(op.op).toBe('setKeepAlive');
      const seconds = op.op === 'setKeepAlive' ? op.seconds : 0;
      // Gaps of four minutes: kept warm through them, not for KEDA's 300 s.
      expect(seconds).toBeGreaterThanOrEqual(240);
      expect(seconds).not.toBe(300);
      const [recommended] = await actions.list({
        entityRef: 'model:default/m1',
      });
      expect(recommended).toMatchObject({ kind: 'keepAlive', dryRun: true });
      expect(await actions.list({ entityRef: 'model:default/m2' })).toEqual([]);

      const record = await store.get('model:default/m0');
      expect(record).toMatchObject({
        state: 'warm',
        keepAliveSeconds: seconds,
        decision: { action: 'setKeepAlive', actionId: enforced.id },
      });
      // Idle 20 min, past its keep-alive: KEDA takes it to zero next.
      expect(record!.nextChange).toBeUndefined();
      expect((await store.get('model:default/m2'))!.decision).toMatchObject({
        action: 'none',
        reason: "hibernation is off in the team's policy",
      });

      // Again: the change in flight is not asked for twice.
      expect(await loop.run()).toBe(
        '3 model(s): 0 acted on, 0 recommended, 3 left as they are',
      );
      expect(
        await actions.list({ entityRef: 'model:default/m0' }),
      ).toHaveLength(1);

      // A model seen at zero that has a ready replica at the next pass woke.
      cluster.workload(MODELS[2].workload).spec = { replicas: 0 };
      cluster.workload(MODELS[2].workload).status = { readyReplicas: 0 };
      await loop.run();
      expect((await store.get('model:default/m2'))!.state).toBe('atZero');
      cluster.workload(MODELS[2].workload).spec = { replicas: 1 };
      cluster.workload(MODELS[2].workload).status = { readyReplicas: 1 };
      await loop.run();
      expect(
        await store.wakes('model:default/m2', new Date(0), new Date(NOW + 1)),
      ).toEqual([
        {
          entityRef: 'model:default/m2',
          startedAt: new Date(NOW).toISOString(),
          readyAt: new Date(NOW).toISOString(),
          seconds: 0,
          cold: true,
        },
      ]);
    },
  );

  /** A batch job: two busy minutes at the start of every 20, for two days. */
  const batchSources: Record<'rate' | 'exact', MetricsSource> = {
    // The request rate per minute.
    rate: rateSource('batch', t => ((t - 60) % 1200 < 120 ? 1 : 0)),
    // Each request's arrival (60 requests, 2 s apart), no rate.
    exact: {
      id: 'batch-exact',
      async query() {
        return [];
      },
      async busySpans(_model, window) {
        const spans = [];
        const from = Math.ceil(window.start.getTime() / 1_200_000) * 1200;
        for (let t = from; t < window.end.getTime() / 1000; t += 1200) {
          for (let i = 0; i < 60; i++) {
            spans.push({ start: t + 2 * i, end: t + 2 * i + 1.5 });
          }
        }
        return spans;
      },
    },
  };

  it.each(
    databases
      .eachSupportedId()
      .flatMap(([id]) =>
        (['rate', 'exact'] as const).map(k => [id, k] as const),
      ),
  )(
    'wakes a model with a sharp rhythm ahead of its next batch (a pre-warm), and says when on its record, %p, from its %p',
    async (id, history) => {
      const knex = (
        await DatabaseModelFleetStore.fromKnex(await databases.init(id))
      ).knex;
      const batch = batchSources[history];
      // NOW is on a batch's start: the last one ended at 12:02, and the
      // model went to zero since.
      let now = NOW + 7 * 60_000;
      const { cluster, actions, runner, store, loop } = await loopFixture(
        knex,
        {
          models: [MODELS[0]],
          replicas: 0,
          autoscaler: true,
          metrics: batch,
          now: () => now,
        },
      );
      await loop.run();
      const record = (await store.get('model:default/m0'))!;
      expect(record.state).toBe('atZero');
      expect(record.nextChange?.what).toBe(
        'pre-warm ahead of the demand it expects',
      );
      const at = Date.parse(record.nextChange!.at);
      // Ahead of the next batch at 12:20 by at least its load time.
      expect(at).toBeGreaterThan(now);
      expect(at).toBeLessThanOrEqual(NOW + 20 * 60_000 - 60_000);
      expect(
        (await actions.list({ entityRef: 'model:default/m0' })).map(
          a => a.kind,
        ),
      ).not.toContain('wake');
      // Its learned keep-alive is set on its autoscaler meanwhile.
      await runner.runOnce();

      now = at + 1000;
      await loop.run();
      const wake = (await actions.list({ entityRef: 'model:default/m0' })).find(
        a => a.kind === 'wake',
      );
      expect(wake).toMatchObject({
        dryRun: false,
        requestedBy: HIBERNATION_ACTOR,
      });
      expect(wake!.reason).toMatch(
        /^wake to 1 replica: pre-warm: .* cluster past 18 min/,
      );
      expect((await store.get('model:default/m0'))!.decision).toMatchObject({
        action: 'wake',
        actionId: wake!.id,
      });

      // Woken and held at one replica until the batch has come and gone;
      // the wake is not a cold start, since ModelFleet asked for it.
      await runner.runOnce();
      expect(await actions.get(wake!.id)).toMatchObject({ state: 'done' });
      cluster.settle();
      expect(cluster.workload(MODELS[0].workload).spec).toEqual({
        replicas: 1,
      });
      now += 60_000;
      await loop.run();
      const [woke] = await store.wakes(
        'model:default/m0',
        new Date(0),
        new Date(now + 1),
      );
      expect(woke).toMatchObject({ cold: false });
      expect((await store.get('model:default/m0'))!.state).toBe('warm');
    },
  );

  it.each(databases.eachSupportedId())(
    "times the wakes of a sleeping engine from its wake gate's log, each once, %p",
    async id => {
      const knex = (
        await DatabaseModelFleetStore.fromKnex(await databases.init(id))
      ).knex;
      let now = NOW;
      const { cluster, store, loop } = await loopFixture(knex, {
        models: [MODELS[0]],
        replicas: 1,
        sleepTier: true,
        metrics,
        now: () => now,
      });
      const w = MODELS[0].workload;
      cluster.logEngineWake(w, '2026-12-04T11:40:00.250Z', 4.5);
      cluster.logEngineWake(w, '2026-12-04T11:45:00.000Z', 6.125);
      await loop.run();
      const stored = () =>
        store.wakes('model:default/m0', new Date(0), new Date(now + 1));
      const first = [
        {
          startedAt: '2026-12-04T11:45:00.000Z',
          readyAt: '2026-12-04T11:45:06.125Z',
          seconds: 6.125,
          cold: true,
        },
        {
          startedAt: '2026-12-04T11:40:00.250Z',
          readyAt: '2026-12-04T11:40:04.750Z',
          seconds: 4.5,
          cold: true,
        },
      ];
      expect(await stored()).toMatchObject(first);
      // The gate answers its whole log again: only a new wake is added.
      cluster.logEngineWake(w, '2026-12-04T11:58:00.000Z', 5);
      now += 60_000;
      await loop.run();
      const all = await stored();
      expect(all).toHaveLength(3);
      expect(all[0]).toMatchObject({
        startedAt: '2026-12-04T11:58:00.000Z',
        seconds: 5,
        cold: true,
      });
      // A gate that cannot say is asked again at the next pass; the pass goes on.
      cluster.failures.set('engineWakes', ['unavailable']);
      cluster.logEngineWake(w, '2026-12-04T12:00:30.000Z', 5);
      now += 60_000;
      await loop.run();
      expect(await stored()).toHaveLength(3);
      expect((await store.get('model:default/m0'))!.observedAt).toBe(
        new Date(now).toISOString(),
      );
      now += 60_000;
      await loop.run();
      expect(await stored()).toHaveLength(4);
    },
  );
});
