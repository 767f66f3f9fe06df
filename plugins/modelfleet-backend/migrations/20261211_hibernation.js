// @ts-check

/**
 * Hibernation.
 *
 * - `modelfleet_hibernation`: per Model, what the hibernation loop saw and
 *   decided at its last pass (the state, the learned keep-alive and why,
 *   the decision and the action it became).
 * - `modelfleet_model_wakes`: each wake of a model from zero, from its
 *   first replica asked for to Ready, and whether a request woke it (a cold
 *   start) or ModelFleet did ahead of demand.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('modelfleet_hibernation', table => {
    table.comment('What the hibernation loop last saw and decided, per Model');
    table
      .string('entity_ref', 255)
      .primary()
      .comment('model:<ns>/<name>, lower case');
    table.string('state', 16).notNullable().comment('warm, atZero or waking');
    table.integer('desired').notNullable();
    table.integer('ready').notNullable();
    table
      .double('keep_alive_seconds')
      .nullable()
      .comment('learned; null: keep warm');
    table.text('keep_alive_reason').notNullable();
    table
      .text('decision')
      .notNullable()
      .comment('JSON: action, reason, seconds, replicas, actionId');
    table.text('next_change').nullable().comment('JSON: at, what');
    table.dateTime('observed_at', { useTz: true }).notNullable();
  });
  await knex.schema.createTable('modelfleet_model_wakes', table => {
    table.comment('Wakes of models from zero');
    table.bigIncrements('id');
    table.string('entity_ref', 255).notNullable();
    table.dateTime('started_at', { useTz: true }).notNullable();
    table.dateTime('ready_at', { useTz: true }).nullable();
    table.boolean('cold').notNullable();
    table.unique(['entity_ref', 'started_at'], {
      indexName: 'modelfleet_model_wakes_start_uq',
    });
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('modelfleet_model_wakes');
  await knex.schema.dropTable('modelfleet_hibernation');
};
