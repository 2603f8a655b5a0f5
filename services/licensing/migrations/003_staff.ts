import type { Migration } from '../../kit/db.ts';

// The provider's staff table: which official (by IIN) holds which role in the workflow.
export const staff: Migration = {
  name: '003_staff',
  async up(knex, schema) {
    await knex.schema.withSchema(schema).createTable('staff', (t) => {
      t.text('iin').notNullable();
      t.text('role').notNullable();
      t.text('full_name').notNullable().defaultTo('');
      t.primary(['iin', 'role']);
    });
  },
};
