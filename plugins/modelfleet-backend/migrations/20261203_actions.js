// @ts-check

/**
 * Actions: what ModelFleet does to clusters, stored so that any backend
 * replica can run, resume or roll back an action, and so that each
 * transition is kept for the activity card.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('modelfleet_actions', table => {
    table.comment('Changes to clusters, planned and applied step by step');
    table.string('id', 36).primary().comment('UUID');
    table
      .string('idempotency_key', 255)
      .notNullable()
      .unique()
      .comment('The same decision asked twice is one action');
    table
      .string('kind', 32)
      .notNullable()
      .comment('deploy | scale | hibernate | wake');
    table
      .string('entity_ref', 255)
      .notNullable()
      .comment('The Model entity the action is about');
    table.string('cluster', 255).notNullable();
    table
      .text('steps')
      .notNullable()
      .comment('JSON: ordered steps, each with what undoes it');
    table
      .string('state', 32)
      .notNullable()
      .comment(
        'planned | applying | verifying | done | rollingBack | rolledBack | failed | cancelled',
      );
    table
      .integer('step_index')
      .notNullable()
      .defaultTo(-1)
      .comment('Step being applied or rolled back; -1 before the first');
    table
      .timestamp('step_started_at', { useTz: true })
      .nullable()
      .comment('When the current step was first tried (timeouts of waits)');
    table
      .integer('attempts')
      .notNullable()
      .defaultTo(0)
      .comment('Failed tries of the current step');
    table.text('last_error').nullable();
    table
      .timestamp('next_attempt_at', { useTz: true })
      .nullable()
      .comment('Not before this time (backoff after a failure)');
    table
      .string('lease_owner', 255)
      .nullable()
      .comment('The backend replica running the action');
    table.timestamp('lease_expires_at', { useTz: true }).nullable();
    table
      .integer('version')
      .notNullable()
      .defaultTo(0)
      .comment('Raised by every change; updates are conditional on it');
    table
      .boolean('dry_run')
      .notNullable()
      .comment('Stops at planned until approved');
    table
      .string('requested_by', 255)
      .notNullable()
      .comment('A user entity ref or policy:<name>');
    table.string('approved_by', 255).nullable();
    table.text('reason').notNullable();
    table.text('diff').nullable().comment('JSON: what applying it changes');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table.index(['entity_ref', 'created_at'], 'modelfleet_actions_entity_idx');
    table.index(['state'], 'modelfleet_actions_state_idx');
  });
  await knex.schema.createTable('modelfleet_action_events', table => {
    table.comment('Each transition of an action');
    table.increments('id');
    table
      .string('action_id', 36)
      .notNullable()
      .references('id')
      .inTable('modelfleet_actions')
      .onDelete('CASCADE');
    table.timestamp('at', { useTz: true }).notNullable();
    table.string('from_state', 32).nullable();
    table.string('to_state', 32).notNullable();
    table.integer('step').nullable();
    table.string('actor', 255).notNullable();
    table
      .string('outcome', 16)
      .notNullable()
      .comment('succeeded | failed | retrying | info');
    table.text('message').notNullable();
    table.index(['action_id', 'id'], 'modelfleet_action_events_action_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('modelfleet_action_events');
  await knex.schema.dropTable('modelfleet_actions');
};
