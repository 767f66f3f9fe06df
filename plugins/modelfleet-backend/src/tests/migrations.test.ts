import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseModelFleetStore } from '../database/DatabaseModelFleetStore';

jest.setTimeout(60_000);

const directory = DatabaseModelFleetStore.migrationsDirectory;
const HIBERNATION = '20261211_hibernation.js';
const SAVINGS = '20261212_hibernation_savings.js';
const DETAILS = '20261213_action_details.js';
const POOL_HISTORY = '20261214_pool_history.js';

/** Which of the named indexes exist, in the order named. */
async function indexes(knex: Knex, names: string[]): Promise<string[]> {
  const rows: Array<{ name: string }> =
    knex.client.dialect === 'postgresql'
      ? (
          await knex.raw(
            'select indexname as name from pg_indexes where indexname = any(?)',
            [names],
          )
        ).rows
      : await knex('sqlite_master')
          .where({ type: 'index' })
          .whereIn('name', names)
          .select('name');
  const found = new Set(rows.map(r => r.name));
  return names.filter(n => found.has(n));
}

/** The SQL that defines an index, as the database keeps it. */
async function indexSql(knex: Knex, name: string): Promise<string> {
  if (knex.client.dialect === 'postgresql') {
    const { rows } = await knex.raw(
      'select indexdef as sql from pg_indexes where indexname = ?',
      [name],
    );
    return rows[0]?.sql ?? '';
  }
  const row = await knex('sqlite_master')
    .where({ type: 'index', name })
    .first('sql');
  return row?.sql ?? '';
}

describe('migrations', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'step up and down one at a time, keeping data, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);

      // 20261124_init.js
      await knex.migrate.up({ directory });
      await knex('modelfleet_task_runs').insert({
        task_id: 'modelfleet-housekeeping',
        started_at: new Date('2026-11-24T10:00:00Z'),
        status: 'succeeded',
        detail: 'kept across the migrations',
      });

      // 20261125_fleet_state.js keeps the task runs
      await knex.migrate.up({ directory });
      expect(await knex('modelfleet_task_runs').select('detail')).toEqual([
        { detail: 'kept across the migrations' },
      ]);
      await knex('modelfleet_clusters').insert({
        name: 'gpu-aws-use1',
        connector_id: 'kubernetes',
        provider: 'aws',
        observed_at: new Date('2026-11-25T00:00:00Z'),
      });
      await knex('modelfleet_pools').insert({
        cluster: 'gpu-aws-use1',
        name: 'g6-l4',
        observation: '{}',
        observed_at: new Date('2026-11-25T00:00:00Z'),
      });
      const [cluster] = await knex('modelfleet_clusters');
      expect(Boolean(cluster.demo)).toBe(false);
      expect(cluster.error).toBeNull();
      // (cluster, name) is the pool's key. (The error is caught by hand:
      // Jest's rejects.toThrow misreads native SQLite errors under load.)
      const duplicate = await knex('modelfleet_pools')
        .insert({
          cluster: 'gpu-aws-use1',
          name: 'g6-l4',
          observation: '{}',
          observed_at: new Date(),
        })
        .then(
          () => 'inserted',
          (e: unknown) => String(e),
        );
      expect(duplicate).toMatch(/UNIQUE constraint failed|duplicate key value/);

      // 20261126_price_book.js keeps the fleet state.
      await knex.migrate.up({ directory });
      expect(await knex('modelfleet_pools')).toHaveLength(1);
      await knex('modelfleet_prices').insert({
        provider: 'aws',
        instance_type: 'g6.xlarge',
        region: 'us-east-1',
        capacity_type: 'spot',
        usd_per_hour: null,
        source: 'bundled-catalog',
        observed_at: new Date('2026-11-24T00:00:00Z'),
        recorded_at: new Date(),
      });
      const [price] = await knex('modelfleet_prices');
      expect(price.zone).toBe('');
      expect(price.flags).toBe('[]');
      expect(price.usd_per_hour).toBeNull();

      // 20261201_showback.js keeps the price book.
      await knex.migrate.up({ directory });
      expect(await knex('modelfleet_prices')).toHaveLength(1);
      await knex('modelfleet_cost_daily').insert({
        day: '2026-11-30',
        scope: 'team',
        entity_ref: 'group:default/search-team',
        cost_usd: 12.5,
        idle_usd: 1.25,
        gpu_hours: 24,
      });
      expect(await knex('modelfleet_cost_version')).toEqual([
        { id: 1, version: expect.anything() },
      ]);
      const [row] = await knex('modelfleet_cost_daily');
      expect(row).toMatchObject({
        team_ref: '',
        pool_ref: '',
        provenance: '[]',
      });
      const line = {
        source: 'aws-cost-explorer',
        provider: 'aws',
        account: '123456789012',
        period_start: '2026-11-30T00:00:00.000Z',
        period_end: '2026-12-01T00:00:00.000Z',
        resource_id: 'i-0abc',
        cost_usd: 3,
        ingestion_id: 1,
        ingested_at: new Date(),
      };
      await knex('modelfleet_bill_lines').insert(line);
      // (source, account, period, resource) is a bill line's key.
      const again = await knex('modelfleet_bill_lines')
        .insert(line)
        .then(
          () => 'inserted',
          (e: unknown) => String(e),
        );
      expect(again).toMatch(/UNIQUE constraint failed|duplicate key value/);

      // 20261203_actions.js keeps the showback tables.
      await knex.migrate.up({ directory });
      expect(await knex('modelfleet_bill_lines')).toHaveLength(1);
      const action = {
        id: '6f1c2a8e-0000-4000-8000-000000000001',
        idempotency_key: 'hibernate:model:default/chat:1',
        kind: 'hibernate',
        entity_ref: 'model:default/chat',
        cluster: 'demo-aws-use1',
        steps: '[]',
        state: 'planned',
        dry_run: true,
        requested_by: 'user:default/guest',
        reason: 'idle',
        created_at: new Date(),
        updated_at: new Date(),
      };
      await knex('modelfleet_actions').insert(action);
      await knex('modelfleet_action_events').insert({
        action_id: action.id,
        at: new Date(),
        to_state: 'planned',
        actor: 'user:default/guest',
        outcome: 'info',
        message: 'planned',
      });
      const [stored] = await knex('modelfleet_actions');
      expect(stored).toMatchObject({ step_index: -1, attempts: 0, version: 0 });
      // The idempotency key is unique.
      const twice = await knex('modelfleet_actions')
        .insert({ ...action, id: '6f1c2a8e-0000-4000-8000-000000000002' })
        .then(
          () => 'inserted',
          (e: unknown) => String(e),
        );
      expect(twice).toMatch(/UNIQUE constraint failed|duplicate key value/);

      // 20261208_showback_reads.js keeps the roll-ups; adds the day versions
      // and the indexes of the report reads.
      await knex.migrate.up({ directory });
      expect(await knex('modelfleet_cost_daily')).toHaveLength(1);
      await knex('modelfleet_cost_days').insert({
        day: '2026-11-30',
        version: 1,
      });
      const sameDay = await knex('modelfleet_cost_days')
        .insert({ day: '2026-11-30', version: 2 })
        .then(
          () => 'inserted',
          (e: unknown) => String(e),
        );
      expect(sameDay).toMatch(/UNIQUE constraint failed|duplicate key value/);
      const readIndexes = [
        'modelfleet_cost_daily_entity_idx',
        'modelfleet_cost_anomalies_entity_idx',
        'modelfleet_cost_anomalies_team_idx',
      ];
      expect(await indexes(knex, readIndexes)).toEqual(readIndexes);

      // 20261212_hibernation_savings.js (with what comes before it) keeps
      // the roll-ups, which read no savings, and empties the stored top
      // models, a cache of figures without savings.
      await knex('modelfleet_cost_top').insert({
        from_day: '2026-11-01',
        to_day: '2026-12-01',
        version: '1',
        items: '[{"entityRef":"model:default/chat","costUsd":1}]',
      });
      await knex.migrate.to({ directory, name: SAVINGS });
      expect(await knex('modelfleet_cost_daily')).toEqual([
        expect.objectContaining({
          day: '2026-11-30',
          scope: 'team',
          entity_ref: 'group:default/search-team',
          cost_usd: 12.5,
          idle_usd: 1.25,
          gpu_hours: 24,
          saved_gpu_hours: 0,
          saved_usd: 0,
        }),
      ]);
      await knex('modelfleet_cost_daily').insert({
        day: '2026-11-30',
        scope: 'model',
        entity_ref: 'model:default/sdxl',
        team_ref: 'group:default/vision-team',
        cost_usd: 0,
        idle_usd: 0,
        gpu_hours: 0,
        saved_gpu_hours: 12,
        saved_usd: 20.5,
      });
      expect(await knex('modelfleet_cost_top')).toEqual([]);
      // The entity index still covers every figure a report reads.
      expect(await indexes(knex, readIndexes)).toEqual(readIndexes);
      const covering = await indexSql(knex, 'modelfleet_cost_daily_entity_idx');
      expect(covering).toMatch(/cost_usd.*saved_gpu_hours.*saved_usd/s);

      // Nothing left to apply. The actions' details and the pools' history,
      // applied last, have tests of their own
      // (migrations.actionDetails.test.ts, PoolHistoryStore.test.ts): down
      // again.
      await knex.migrate.latest({ directory });
      expect(await knex('modelfleet_pools')).toHaveLength(1);
      // Nodes and model pods have a test of their own
      // (FleetStateStore.test.ts).
      await knex.migrate.down({ directory, name: '20261218_fleet_nodes.js' });
      // The savings ledger has a test of its own (SavingsLedger.test.ts).
      await knex.migrate.down({
        directory,
        name: '20261217_savings_ledger.js',
      });
      // Recommendation states have a test of their own
      // (RecommendationStateStore.test.ts).
      await knex.migrate.down({
        directory,
        name: '20261216_recommendations.js',
      });
      // Allocated-but-unused cost has a test of its own
      // (migrations.allocatedUnused.test.ts).
      await knex.migrate.down({
        directory,
        name: '20261215_allocated_unused.js',
      });
      await knex.migrate.down({ directory, name: POOL_HISTORY });
      expect(await knex.schema.hasTable('modelfleet_pool_history')).toBe(false);
      expect(await knex.schema.hasTable('modelfleet_pool_preemptions')).toBe(
        false,
      );
      await knex.migrate.down({ directory, name: DETAILS });

      // Down 20261212_hibernation_savings.js: the savings go, the rows and
      // their other figures stay, and the entity index is as it was.
      await knex.migrate.down({ directory, name: SAVINGS });
      expect(
        await knex.schema.hasColumn('modelfleet_cost_daily', 'saved_usd'),
      ).toBe(false);
      expect(
        await knex('modelfleet_cost_daily')
          .orderBy('scope')
          .select('scope', 'entity_ref', 'team_ref', 'cost_usd', 'gpu_hours'),
      ).toEqual([
        {
          scope: 'model',
          entity_ref: 'model:default/sdxl',
          team_ref: 'group:default/vision-team',
          cost_usd: 0,
          gpu_hours: 0,
        },
        {
          scope: 'team',
          entity_ref: 'group:default/search-team',
          team_ref: '',
          cost_usd: 12.5,
          gpu_hours: 24,
        },
      ]);
      const dailyIndexes = [
        'modelfleet_cost_daily_uq',
        'modelfleet_cost_daily_team_idx',
        'modelfleet_cost_daily_day_idx',
        ...readIndexes,
      ];
      expect(await indexes(knex, dailyIndexes)).toEqual(dailyIndexes);
      expect(
        await indexSql(knex, 'modelfleet_cost_daily_entity_idx'),
      ).not.toMatch(/saved/);
      const sameDayAgain = await knex('modelfleet_cost_daily')
        .insert({
          day: '2026-11-30',
          scope: 'team',
          entity_ref: 'group:default/search-team',
          cost_usd: 1,
          idle_usd: 0,
          gpu_hours: 0,
        })
        .then(
          () => 'inserted',
          (e: unknown) => String(e),
        );
      expect(sameDayAgain).toMatch(
        /UNIQUE constraint failed|duplicate key value/,
      );

      // Down 20261211_hibernation.js: its tables go, the roll-ups stay.
      await knex.migrate.down({ directory, name: HIBERNATION });
      expect(await knex.schema.hasTable('modelfleet_hibernation')).toBe(false);
      expect(await knex('modelfleet_cost_daily')).toHaveLength(2);

      // Down one: the day versions and the read indexes go, the roll-ups stay.
      await knex.migrate.down({ directory });
      expect(await knex.schema.hasTable('modelfleet_cost_days')).toBe(false);
      expect(await indexes(knex, readIndexes)).toEqual([]);
      expect(await knex('modelfleet_cost_daily')).toHaveLength(2);

      // Down one: the action tables go, the showback tables stay.
      await knex.migrate.down({ directory });
      expect(await knex.schema.hasTable('modelfleet_actions')).toBe(false);
      expect(await knex.schema.hasTable('modelfleet_action_events')).toBe(
        false,
      );
      expect(await knex('modelfleet_bill_lines')).toHaveLength(1);

      // Down one: the showback tables go, the price book stays.
      await knex.migrate.down({ directory });
      expect(await knex.schema.hasTable('modelfleet_cost_daily')).toBe(false);
      expect(await knex.schema.hasTable('modelfleet_bill_lines')).toBe(false);
      expect(await knex('modelfleet_prices')).toHaveLength(1);

      // Down one: the price book goes, the fleet state stays.
      await knex.migrate.down({ directory });
      expect(await knex.schema.hasTable('modelfleet_prices')).toBe(false);
      expect(await knex('modelfleet_pools')).toHaveLength(1);

      // Down one: the fleet tables go, the task runs stay.
      await knex.migrate.down({ directory });
      expect(await knex.schema.hasTable('modelfleet_pools')).toBe(false);
      expect(await knex.schema.hasTable('modelfleet_clusters')).toBe(false);
      expect(await knex('modelfleet_task_runs')).toHaveLength(1);

      // Down again: nothing of ModelFleet is left.
      await knex.migrate.down({ directory });
      expect(await knex.schema.hasTable('modelfleet_task_runs')).toBe(false);

      await knex.destroy();
    },
  );
});
