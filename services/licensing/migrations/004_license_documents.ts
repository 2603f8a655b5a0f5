import type { Migration } from '../../kit/db.ts';

// The signed licence document, the application behind it, status changes, and the licence numbers' sequence.
export const licenseDocuments: Migration = {
  name: '004_license_documents',
  async up(knex, schema) {
    await knex.schema.withSchema(schema).alterTable('licenses', (t) => {
      t.jsonb('document');
      t.text('application');
      t.timestamp('updated_at', { useTz: true });
      t.text('status_reason').notNullable().defaultTo('');
    });
    await knex.raw('create sequence ??.license_number_seq', [schema]);
  },
};
