import type { Migration } from '../../kit/db.ts';

// Licences (лицензиялар) the NSC issued, with their current status.
export const licenses: Migration = {
  name: '001_licenses',
  async up(knex, schema) {
    await knex.schema.withSchema(schema).createTable('licenses', (t) => {
      t.text('id').primary();
      t.text('number').notNullable().unique();
      t.text('kind').notNullable();
      t.specificType('sub_kinds', 'text[]').notNullable().defaultTo('{}');
      t.text('holder_type').notNullable();
      t.text('holder_identifier').notNullable();
      t.text('holder_name').notNullable();
      t.text('status').notNullable();
      t.timestamp('issued_at', { useTz: true }).notNullable();
      t.text('signatory').notNullable();
      t.bigIncrements('seq', { primaryKey: false });
      t.index(['holder_identifier', 'seq']);
      t.index(['seq']);
    });
  },
};
