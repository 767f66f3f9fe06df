import { createTestDatabases } from '../__testUtils__/testDatabases';
import { ActionStore } from '../database/ActionStore';
import { DatabaseModelFleetStore } from '../database/DatabaseModelFleetStore';

jest.setTimeout(60_000);

const directory = DatabaseModelFleetStore.migrationsDirectory;
const BEFORE = '20261212_hibernation_savings.js';
const DETAILS = '20261213_action_details.js';

const details = {
  from: {
    pool: 'gpupool:default/a.x',
    title: 'x (a)',
    cluster: 'a',
    monthlyUsd: 900,
  },
  to: {
    pool: 'gpupool:default/b.y',
    title: 'y (b)',
    cluster: 'b',
    capacityType: 'on-demand',
    monthlyUsd: 600,
    preemptionsPerMonth: 0,
    availability: 1,
  },
  moveUsd: 2.5,
  paybackHours: 6.1,
  risk: 'on-demand: not preempted, 100.00 % available',
};

describe('20261213_action_details.js', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'adds the figures an action was decided on, keeping the actions stored before, and goes back down without them, %p',
    async id => {
      const knex = await databases.init(id);
      await knex.migrate.to({ directory, name: BEFORE });
      const at = new Date('2026-12-05T10:00:00Z');
      await knex('modelfleet_actions').insert({
        id: '00000000-0000-0000-0000-000000000001',
        idempotency_key: 'scale:model:default/chat:1',
        kind: 'scale',
        entity_ref: 'model:default/chat',
        cluster: 'a',
        steps: '[]',
        state: 'done',
        step_index: 0,
        attempts: 1,
        version: 3,
        dry_run: false,
        requested_by: 'user:default/jane',
        reason: 'kept across the migration',
        created_at: at,
        updated_at: at,
      });

      await knex.migrate.to({ directory, name: DETAILS });
      const store = new ActionStore(knex);
      const kept = await store.get('00000000-0000-0000-0000-000000000001');
      expect(kept).toMatchObject({ reason: 'kept across the migration' });
      expect(kept).not.toHaveProperty('details');
      const { action } = await store.create(
        {
          idempotencyKey: 'migrate:model:default/chat:1',
          kind: 'migrate',
          entityRef: 'model:default/chat',
          cluster: 'b',
          steps: [],
          dryRun: true,
          requestedBy: 'policy:arbitrage',
          reason: 'cheaper',
          details,
        },
        {
          at: at.toISOString(),
          actor: 'policy:arbitrage',
          outcome: 'info',
          message: 'planned',
        },
      );
      expect((await store.get(action.id))?.details).toEqual(details);

      await knex.migrate.down({ directory, name: DETAILS });
      expect(await knex.schema.hasColumn('modelfleet_actions', 'details')).toBe(
        false,
      );
      expect(await knex('modelfleet_actions').count({ n: '*' })).toEqual([
        { n: expect.anything() },
      ]);
      expect(
        (await knex('modelfleet_actions').orderBy('kind')).map(r => r.kind),
      ).toEqual(['migrate', 'scale']);
    },
  );
});
