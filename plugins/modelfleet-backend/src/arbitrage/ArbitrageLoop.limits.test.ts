import { mockCredentials } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { progressOf } from '../database/ActionStore';
import { ARBITRAGE_ACTOR } from './ArbitrageLoop';
import { Migrations } from './Migrations';
import {
  arbitrageLoopFixture,
  HOUR,
  NOW,
  startArbitrageLoop,
  T4_WEST,
} from './__testUtils__/arbitrageLoopFixture';

jest.setTimeout(60_000);

const NIGHTLY = {
  name: 'nightly',
  start: '0 2 * * *',
  end: '0 4 * * *',
  timezone: 'UTC',
};

/** When the loop may store a move: the team's daily limit, once a day, its windows. */
describe('ArbitrageLoop, when it moves', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    "holds a team to its moves a day: a person's and rolled-back moves of the last 24 h count, cancelled and older ones do not, %p",
    async id => {
      const { loop, store, actions, migrations, clock, movesOf } =
        await startArbitrageLoop(
          databases,
          id,
          ['m0', 'm1', 'm2', 'm3'].map(name => ({ name, team: 'search-team' })),
          {
            'search-team': {
              arbitrage: { mode: 'recommend', maxMigrationsPerDay: 3 },
              dryRun: false,
            },
          },
        );
      const move = async (
        name: string,
        hoursAgo: number,
        key: string,
        requestedBy = 'user:default/jane',
      ) => {
        clock.now = NOW - hoursAgo * HOUR;
        const { action } = await migrations.request(
          'default',
          name,
          { pool: T4_WEST, dryRun: true, requestedBy, idempotencyKey: key },
          mockCredentials.user(),
          async () => undefined,
        );
        return action;
      };
      const end = async (
        action: Awaited<ReturnType<typeof move>>,
        state: 'rolledBack' | 'cancelled',
      ) => {
        if (state === 'cancelled') {
          await actions.cancel(action.id, 'user:default/jane');
          return;
        }
        const at = new Date(clock.now);
        await store.advance(action, {
          progress: {
            ...progressOf(action),
            state,
            finishedAt: at.toISOString(),
          },
          now: at,
        });
      };
      // m0: a person's move waiting for approval (counts, and m0 is busy).
      await move('m0', 2, 'jane-1');
      // m1: the loop's move 3 h ago, rolled back (counts).
      await end(
        await move('m1', 3, 'earlier-1', ARBITRAGE_ACTOR),
        'rolledBack',
      );
      // m2: a move 25 h ago (too old to count).
      await end(await move('m2', 25, 'earlier-2'), 'rolledBack');
      // m3: a recommendation cancelled an hour ago (never ran).
      await end(await move('m3', 1, 'earlier-3', ARBITRAGE_ACTOR), 'cancelled');

      clock.now = NOW;
      expect(await loop.run()).toBe(
        "4 model(s): 0 move(s) stored to run, 1 recommended for approval, 1 left as they are (1 with an action under way); 2 held by their team's daily limit of moves (group:default/search-team: 3 a day)",
      );
      expect((await movesOf('m1'))[0]).toMatchObject({
        state: 'planned',
        requestedBy: ARBITRAGE_ACTOR,
        idempotencyKey: `arbitrage:model:default/m1:${T4_WEST}:2026-12-04`,
      });
      expect(await movesOf('m2')).toHaveLength(1);
      expect(await movesOf('m3')).toHaveLength(1);

      // Next morning: the rolled-back move is 24.5 h old, the person's
      // 23.5 h and the loop's 21.5 h: room for one more.
      clock.now = NOW + 21.5 * HOUR;
      expect(await loop.run()).toBe(
        "4 model(s): 0 move(s) stored to run, 1 recommended for approval, 2 left as they are (2 with an action under way); 1 held by their team's daily limit of moves (group:default/search-team: 3 a day)",
      );
      const [m2] = await movesOf('m2');
      expect(m2.idempotencyKey).toBe(
        `arbitrage:model:default/m2:${T4_WEST}:2026-12-05`,
      );
      expect(await movesOf('m3')).toHaveLength(1);
    },
  );

  it.each(databases.eachSupportedId())(
    'stores one move for a model, pool and day, however many passes or replicas ask, %p',
    async id => {
      const models = [{ name: 'm0', team: 'search-team' }];
      const teams = {
        'search-team': { arbitrage: { mode: 'recommend' as const } },
      };
      const a = await startArbitrageLoop(databases, id, models, teams);
      // Two replicas on the same database whose passes ask for the move at
      // once, each having seen the model without an action.
      let arrived = 0;
      let release = () => {};
      const together = new Promise<void>(r => {
        release = r;
      });
      const gate = (m: Migrations): Pick<Migrations, 'request'> => ({
        async request(...args) {
          arrived += 1;
          if (arrived === 2) release();
          await together;
          return m.request(...args);
        },
      });
      const b = arbitrageLoopFixture(a.knex, {
        models,
        teams,
        now: () => a.clock.now,
        wrap: gate,
      });
      const c = arbitrageLoopFixture(a.knex, {
        models,
        teams,
        now: () => a.clock.now,
        wrap: gate,
      });
      const summaries = await Promise.all([c.loop.run(), b.loop.run()]);
      expect(await a.movesOf('m0')).toHaveLength(1);
      expect(summaries.sort()).toEqual([
        '1 model(s): 0 move(s) stored to run, 0 recommended for approval, 1 left as they are (1 asked for today already)',
        '1 model(s): 0 move(s) stored to run, 1 recommended for approval, 0 left as they are',
      ]);

      // Again: the move waiting for approval keeps the model busy.
      expect(await a.loop.run()).toBe(
        '1 model(s): 0 move(s) stored to run, 0 recommended for approval, 1 left as they are (1 with an action under way)',
      );
      // Declined: not asked for again that day, asked again the next.
      const [declined] = await a.movesOf('m0');
      await a.actions.cancel(declined.id, 'user:default/jane');
      a.clock.now = NOW + 6 * HOUR;
      expect(await a.loop.run()).toBe(
        '1 model(s): 0 move(s) stored to run, 0 recommended for approval, 1 left as they are (1 asked for today already)',
      );
      expect(await a.movesOf('m0')).toHaveLength(1);
      a.clock.now = NOW + 24 * HOUR;
      expect(await a.loop.run()).toBe(
        '1 model(s): 0 move(s) stored to run, 1 recommended for approval, 0 left as they are',
      );
      expect((await a.movesOf('m0')).map(m => m.idempotencyKey)).toEqual([
        `arbitrage:model:default/m0:${T4_WEST}:2026-12-05`,
        `arbitrage:model:default/m0:${T4_WEST}:2026-12-04`,
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    "waits for the team's maintenance window to move a running model under enforce; recommends at any time, %p",
    async id => {
      const { loop, movesOf, clock, logger } = await startArbitrageLoop(
        databases,
        id,
        [
          { name: 'm0', team: 'vision-team' },
          { name: 'm1', team: 'vision-team', replicas: 0 },
          { name: 'm2', team: 'vision-team' },
          { name: 'm3', team: 'search-team' },
        ],
        {
          'vision-team': {
            arbitrage: { mode: 'enforce', maxMigrationsPerDay: 2 },
            maintenanceWindows: [NIGHTLY],
            dryRun: false,
          },
          'search-team': {
            arbitrage: { mode: 'recommend' },
            maintenanceWindows: [NIGHTLY],
            dryRun: false,
          },
        },
      );
      // 12:00 UTC: m1, at zero, moves now (nothing to disrupt).
      expect(await loop.run()).toBe(
        '4 model(s): 1 move(s) stored to run, 1 recommended for approval, 0 left as they are; 2 wait for a maintenance window',
      );
      expect(await movesOf('m0')).toEqual([]);
      expect(await movesOf('m2')).toEqual([]);
      expect((await movesOf('m1'))[0]).toMatchObject({ dryRun: false });
      expect(logger.info).toHaveBeenCalledWith(
        expect.stringMatching(
          /^Arbitrage: model:default\/m0: waits for maintenance window nightly, which opens at 2026-12-05T02:00:00.000Z; the move: to t4-west \(c2\)/,
        ),
      );
      const [recommended] = await movesOf('m3');
      expect(recommended).toMatchObject({ dryRun: true, state: 'planned' });
      expect(recommended.reason).toMatch(
        /; outside the team's maintenance windows now \(an enforced move waits for maintenance window nightly, which opens at 2026-12-05T02:00:00.000Z\)$/,
      );

      // 02:30 UTC, in the window: one more move today, the team's second.
      clock.now = Date.parse('2026-12-05T02:30:00Z');
      expect(await loop.run()).toBe(
        "4 model(s): 1 move(s) stored to run, 0 recommended for approval, 2 left as they are (2 with an action under way); 1 held by their team's daily limit of moves (group:default/vision-team: 2 a day)",
      );
      expect((await movesOf('m0'))[0]).toMatchObject({
        dryRun: false,
        idempotencyKey: `arbitrage:model:default/m0:${T4_WEST}:2026-12-05`,
      });
      expect(await movesOf('m2')).toEqual([]);
    },
  );
});
