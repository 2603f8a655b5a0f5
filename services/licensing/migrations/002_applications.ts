import type { Migration } from '../../kit/db.ts';

// Applications (өтініштер) for the NSC licences, each running on its definition's state machine.
export const applications: Migration = {
  name: '002_applications',
  async up(knex, schema) {
    await knex.schema.withSchema(schema).createTable('applications', (t) => {
      t.text('id').primary();
      t.text('request_id').notNullable().unique();
      // SHA-256 of the signed payload: the same request_id with another body is refused.
      t.text('request_hash').notNullable();
      t.text('service').notNullable();
      t.integer('definition_version').notNullable();
      t.text('applicant_type').notNullable();
      t.text('applicant_identifier').notNullable();
      t.text('applicant_name').notNullable();
      t.text('status').notNullable();
      // The case as the workflow engine keeps it (dates as ISO strings).
      t.jsonb('state').notNullable();
      // The signed application as received, so the act can be checked again at any time.
      t.binary('envelope').notNullable();
      t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      t.bigIncrements('seq', { primaryKey: false });
      t.index(['applicant_identifier', 'seq']);
      t.index(['seq']);
    });
  },
};
