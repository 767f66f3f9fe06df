import { createTestDatabases } from '../__testUtils__/testDatabases';
import { Knex } from 'knex';
import { DatabaseModelFleetStore } from '../database/DatabaseModelFleetStore';

jest.setTimeout(60_000);

const directory = DatabaseModelFleetStore.migrationsDirectory;

async function migrateUpOnce(knex: Knex): Promise<void> {
  await knex.migrate.up({ directory });
}

async function migrateDownOnce(knex: Knex): Promise<void> {
  await knex.migrate.down({ directory });
}

describe('migrations', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    '20261124_init.js creates the task-runs table and drops it on down, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);

      await migrateUpOnce(knex);
      await knex('modelfleet_task_runs').insert({
        task_id: 'modelfleet-housekeeping',
        started_at: new Date('2026-11-24T10:00:00Z'),
        status: 'succeeded',
        detail: 'kept across the migration',
      });
      const rows = await knex('modelfleet_task_runs');
      expect(rows).toHaveLength(1);
      expect(rows[0].detail).toBe('kept across the migration');
      expect(rows[0].finished_at).toBeNull();

      // A fresh run of latest() after up() changes nothing and keeps the row.
      await knex.migrate.latest({ directory });
      expect(await knex('modelfleet_task_runs')).toHaveLength(1);

      await migrateDownOnce(knex);
      expect(await knex.schema.hasTable('modelfleet_task_runs')).toBe(false);

      await knex.destroy();
    },
  );
});
