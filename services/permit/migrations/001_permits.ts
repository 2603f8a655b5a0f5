import type { Migration } from '../../kit/db.ts';

// Permits and conclusions (қорытындылар), and the goods lines each covers.
export const permits: Migration = {
  name: '001_permits',
  async up(knex, schema) {
    await knex.schema.withSchema(schema).createTable('permits', (t) => {
      t.text('id').primary();
      t.text('number').notNullable().unique();
      t.text('kind').notNullable();
      t.text('holder_type').notNullable();
      t.text('holder_identifier').notNullable();
      t.text('holder_name').notNullable();
      t.text('movement_type');
      t.text('status').notNullable();
      t.timestamp('valid_from', { useTz: true }).notNullable();
      t.timestamp('valid_until', { useTz: true }).notNullable();
      t.bigIncrements('seq', { primaryKey: false });
      t.index(['holder_identifier', 'seq']);
      t.index(['seq']);
    });
    await knex.schema.withSchema(schema).createTable('permit_goods', (t) => {
      t.text('permit_id').notNullable().references('id').inTable(`${schema}.permits`).onDelete('CASCADE');
      t.integer('line').notNullable();
      t.text('description').notNullable();
      t.text('hs_code').notNullable();
      // Exact decimals: a remainder must never drift by floating-point error.
      t.decimal('quantity', 20, 6).notNullable();
      t.decimal('remaining_quantity', 20, 6).notNullable();
      t.text('unit').notNullable();
      t.text('manufacturer').notNullable().defaultTo('');
      t.text('origin_country').notNullable().defaultTo('');
      t.text('destination_country').notNullable().defaultTo('');
      t.primary(['permit_id', 'line']);
      t.check('remaining_quantity >= 0 and remaining_quantity <= quantity');
    });
  },
};

export const migrations = [permits];
