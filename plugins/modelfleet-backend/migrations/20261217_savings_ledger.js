// @ts-check

/**
 * The savings ledger (docs/savings.md).
 *
 * `modelfleet_savings_daily`: what each applied action (a `migrate` or a
 * `scale` that succeeded) saved on one UTC day, against what the model
 * would have cost without it, priced at that day's prices. The showback
 * roll-up writes a day's rows in the transaction that replaces the day's
 * cost rows, from the same samples and prices.
 *
 * `modelfleet_savings_days`: the days the ledger has been written for, and
 * when (a day rolled up before this migration has no ledger until it is
 * rolled up again).
 *
 * `modelfleet_savings_prestates`: each counted action's model just before
 * it started (its workloads' pools, replicas and GPU units per replica, and
 * each pool's machine), kept once read, since usage samples are pruned
 * after `sampleRetentionDays` and an action counts for a year.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('modelfleet_savings_daily', table => {
    table.comment('Realised savings of applied actions, per action and day');
    table.increments('id');
    table.string('day', 10).notNullable().comment('YYYY-MM-DD, UTC');
    table
      .string('source', 16)
      .notNullable()
      .comment("Where the saving comes from: 'action'");
    table
      .string('action_id', 36)
      .notNullable()
      .comment('The action (modelfleet_actions.id)');
    table.string('kind', 32).notNullable().comment('migrate or scale');
    table
      .string('entity_ref', 255)
      .notNullable()
      .comment('The Model entity ref, lower case');
    table
      .string('team_ref', 255)
      .notNullable()
      .comment("Its owning Group that day, '' when unknown");
    table
      .string('pool_ref', 255)
      .notNullable()
      .comment('The pool the model held most GPU-hours on that day');
    table.text('summary').notNullable().comment('What changed, in words');
    table
      .timestamp('applied_at', { useTz: true })
      .notNullable()
      .comment('When the action finished');
    table.double('before_usd').notNullable().comment('after_usd + saved_usd');
    table
      .double('after_usd')
      .notNullable()
      .comment(
        'Cost of the model in those hours: GPU-hours at the price of the day',
      );
    table
      .double('saved_usd')
      .notNullable()
      .comment('What the action saved in the hours; negative when it cost');
    table
      .double('hours')
      .notNullable()
      .comment('Hours of the day the action held');
    table.unique(['day', 'action_id'], {
      indexName: 'modelfleet_savings_daily_uq',
    });
    table.index(['entity_ref', 'day'], 'modelfleet_savings_daily_entity_idx');
    table.index(['team_ref', 'day'], 'modelfleet_savings_daily_team_idx');
  });
  await knex.schema.createTable('modelfleet_savings_days', table => {
    table.comment('Days the savings ledger was written for');
    table.string('day', 10).primary().comment('YYYY-MM-DD, UTC');
    table
      .timestamp('written_at', { useTz: true })
      .notNullable()
      .comment('When the roll-up last wrote it');
  });
  await knex.schema.createTable('modelfleet_savings_prestates', table => {
    table.comment('The model as it was just before an applied action started');
    table
      .string('action_id', 36)
      .primary()
      .comment('The action (modelfleet_actions.id)');
    table
      .timestamp('started_at', { useTz: true })
      .notNullable()
      .comment('When the action started applying');
    table
      .text('workloads')
      .notNullable()
      .comment('JSON: the workloads, their pools and machines, and replicas');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('modelfleet_savings_prestates');
  await knex.schema.dropTable('modelfleet_savings_days');
  await knex.schema.dropTable('modelfleet_savings_daily');
};
