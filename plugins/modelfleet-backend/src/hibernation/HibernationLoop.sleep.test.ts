import { createTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseModelFleetStore } from '../database/DatabaseModelFleetStore';
import { loopFixture, metrics, MODELS, NOW } from './__testUtils__/loopFixture';

jest.setTimeout(60_000);

describe('HibernationLoop, the sleep idle tier', () => {
  const databases = createTestDatabases();

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

  it.each(databases.eachSupportedId())(
    'does not put an engine back to sleep that a request woke moments ago, before its history shows the request, %p',
    async id => {
      const knex = (
        await DatabaseModelFleetStore.fromKnex(await databases.init(id))
      ).knex;
      let now = NOW;
      const { cluster, store, loop, actions } = await loopFixture(knex, {
        models: [MODELS[0]],
        replicas: 1,
        sleepTier: true,
        metrics,
        now: () => now,
      });
      // Idle for 20 min by its history, past its learned keep-alive (253 s);
      // a request woke its engine 30 s ago (a 5 s wake), which the history
      // does not show yet.
      const w = MODELS[0].workload;
      cluster.logEngineWake(w, new Date(NOW - 30_000).toISOString(), 5);
      const sleeps = async () =>
        (await actions.list({ entityRef: 'model:default/m0' })).filter(
          a => a.kind === 'sleep',
        );
      await loop.run();
      expect(await sleeps()).toEqual([]);
      // Idle since the request was served: its keep-alive runs from then.
      expect((await store.get('model:default/m0'))!.nextChange).toEqual({
        at: new Date(NOW - 25_000 + 253_000).toISOString(),
        what: 'keep-alive ends: its engine sleeps unless a request comes',
      });
      now = NOW + 240_000;
      await loop.run();
      expect(await sleeps()).toHaveLength(1);
    },
  );
});
