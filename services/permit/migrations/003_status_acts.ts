import type { Migration } from '../../kit/db.ts';

// Who may suspend, reinstate or revoke a permit (the staff table, by IIN and role), and the signed acts
// already accepted (each once, by the SHA-256 of its signature).
export const statusActs: Migration = {
  name: '003_status_acts',
  async up(knex, schema) {
    // The same shape as every provider's staff table; left alone when the case-handling layer made it first.
    if (!(await knex.schema.withSchema(schema).hasTable('staff'))) {
      await knex.schema.withSchema(schema).createTable('staff', (t) => {
        t.text('iin').notNullable();
        t.text('role').notNullable();
        t.text('full_name').notNullable().defaultTo('');
        t.primary(['iin', 'role']);
      });
    }
    await knex.schema.withSchema(schema).createTable('permit_acts', (t) => {
      t.text('fingerprint').primary();
      t.text('permit_id').notNullable();
      t.text('act').notNullable();
      t.timestamp('at', { useTz: true }).notNullable();
    });
  },
};
