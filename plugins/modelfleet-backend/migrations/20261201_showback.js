// @ts-check

/**
 * Showback: usage samples of pools and workloads (raw), daily cost roll-ups
 * per model, team, pool and fleet, ingested bill lines, and cost anomalies.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('modelfleet_pool_samples', table => {
    table.comment('A GPU pool as observed at one time, for showback');
    table.bigIncrements('id').primary();
    table.timestamp('sampled_at', { useTz: true }).notNullable();
    table
      .integer('seconds')
      .notNullable()
      .comment('Time the sample stands for, from sampled_at on');
    table.string('cluster', 255).notNullable();
    table.string('pool', 255).notNullable();
    table.string('provider', 16).notNullable();
    table.string('region', 64).notNullable().defaultTo('');
    table.string('zone', 64).notNullable().defaultTo('');
    table.string('instance_type', 255).notNullable().defaultTo('');
    table.string('capacity_type', 16).notNullable();
    table.string('gpu_product', 64).notNullable();
    table.integer('gpu_memory_mib').nullable();
    table.double('nodes').notNullable();
    table.double('gpus_per_node').notNullable();
    table
      .double('units_per_node')
      .notNullable()
      .comment(
        'Schedulable GPU units per node (GPUs × MIG/time-slicing replicas)',
      );
    table.boolean('demo').notNullable().defaultTo(false);
    table.unique(['cluster', 'pool', 'sampled_at'], {
      indexName: 'modelfleet_pool_samples_uq',
    });
    table.index(['sampled_at'], 'modelfleet_pool_samples_time_idx');
  });

  await knex.schema.createTable('modelfleet_workload_samples', table => {
    table.comment('A model workload as observed at one time, for showback');
    table.bigIncrements('id').primary();
    table.timestamp('sampled_at', { useTz: true }).notNullable();
    table.integer('seconds').notNullable();
    table.string('cluster', 255).notNullable();
    table.string('namespace', 255).notNullable();
    table.string('kind', 32).notNullable();
    table.string('name', 255).notNullable();
    table.string('model_id', 255).notNullable();
    table.string('pool', 255).notNullable().defaultTo('');
    table.double('replicas').notNullable();
    table
      .double('units_per_replica')
      .notNullable()
      .comment(
        'GPU units one replica requests (whole GPUs, MIG slices or time-slices)',
      );
    table.unique(['cluster', 'namespace', 'kind', 'name', 'sampled_at'], {
      indexName: 'modelfleet_workload_samples_uq',
    });
    table.index(['sampled_at'], 'modelfleet_workload_samples_time_idx');
  });

  await knex.schema.createTable('modelfleet_cost_daily', table => {
    table.comment(
      'Daily showback roll-ups per model (and pool), team, pool, fleet',
    );
    table.bigIncrements('id').primary();
    table.string('day', 10).notNullable().comment('YYYY-MM-DD, UTC');
    table
      .string('scope', 8)
      .notNullable()
      .comment('model | team | pool | fleet');
    table
      .string('entity_ref', 255)
      .notNullable()
      .comment("Model, Group or GpuPool ref; '' for the fleet");
    table
      .string('team_ref', 255)
      .notNullable()
      .defaultTo('')
      .comment('Owning team of a model row');
    table
      .string('pool_ref', 255)
      .notNullable()
      .defaultTo('')
      .comment('Pool of a model row');
    table.double('cost_usd').notNullable();
    table.double('idle_usd').notNullable();
    table.double('gpu_hours').notNullable();
    table
      .double('busy_gpu_hours')
      .nullable()
      .comment('GPU-hours × utilization, where metrics exist');
    table.double('mem_used_mib_hours').nullable();
    table.double('metric_hours').nullable();
    table.double('tokens').nullable();
    table.double('requests').nullable();
    table.double('spot_node_hours').notNullable().defaultTo(0);
    table.double('node_hours').notNullable().defaultTo(0);
    table
      .text('provenance')
      .notNullable()
      .defaultTo('[]')
      .comment('JSON array of the prices used');
    table.boolean('demo').notNullable().defaultTo(false);
    table.unique(['scope', 'entity_ref', 'pool_ref', 'day'], {
      indexName: 'modelfleet_cost_daily_uq',
    });
    table.index(
      ['scope', 'team_ref', 'day', 'entity_ref', 'cost_usd'],
      'modelfleet_cost_daily_team_idx',
    );
    table.index(['day', 'scope'], 'modelfleet_cost_daily_day_idx');
  });

  await knex.schema.createTable('modelfleet_cost_version', table => {
    table.comment('Counts the changes of the daily roll-ups');
    table.integer('id').primary();
    table.bigInteger('version').notNullable();
  });
  await knex('modelfleet_cost_version').insert({ id: 1, version: 0 });

  await knex.schema.createTable('modelfleet_cost_top', table => {
    table.comment(
      'Costliest models of the fleet per period, computed after each roll-up',
    );
    table.bigIncrements('id').primary();
    table.string('from_day', 10).notNullable();
    table.string('to_day', 10).notNullable();
    table
      .string('version', 64)
      .notNullable()
      .comment('Roll-up version the figures were computed from');
    table.text('items').notNullable().comment('JSON array, costliest first');
    table.unique(['from_day', 'to_day'], {
      indexName: 'modelfleet_cost_top_uq',
    });
  });

  await knex.schema.createTable('modelfleet_bill_lines', table => {
    table.comment('Ingested cloud bill and cost-allocation lines');
    table.bigIncrements('id').primary();
    table.string('source', 255).notNullable();
    table.string('provider', 16).notNullable();
    table.string('account', 255).notNullable();
    table.string('period_start', 32).notNullable().comment('ISO 8601');
    table.string('period_end', 32).notNullable().comment('ISO 8601, exclusive');
    table.string('resource_id', 1024).notNullable();
    table.string('service', 255).nullable();
    table.text('tags').notNullable().defaultTo('{}');
    table.double('cost_usd').notNullable();
    table.double('usage_quantity').nullable();
    table.string('usage_unit', 64).nullable();
    table
      .bigInteger('ingestion_id')
      .notNullable()
      .comment('The ingestion run that last wrote the line');
    table.timestamp('ingested_at', { useTz: true }).notNullable();
    table.unique(
      ['source', 'account', 'period_start', 'period_end', 'resource_id'],
      { indexName: 'modelfleet_bill_lines_uq' },
    );
    table.index(['period_start'], 'modelfleet_bill_lines_period_idx');
  });

  await knex.schema.createTable('modelfleet_bill_ingestions', table => {
    table.comment('Runs of bill ingestion, one per source and window');
    table.bigIncrements('id').primary();
    table.string('source', 255).notNullable();
    table.string('window_start', 32).notNullable();
    table.string('window_end', 32).notNullable();
    table.timestamp('started_at', { useTz: true }).notNullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table
      .string('status', 16)
      .notNullable()
      .comment('running | succeeded | failed');
    table.integer('lines').notNullable().defaultTo(0);
    table.text('error').nullable();
    table.index(['source', 'started_at'], 'modelfleet_bill_ingestions_idx');
  });

  await knex.schema.createTable('modelfleet_cost_anomalies', table => {
    table.comment('Days whose cost is far from the robust baseline');
    table.bigIncrements('id').primary();
    table.string('day', 10).notNullable();
    table.string('scope', 8).notNullable();
    table.string('entity_ref', 255).notNullable();
    table.string('team_ref', 255).notNullable().defaultTo('');
    table.double('cost_usd').notNullable();
    table.double('baseline_usd').notNullable();
    table.double('score').notNullable();
    table.string('direction', 8).notNullable();
    table.timestamp('detected_at', { useTz: true }).notNullable();
    table.timestamp('notified_at', { useTz: true }).nullable();
    table.unique(['scope', 'entity_ref', 'day'], {
      indexName: 'modelfleet_cost_anomalies_uq',
    });
    table.index(['day'], 'modelfleet_cost_anomalies_day_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('modelfleet_cost_anomalies');
  await knex.schema.dropTable('modelfleet_bill_ingestions');
  await knex.schema.dropTable('modelfleet_bill_lines');
  await knex.schema.dropTable('modelfleet_cost_top');
  await knex.schema.dropTable('modelfleet_cost_version');
  await knex.schema.dropTable('modelfleet_cost_daily');
  await knex.schema.dropTable('modelfleet_workload_samples');
  await knex.schema.dropTable('modelfleet_pool_samples');
};
