// @ts-check

/**
 * Showback read paths.
 *
 * - A covering index for the daily figures of one entity: a report reads
 *   its entity's days from the index alone, instead of one wide table row
 *   (with its provenance JSON) per day, each on a page of its own. It
 *   leads with the entity, so that queries of a whole scope (which have
 *   indexes of their own) are never planned on it.
 * - The roll-up version at which each day was last replaced, so that a
 *   reader holding figures in memory reloads only the days that changed.
 * - Indexes of anomalies by entity and by team.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  const sums = [
    'cost_usd',
    'idle_usd',
    'gpu_hours',
    'busy_gpu_hours',
    'mem_used_mib_hours',
    'metric_hours',
    'tokens',
    'requests',
    'spot_node_hours',
    'node_hours',
    'demo',
  ];
  if (knex.client.dialect === 'postgresql') {
    await knex.raw(
      `create index modelfleet_cost_daily_entity_idx on modelfleet_cost_daily (entity_ref, scope, day) include (${sums.join(
        ', ',
      )})`,
    );
  } else {
    await knex.schema.alterTable('modelfleet_cost_daily', table => {
      table.index(
        ['entity_ref', 'scope', 'day', ...sums],
        'modelfleet_cost_daily_entity_idx',
      );
    });
  }

  await knex.schema.createTable('modelfleet_cost_days', table => {
    table.comment('Roll-up version at which each day was last replaced');
    table.string('day', 10).primary().comment('YYYY-MM-DD, UTC');
    table.bigInteger('version').notNullable();
    table.index(['version'], 'modelfleet_cost_days_version_idx');
  });

  await knex.schema.alterTable('modelfleet_cost_anomalies', table => {
    table.index(['entity_ref', 'day'], 'modelfleet_cost_anomalies_entity_idx');
    table.index(['team_ref', 'day'], 'modelfleet_cost_anomalies_team_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('modelfleet_cost_anomalies', table => {
    table.dropIndex([], 'modelfleet_cost_anomalies_team_idx');
    table.dropIndex([], 'modelfleet_cost_anomalies_entity_idx');
  });
  await knex.schema.dropTable('modelfleet_cost_days');
  await knex.schema.alterTable('modelfleet_cost_daily', table => {
    table.dropIndex([], 'modelfleet_cost_daily_entity_idx');
  });
};
