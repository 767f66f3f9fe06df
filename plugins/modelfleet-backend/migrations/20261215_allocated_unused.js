// @ts-check

/**
 * Allocated but unused cost in the daily roll-ups.
 *
 * - `unused_usd` on every roll-up row: the part of a model's requested GPU
 *   cost whose GPU time did no work (its direct cost, `cost_usd` minus the
 *   `idle_usd` share of unallocated capacity, times 1 − busy / requested
 *   GPU-hours); summed for teams, pools and the fleet. Rows stored before
 *   are filled in from their own figures: model rows from their cost and
 *   GPU metrics, team, pool and fleet rows as the sums of their models'
 *   rows of the day.
 * - The covering index of an entity's daily figures carries it, so a
 *   report still reads its entity's days from the index alone.
 * - The stored top models of the fleet are a cache of figures without it:
 *   emptied, they are summed again on the next read or roll-up.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('modelfleet_cost_daily', table => {
    table
      .double('unused_usd')
      .notNullable()
      .defaultTo(0)
      .comment(
        'Allocated but unused: requested GPU cost whose GPU time did no work',
      );
  });
  await knex('modelfleet_cost_daily')
    .where({ scope: 'model' })
    .whereNotNull('busy_gpu_hours')
    .andWhere('gpu_hours', '>', 0)
    .andWhereRaw('cost_usd > idle_usd')
    .update({
      unused_usd: knex.raw(
        `(cost_usd - idle_usd) * (1 - (case when busy_gpu_hours >= gpu_hours then 1.0 when busy_gpu_hours <= 0 then 0.0 else busy_gpu_hours / gpu_hours end))`,
      ),
    });
  const sumOfModels = (/** @type {string} */ match) =>
    knex.raw(
      `coalesce((select sum(m.unused_usd) from modelfleet_cost_daily m where m.scope = 'model' and m.day = modelfleet_cost_daily.day${match}), 0)`,
    );
  await knex('modelfleet_cost_daily')
    .where({ scope: 'team' })
    .update({
      unused_usd: sumOfModels(
        ' and m.team_ref = modelfleet_cost_daily.entity_ref',
      ),
    });
  await knex('modelfleet_cost_daily')
    .where({ scope: 'pool' })
    .update({
      unused_usd: sumOfModels(
        ' and m.pool_ref = modelfleet_cost_daily.entity_ref',
      ),
    });
  await knex('modelfleet_cost_daily')
    .where({ scope: 'fleet' })
    .update({ unused_usd: sumOfModels('') });
  await dropEntityIndex(knex);
  await createEntityIndex(knex, ['saved_gpu_hours', 'saved_usd', 'unused_usd']);
  await knex('modelfleet_cost_top').delete();
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await dropEntityIndex(knex);
  await knex.schema.alterTable('modelfleet_cost_daily', table => {
    table.dropColumn('unused_usd');
  });
  await createEntityIndex(knex, ['saved_gpu_hours', 'saved_usd']);
  await knex('modelfleet_cost_top').delete();
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
