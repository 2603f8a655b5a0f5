import type { Migration } from '../../kit/db.ts';

// The Registry of deposited software: one row per deposited object.
export const deposits: Migration = {
  name: '001_deposits',
  async up(knex, schema) {
    await knex.schema.withSchema(schema).createTable('deposits', (t) => {
      t.text('id').primary();
      t.text('deposit_number').notNullable().unique();
      t.text('object_type').notNullable();
      t.text('title').notNullable();
      t.text('version').notNullable().defaultTo('');
      t.text('depositor_type').notNullable();
      t.text('depositor_identifier').notNullable();
      t.text('depositor_name').notNullable();
      t.binary('merkle_root').notNullable();
      t.bigInteger('file_count').notNullable();
      t.bigInteger('total_size_bytes').notNullable();
      t.timestamp('registered_at', { useTz: true }).notNullable();
      t.bigIncrements('seq', { primaryKey: false });
      t.index(['depositor_identifier', 'seq']);
      t.index(['seq']);
    });
  },
};
