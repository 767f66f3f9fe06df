// @ts-check

/**
 * Each person's state of a recommendation, as Backstage Cost Insights
 * remembers its alerts' snoozes and dismissals: `dismissed` hides it for
 * them, `snoozed` until `snoozed_until`. A recommendation without a row is
 * open. Recommendation ids are stable across passes (a hash of the kind
 * and subject), so a state holds while the finding does.
 *
 * The recommendations sent to their owning team through Backstage
 * notifications (those worth more than
 * `modelfleet.recommendations.notifyAboveUsd`), so that each is sent once.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('modelfleet_recommendation_states', table => {
    table.comment('Dismissals and snoozes of recommendations, per person');
    table
      .string('user_ref', 255)
      .notNullable()
      .comment('The user entity ref, lower case');
    table
      .string('recommendation_id', 64)
      .notNullable()
      .comment('The recommendation id (kind and a hash of its subject)');
    table.string('state', 16).notNullable().comment('dismissed or snoozed');
    table
      .timestamp('snoozed_until', { useTz: true })
      .nullable()
      .comment('Until when a snoozed recommendation is hidden');
    table
      .timestamp('updated_at', { useTz: true })
      .notNullable()
      .comment('When the person last changed it');
    table.primary(['user_ref', 'recommendation_id']);
  });
  await knex.schema.createTable('modelfleet_recommendation_notices', table => {
    table.comment('Recommendations sent to their team as a notification');
    table
      .string('recommendation_id', 64)
      .primary()
      .comment('The recommendation id; sent once');
    table
      .string('team_ref', 255)
      .notNullable()
      .comment('The Group it was sent to');
    table
      .double('monthly_saving_usd')
      .notNullable()
      .comment('Its monthly saving when it was sent');
    table
      .timestamp('notified_at', { useTz: true })
      .notNullable()
      .comment('When it was sent');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('modelfleet_recommendation_notices');
  await knex.schema.dropTable('modelfleet_recommendation_states');
};
