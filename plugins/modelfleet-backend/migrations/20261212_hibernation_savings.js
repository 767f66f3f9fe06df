// @ts-check

/**
 * Hibernation savings in the daily roll-ups.
 *
 * - `saved_gpu_hours` and `saved_usd` on every roll-up row: the GPU-hours
 *   of one replica a model did not hold while it was at zero replicas, and
 *   what they would have cost at its pool's unit price that day; summed for
 *   teams, pools and the fleet. Rows rolled up before read 0 until their
 *   day is rolled up again.
 * - The covering index of an entity's daily figures carries them, so a
 *   report still reads its entity's days from the index alone.
 * - The stored top models of the fleet are a cache of figures without
 *   savings: emptied, they are summed again on the next read or roll-up.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('modelfleet_cost_daily', table => {
    table
      .double('saved_gpu_hours')
      .notNullable()
      .defaultTo(0)
      .comment('GPU-hours of one replica not held while the model was at zero');
    table
      .double('saved_usd')
      .notNullable()
      .defaultTo(0)
      .comment(
        'saved_gpu_hours at the pool unit price of the day, no idle share',
      );
  });
  await dropEntityIndex(knex);
  await createEntityIndex(knex, ['saved_gpu_hours', 'saved_usd']);
  await knex('modelfleet_cost_top').delete();
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await dropEntityIndex(knex);
  await knex.schema.alterTable('modelfleet_cost_daily', table => {
    table.dropColumn('saved_usd');
    table.dropColumn('saved_gpu_hours');
  });
  await createEntityIndex(knex, []);
};

/**
 * @param {import('knex').Knex} knex
 */
async function dropEntityIndex(knex) {
  await knex.schema.alterTable('modelfleet_cost_daily', table => {
    table.dropIndex([], 'modelfleet_cost_daily_entity_idx');
  });
}

/**
 * Creates the covering index of an entity's daily figures as
 * 20261208_showback_reads.js made it, with `extra` columns.
 *
 * @param {import('knex').Knex} knex
 * @param {string[]} extra
 */
async function createEntityIndex(knex, extra) {
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
    ...extra,
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
}
