import { createTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseModelFleetStore } from './DatabaseModelFleetStore';
import { HibernationStore } from './HibernationStore';

jest.setTimeout(60_000);

describe('HibernationStore', () => {
  const databases = createTestDatabases();

  async function create(id: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(id);
    return new HibernationStore(
      (await DatabaseModelFleetStore.fromKnex(knex)).knex,
    );
  }

  it.each(databases.eachSupportedId())(
    'keeps one record per model, replaced at each pass, %p',
    async id => {
      const store = await create(id);
      const record = {
        entityRef: 'model:default/sdxl-base',
        state: 'warm' as const,
        replicas: { desired: 1, ready: 1 },
        keepAliveSeconds: 480,
        keepAliveReason: 'idle gaps under 8 min are 90 % of its gaps',
        decision: {
          action: 'setKeepAlive' as const,
          seconds: 480,
          reason: 'r',
          at: '2026-12-04T10:00:00.000Z',
          actionId: 'a1',
        },
        nextChange: { at: '2026-12-04T10:08:00.000Z', what: 'keep-alive ends' },
        observedAt: '2026-12-04T10:00:00.000Z',
      };
      await store.put(record);
      expect(await store.get(record.entityRef)).toEqual(record);
      await store.put({
        ...record,
        state: 'atZero',
        replicas: { desired: 0, ready: 0 },
        keepAliveSeconds: null,
        nextChange: undefined,
        observedAt: '2026-12-04T10:10:00.000Z',
      });
      const [only, ...rest] = await store.list();
      expect(rest).toEqual([]);
      expect(only).toMatchObject({ state: 'atZero', keepAliveSeconds: null });
      expect(only.nextChange).toBeUndefined();
      expect(await store.get('model:default/other')).toBeUndefined();
    },
  );

  it.each(databases.eachSupportedId())(
    'stores a wake once, sets when it was ready, lists a period newest first and prunes, %p',
    async id => {
      const store = await create(id);
      const ref = 'model:default/sdxl-base';
      const wake = {
        entityRef: ref,
        startedAt: '2026-12-04T10:00:00.000Z',
        cold: true,
      };
      await store.addWake(wake);
      await store.addWake(wake);
      await store.addWake({
        entityRef: ref,
        startedAt: '2026-12-04T12:00:00.000Z',
        readyAt: '2026-12-04T12:00:30.000Z',
        cold: false,
      });
      await store.wakeReady(ref, wake.startedAt, '2026-12-04T10:00:23.000Z');
      const wakes = await store.wakes(
        ref,
        new Date('2026-12-04T00:00:00Z'),
        new Date('2026-12-05T00:00:00Z'),
      );
      expect(wakes).toEqual([
        {
          entityRef: ref,
          startedAt: '2026-12-04T12:00:00.000Z',
          readyAt: '2026-12-04T12:00:30.000Z',
          seconds: 30,
          cold: false,
        },
        {
          entityRef: ref,
          startedAt: wake.startedAt,
          readyAt: '2026-12-04T10:00:23.000Z',
          seconds: 23,
          cold: true,
        },
      ]);
      expect(await store.pruneWakes(new Date('2026-12-04T11:00:00Z'))).toBe(1);
      expect(
        await store.wakes(ref, new Date(0), new Date('2027-01-01T00:00:00Z')),
      ).toHaveLength(1);
    },
  );
});
