import { MetricsSource } from '@modelfleet/plugin-modelfleet-node';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseModelFleetStore } from '../database/DatabaseModelFleetStore';
import { HIBERNATION_ACTOR } from './HibernationLoop';
import {
  loopFixture,
  metrics,
  MODELS,
  NOW,
  rateSource,
} from './__testUtils__/loopFixture';

jest.setTimeout(60_000);

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

  it.each(databases.eachSupportedId())(
    "is not held by the spot fallback's advice waiting for a person, and waits for a fallback stored to run, %p",
    async id => {
      const knex = (
        await DatabaseModelFleetStore.fromKnex(await databases.init(id))
      ).knex;
      const { actions, loop } = await loopFixture(knex, {
        models: MODELS,
        replicas: 1,
        autoscaler: true,
        metrics,
        now: () => NOW,
      });
      const fallback = (model: string, dryRun: boolean) =>
        actions.request({
          idempotencyKey: `spot:${model}`,
          kind: 'spot-fallback',
          entityRef: `model:default/${model}`,
          cluster: MODELS[0].workload.cluster,
          steps: [],
          dryRun,
          requestedBy: 'policy:arbitrage',
          reason: 'spot companion 0 → 1',
        });
      await fallback('m0', true);
      await fallback('m1', false);
      // m0 (enforce) acts; m1 (recommend) waits for the fallback to run.
      expect(await loop.run()).toBe(
        '3 model(s): 1 acted on, 0 recommended, 2 left as they are',
      );
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
});
