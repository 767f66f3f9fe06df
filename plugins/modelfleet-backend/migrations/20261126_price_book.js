// @ts-check

/**
 * The price book: every price seen, by where it came from and when it was
 * published, so history is kept (arbitrage and showback price past hours).
 * Recording the same quote again adds nothing.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('modelfleet_prices', table => {
    table.comment('GPU machine prices with source and time, history kept');
    table.bigIncrements('id').primary();
    table
      .string('provider', 16)
      .notNullable()
      .comment('aws | gcp | azure | other');
    table
      .string('instance_type', 255)
      .notNullable()
      .comment('Instance type, VM size or GPU SKU');
    table.string('region', 64).notNullable();
    table
      .string('zone', 64)
      .notNullable()
      .defaultTo('')
      .comment("Zone; '' for a regional price");
    table
      .string('capacity_type', 16)
      .notNullable()
      .comment('on-demand | spot | reserved');
    table
      .double('usd_per_hour')
      .nullable()
      .comment('USD per hour; null when unknown, never 0 for unknown');
    table.string('gpu_product', 64).nullable();
    table.double('gpu_count').nullable();
    table.integer('gpu_memory_mib').nullable();
    table
      .string('source', 255)
      .notNullable()
      .comment('Price source, e.g. bundled-catalog or aws-pricing-api');
    table
      .timestamp('observed_at', { useTz: true })
      .notNullable()
      .comment('When the source published or was read');
    table
      .text('flags')
      .notNullable()
      .defaultTo('[]')
      .comment('JSON array of flags, e.g. spot-above-on-demand');
    table
      .timestamp('recorded_at', { useTz: true })
      .notNullable()
      .comment('When ModelFleet stored it');
    table.unique(
      [
        'provider',
        'instance_type',
        'region',
        'zone',
        'capacity_type',
        'source',
        'observed_at',
      ],
      { indexName: 'modelfleet_prices_quote_uq' },
    );
    table.index(
      ['provider', 'region', 'instance_type'],
      'modelfleet_prices_lookup_idx',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('modelfleet_prices');
};
