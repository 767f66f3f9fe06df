// @ts-check

/**
 * What the cluster connectors last saw: clusters (with the last error, so an
 * unreachable cluster shows as stale), GPU pools and model workloads.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('modelfleet_clusters', table => {
    table.comment('Clusters seen through the cluster connectors');
    table
      .string('name', 255)
      .primary()
      .comment('Cluster name in kubernetes.clusterLocatorMethods');
    table
      .string('connector_id', 255)
      .notNullable()
      .comment('Connector that reads it');
    table
      .string('provider', 32)
      .notNullable()
      .comment('aws | gcp | azure | other');
    table.string('region', 255).nullable();
    table
      .boolean('demo')
      .notNullable()
      .defaultTo(false)
      .comment('Part of the simulated demo fleet');
    table
      .timestamp('observed_at', { useTz: true })
      .nullable()
      .comment('Last successful snapshot');
    table
      .text('error')
      .nullable()
      .comment('Error of the last snapshot; null when it succeeded');
    table.timestamp('error_at', { useTz: true }).nullable();
  });
  await knex.schema.createTable('modelfleet_pools', table => {
    table.comment('GPU pools as last observed');
    table.string('cluster', 255).notNullable();
    table.string('name', 255).notNullable();
    table
      .text('observation')
      .notNullable()
      .comment('GpuPoolObservation as JSON');
    table.timestamp('observed_at', { useTz: true }).notNullable();
    table.primary(['cluster', 'name']);
  });
  await knex.schema.createTable('modelfleet_workloads', table => {
    table.comment('Model workloads as last observed');
    table.string('cluster', 255).notNullable();
    table.string('namespace', 255).notNullable();
    table.string('kind', 32).notNullable();
    table.string('name', 255).notNullable();
    table
      .string('model_id', 255)
      .notNullable()
      .comment('modelfleet.io/model label or backstage.io/kubernetes-id');
    table
      .text('observation')
      .notNullable()
      .comment('ModelWorkloadObservation as JSON');
    table.timestamp('observed_at', { useTz: true }).notNullable();
    table.primary(['cluster', 'namespace', 'kind', 'name']);
    table.index(['model_id'], 'modelfleet_workloads_model_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('modelfleet_workloads');
  await knex.schema.dropTable('modelfleet_pools');
  await knex.schema.dropTable('modelfleet_clusters');
};
