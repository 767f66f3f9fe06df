import { createTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseModelFleetStore } from '../database/DatabaseModelFleetStore';
import { RecommendationStateStore } from './RecommendationStateStore';

jest.setTimeout(60_000);

const directory = DatabaseModelFleetStore.migrationsDirectory;
const NOW = new Date('2026-12-06T10:00:00Z');
const LATER = new Date('2026-12-13T10:00:00Z');

describe('RecommendationStateStore', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'remembers dismissals and snoozes per person, replaces them, restores and expires them, %p',
    async id => {
      const knex = await databases.init(id);
      const store = new RecommendationStateStore(
        (await DatabaseModelFleetStore.fromKnex(knex)).knex,
      );
      await store.dismiss(
        'user:default/jane',
        'rightsizing-0123456789abcdef',
        NOW,
      );
      await store.snooze(
        'user:default/jane',
        'hibernation-0123456789abcdef',
        LATER,
        NOW,
      );
      await store.snooze(
        'user:default/bob',
        'rightsizing-0123456789abcdef',
        NOW,
        NOW,
      );

      const jane = await store.statesOf('user:default/jane');
      expect(jane.get('rightsizing-0123456789abcdef')).toMatchObject({
        state: 'dismissed',
        updatedAt: NOW,
      });
      expect(
        jane.get('rightsizing-0123456789abcdef')?.snoozedUntil,
      ).toBeUndefined();
      expect(jane.get('hibernation-0123456789abcdef')).toMatchObject({
        state: 'snoozed',
        snoozedUntil: LATER,
      });
      // Another person's state is theirs alone.
      expect((await store.statesOf('user:default/bob')).size).toBe(1);
      expect((await store.statesOf('user:default/ann')).size).toBe(0);

      // Snoozing what was dismissed replaces the state.
      await store.snooze(
        'user:default/jane',
        'rightsizing-0123456789abcdef',
        LATER,
        LATER,
      );
      expect(
        (await store.statesOf('user:default/jane')).get(
          'rightsizing-0123456789abcdef',
        ),
      ).toMatchObject({
        state: 'snoozed',
        snoozedUntil: LATER,
        updatedAt: LATER,
      });

      await store.restore('user:default/jane', 'hibernation-0123456789abcdef');
      expect(
        (await store.statesOf('user:default/jane')).has(
          'hibernation-0123456789abcdef',
        ),
      ).toBe(false);

      // Bob's snooze ran out at NOW: housekeeping forgets it, Jane's holds.
      expect(
        await store.deleteExpiredSnoozes(new Date(NOW.getTime() + 1)),
      ).toBe(1);
      expect((await store.statesOf('user:default/bob')).size).toBe(0);
      expect((await store.statesOf('user:default/jane')).size).toBe(1);
    },
  );

  it.each(databases.eachSupportedId())(
    'creates its table and drops it going back down, %p',
    async id => {
      const knex = await databases.init(id);
      await knex.migrate.latest({ directory });
      expect(
        await knex.schema.hasTable('modelfleet_recommendation_states'),
      ).toBe(true);
      // Its own migration, whatever later ones there are.
      await knex.migrate.down({
        directory,
        name: '20261216_recommendations.js',
      });
      expect(
        await knex.schema.hasTable('modelfleet_recommendation_states'),
      ).toBe(false);
      // The migration before it is still in place.
      expect(
        await knex.schema.hasColumn('modelfleet_cost_daily', 'unused_usd'),
      ).toBe(true);
    },
  );
});
