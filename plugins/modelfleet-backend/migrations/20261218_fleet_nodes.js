// @ts-check

/**
 * Where model pods run, for consolidation (docs/recommendations.md): the
 * GPU nodes of each cluster and the scheduled pods of its model workloads,
 * as the cluster connectors last saw them. A snapshot replaces a
 * cluster's rows, as it does its pools and workloads; a connector that
 * does not report nodes leaves the cluster without rows.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('modelfleet_nodes', table => {
    table.comment('GPU nodes as last observed');
    table.string('cluster', 255).notNullable();
    table.string('name', 255).notNullable().comment('Node name');
    table
      .string('pool', 255)
      .notNullable()
      .comment('Its pool (modelfleet_pools.name)');
    table
      .text('observation')
      .notNullable()
      .comment('ClusterNodeObservation as JSON');
    table.timestamp('observed_at', { useTz: true }).notNullable();
    table.primary(['cluster', 'name']);
  });
  await knex.schema.createTable('modelfleet_model_pods', table => {
    table.comment('Scheduled pods of model workloads as last observed');
    table.string('cluster', 255).notNullable();
    table.string('namespace', 255).notNullable();
    table.string('name', 255).notNullable().comment('Pod name');
    table
      .string('node', 255)
      .notNullable()
      .comment('The node it runs on (modelfleet_nodes.name)');
    table
      .text('observation')
      .notNullable()
      .comment('ModelPodObservation as JSON');
    table.timestamp('observed_at', { useTz: true }).notNullable();
    table.primary(['cluster', 'namespace', 'name']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('modelfleet_model_pods');
  await knex.schema.dropTable('modelfleet_nodes');
};
