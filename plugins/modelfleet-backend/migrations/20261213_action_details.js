// @ts-check

/**
 * What an action is worth, in figures, beside its steps: `details` on
 * `modelfleet_actions`, JSON text, null for actions that carry none. A
 * move (`migrate`) keeps there what it was decided on (from and to, their
 * monthly costs, the move's one-off cost, its payback and risk), so its
 * history can say what it saved without the prices of the day it ran.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('modelfleet_actions', table => {
    table
      .text('details')
      .nullable()
      .comment('JSON: the figures the action was decided on, by kind');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('modelfleet_actions', table => {
    table.dropColumn('details');
  });
};
