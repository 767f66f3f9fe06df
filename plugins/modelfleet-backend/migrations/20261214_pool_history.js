// @ts-check

/**
 * Each GPU pool's own spot history, the arbitrage's risk of a pool beside
 * the bundled traces' prior.
 *
 * - `modelfleet_pool_history`: per pool, how long it has been watched,
 *   its node-seconds (the exposure preemptions are counted against) and
 *   the seconds it had no capacity (every node under a reclaim notice, or
 *   none left after one), as of the last cluster snapshot read.
 * - `modelfleet_pool_preemptions`: one row per reclaim notice of a node,
 *   from its first sighting to its last (a node under notice is seen by
 *   many snapshots; one notice is one preemption).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('modelfleet_pool_history', table => {
    table.comment('Per GPU pool: exposure and time without capacity');
    table.string('cluster', 255).notNullable();
    table.string('pool', 255).notNullable();
    table.string('capacity_type', 32).notNullable();
    table
      .timestamp('first_observed_at', { useTz: true })
      .notNullable()
      .comment('The first cluster snapshot of the pool read');
    table
      .timestamp('last_observed_at', { useTz: true })
      .notNullable()
      .comment('The last cluster snapshot of the pool read');
    table
      .integer('last_nodes')
      .notNullable()
      .comment('Its nodes in the last snapshot read');
    table
      .boolean('last_down')
      .notNullable()
      .comment('Whether it had no capacity in the last snapshot read');
    table
      .double('observed_seconds')
      .notNullable()
      .defaultTo(0)
      .comment(
        'Seconds between snapshots read (gaps over the cap are not counted)',
      );
    table
      .double('node_seconds')
      .notNullable()
      .defaultTo(0)
      .comment('Sum over those seconds of the nodes it ran');
    table
      .double('down_seconds')
      .notNullable()
      .defaultTo(0)
      .comment('Of those seconds, the ones it had no capacity');
    table.primary(['cluster', 'pool']);
  });
  await knex.schema.createTable('modelfleet_pool_preemptions', table => {
    table.comment('One row per spot reclaim notice of a node');
    table.string('cluster', 255).notNullable();
    table.string('pool', 255).notNullable();
    table.string('node', 255).notNullable();
    table
      .timestamp('noticed_at', { useTz: true })
      .notNullable()
      .comment('The notice time (taint timeAdded, else first seen)');
    table
      .timestamp('last_seen_at', { useTz: true })
      .notNullable()
      .comment('The last snapshot that showed the node under this notice');
    table.primary(['cluster', 'node', 'noticed_at']);
    table.index(
      ['cluster', 'pool', 'noticed_at'],
      'modelfleet_pool_preemptions_pool_idx',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('modelfleet_pool_preemptions');
  await knex.schema.dropTable('modelfleet_pool_history');
};
