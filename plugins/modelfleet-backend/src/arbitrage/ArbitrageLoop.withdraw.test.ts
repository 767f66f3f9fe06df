import { createTestDatabases } from '../__testUtils__/testDatabases';
import {
  startArbitrageLoop,
  T4_WEST,
} from './__testUtils__/arbitrageLoopFixture';

jest.setTimeout(60_000);

const DAY = 86_400_000;

describe('ArbitrageLoop and its recommendations awaiting approval', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'keeps its recommended move while it is still the best, and withdraws it once another is, %p',
    async id => {
      const { loop, knex, clock, movesOf } = await startArbitrageLoop(
        databases,
        id,
        [{ name: 'm0', team: 'search-team' }],
        { 'search-team': { arbitrage: { mode: 'recommend' }, dryRun: false } },
      );
      await loop.run();
      const [first] = await movesOf('m0');
      expect(first).toMatchObject({ state: 'planned', dryRun: true });
      expect(first.details?.to.pool).toBe(T4_WEST);

      // Still the best: kept as it is, nothing new.
      clock.now += DAY;
      expect(await loop.run()).toMatch(
        /1 left as they are \(1 with an action under way\)$/,
      );
      expect(await movesOf('m0')).toHaveLength(1);
      expect((await movesOf('m0'))[0].state).toBe('planned');

      // A plan made when another pool was the best (as a day of other
      // prices would leave it): withdrawn, and today's best recommended.
      const stale = {
        ...first.details!,
        to: { ...first.details!.to, pool: 'gpupool:default/c1.l4-spot' },
      };
      await knex('modelfleet_actions')
        .where({ id: first.id })
        .update({ details: JSON.stringify(stale) });
      expect(await loop.run()).toBe(
        '1 model(s): 0 move(s) stored to run, 1 recommended for approval, 0 left as they are',
      );
      const [now, before] = await movesOf('m0');
      expect(before).toMatchObject({ id: first.id, state: 'cancelled' });
      expect(now).toMatchObject({ state: 'planned', dryRun: true });
      expect(now.details?.to.pool).toBe(T4_WEST);
    },
  );
});
