// @ts-check

/**
 * The first ModelFleet table: one row per run of a background loop, so the
 * portal can show what each loop last did and operators can see failures.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('modelfleet_task_runs', table => {
    table.comment('Runs of ModelFleet background loops');
    table.bigIncrements('id').primary().comment('Monotonic run id');
    table.string('task_id', 255).notNullable().comment('Scheduler task id');
    table
      .timestamp('started_at', { useTz: true })
      .notNullable()
      .comment('When the run started');
    table
      .timestamp('finished_at', { useTz: true })
      .nullable()
      .comment('When the run ended; null while running');
    table
      .string('status', 16)
      .notNullable()
      .comment('running | succeeded | failed');
    table
      .text('detail')
      .nullable()
      .comment('What the run did or why it failed');
    table.index(['task_id', 'started_at'], 'modelfleet_task_runs_task_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('modelfleet_task_runs');
};
