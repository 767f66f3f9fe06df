import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseModelFleetStore } from '../database/DatabaseModelFleetStore';

jest.setTimeout(60_000);

const directory = DatabaseModelFleetStore.migrationsDirectory;
const UNUSED = '20261215_allocated_unused.js';

const row = (
  scope: string,
  entityRef: string,
  extra: Record<string, unknown>,
) => ({
  day: '2026-11-30',
  scope,
  entity_ref: entityRef,
  team_ref: '',
  pool_ref: '',
  cost_usd: 0,
  idle_usd: 0,
  gpu_hours: 0,
  ...extra,
});

async function unusedOf(knex: Knex) {
  const rows = await knex('modelfleet_cost_daily')
    .orderBy(['scope', 'entity_ref'])
    .select('scope', 'entity_ref', 'unused_usd');
  return rows.map(r => [r.scope, r.entity_ref, Number(r.unused_usd)]);
}

describe('20261215_allocated_unused.js', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'fills in allocated-but-unused cost of the rows stored before, sums it up, and goes back down without it, %p',
    async id => {
      const knex = await databases.init(id);
      const all = (await knex.migrate.list({ directory }))[1] as Array<{
        file: string;
      }>;
      const before = all[all.findIndex(m => m.file === UNUSED) - 1].file;
      await knex.migrate.to({ directory, name: before });
      await knex('modelfleet_cost_top').insert({
        from_day: '2026-11-01',
        to_day: '2026-12-01',
        version: '1',
        items: '[{"entityRef":"model:default/chat","costUsd":1}]',
      });
      await knex('modelfleet_cost_daily').insert([
        // $40 of which $10 is an idle share: $30 direct, 25 % busy → $22.50.
        row('model', 'model:default/chat', {
          team_ref: 'group:default/a',
          pool_ref: 'gpupool:default/p',
          cost_usd: 40,
          idle_usd: 10,
          gpu_hours: 20,
          busy_gpu_hours: 5,
        }),
        // No GPU metrics: nothing says its time was idle.
        row('model', 'model:default/sdxl', {
          team_ref: 'group:default/a',
          pool_ref: 'gpupool:default/p',
          cost_usd: 8,
          gpu_hours: 4,
        }),
        // Busy above its hours (out of step): no unused time.
        row('model', 'model:default/tts', {
          team_ref: 'group:default/b',
          pool_ref: 'gpupool:default/q',
          cost_usd: 6,
          gpu_hours: 2,
          busy_gpu_hours: 3,
        }),
        row('team', 'group:default/a', { cost_usd: 48 }),
        row('team', 'group:default/b', { cost_usd: 6 }),
        row('pool', 'gpupool:default/p', { cost_usd: 60 }),
        row('pool', 'gpupool:default/q', { cost_usd: 6 }),
        row('fleet', '', { cost_usd: 66 }),
      ]);

      await knex.migrate.to({ directory, name: UNUSED });
      expect(await unusedOf(knex)).toEqual([
        ['fleet', '', 22.5],
        ['model', 'model:default/chat', 22.5],
        ['model', 'model:default/sdxl', 0],
        ['model', 'model:default/tts', 0],
        ['pool', 'gpupool:default/p', 22.5],
        ['pool', 'gpupool:default/q', 0],
        ['team', 'group:default/a', 22.5],
        ['team', 'group:default/b', 0],
      ]);
      expect(await knex('modelfleet_cost_top')).toEqual([]);

      await knex.migrate.down({ directory, name: UNUSED });
      expect(
        await knex.schema.hasColumn('modelfleet_cost_daily', 'unused_usd'),
      ).toBe(false);
      expect(await knex('modelfleet_cost_daily')).toHaveLength(8);
      await knex.migrate.latest({ directory });
      await knex.destroy();
    },
  );
});
