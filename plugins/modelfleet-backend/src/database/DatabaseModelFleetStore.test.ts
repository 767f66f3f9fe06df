import { createTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseModelFleetStore } from './DatabaseModelFleetStore';

jest.setTimeout(60_000);

describe('DatabaseModelFleetStore', () => {
  const databases = createTestDatabases();

  async function createStore(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    return { knex, store: await DatabaseModelFleetStore.fromKnex(knex) };
  }

  it.each(databases.eachSupportedId())(
    'records task runs and reports the latest per task, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const t0 = new Date('2026-11-01T00:00:00.000Z');
      const a1 = await store.startTaskRun('a', t0);
      await store.finishTaskRun(a1, {
        status: 'succeeded',
        detail: 'did one thing',
        at: new Date('2026-11-01T00:00:05.000Z'),
      });
      const a2 = await store.startTaskRun(
        'a',
        new Date('2026-11-02T00:00:00Z'),
      );
      await store.finishTaskRun(a2, {
        status: 'failed',
        detail: 'boom',
        at: new Date('2026-11-02T00:00:01Z'),
      });
      await store.startTaskRun('b', new Date('2026-11-03T00:00:00Z'));

      const latest = await store.latestTaskRuns();
      expect(latest.size).toBe(2);
      expect(latest.get('a')).toEqual({
        taskId: 'a',
        startedAt: '2026-11-02T00:00:00.000Z',
        finishedAt: '2026-11-02T00:00:01.000Z',
        status: 'failed',
        detail: 'boom',
      });
      expect(latest.get('b')).toEqual({
        taskId: 'b',
        startedAt: '2026-11-03T00:00:00.000Z',
        finishedAt: undefined,
        status: 'running',
        detail: undefined,
      });
      expect(store.client).toMatch(databaseId === 'SQLITE_3' ? /sqlite/ : /pg/);
      expect(await store.appliedMigrations()).toEqual([
        '20261124_init.js',
        '20261125_fleet_state.js',
        '20261126_price_book.js',
        '20261201_showback.js',
        '20261203_actions.js',
        '20261208_showback_reads.js',
        '20261211_hibernation.js',
        '20261212_hibernation_savings.js',
        '20261213_action_details.js',
        '20261214_pool_history.js',
        '20261215_allocated_unused.js',
        '20261216_recommendations.js',
        '20261217_savings_ledger.js',
        '20261218_fleet_nodes.js',
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'prunes only finished runs older than the cutoff, %p',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      const old = await store.startTaskRun(
        'a',
        new Date('2026-01-01T00:00:00Z'),
      );
      await store.finishTaskRun(old, {
        status: 'succeeded',
        at: new Date('2026-01-01T00:01:00Z'),
      });
      await store.startTaskRun('stuck', new Date('2026-01-01T00:00:00Z'));
      const recent = await store.startTaskRun(
        'a',
        new Date('2026-11-01T00:00:00Z'),
      );
      await store.finishTaskRun(recent, {
        status: 'succeeded',
        at: new Date('2026-11-01T00:01:00Z'),
      });

      expect(await store.pruneTaskRuns(new Date('2026-06-01T00:00:00Z'))).toBe(
        1,
      );
      expect(await knex('modelfleet_task_runs').count({ n: '*' })).toEqual([
        { n: expect.anything() },
      ]);
      const left = await knex('modelfleet_task_runs').orderBy('id');
      expect(left.map(r => r.task_id)).toEqual(['stuck', 'a']);

      // The stuck run is failed by the abandoned sweep, then prunable.
      const at = new Date('2026-11-02T00:00:00Z');
      expect(
        await store.failAbandonedTaskRuns(new Date('2026-11-01T00:00:00Z'), at),
      ).toBe(1);
      const stuck = (await store.latestTaskRuns()).get('stuck');
      expect(stuck?.status).toBe('failed');
      expect(stuck?.detail).toMatch(/backend that ran it stopped/);
      expect(await store.pruneTaskRuns(new Date('2026-06-01T00:00:00Z'))).toBe(
        1,
      );
      expect((await store.latestTaskRuns()).has('a')).toBe(true);
    },
  );
});
