import type { Migration } from '../../kit/db.ts';

// Procedures B and C (rules ch. 3): every official's signed act on a revocation case, so the explanation, the
// examination notice's date and subject, the objections and their answers stand as the documents they are.
export const revocationActs: Migration = {
  name: '006_revocation_acts',
  async up(knex, schema) {
    await knex.schema.withSchema(schema).createTable('revocation_acts', (t) => {
      t.bigIncrements('seq').primary();
      t.text('application_id').notNullable();
      t.text('step').notNullable();
      t.text('act').notNullable();
      t.text('exit').notNullable().defaultTo('');
      // The official's signed act, as received.
      t.jsonb('envelope').notNullable();
      t.timestamp('at', { useTz: true }).notNullable();
      t.index(['application_id', 'seq']);
    });
  },
};
