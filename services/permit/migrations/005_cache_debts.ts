import type { Migration } from '../../kit/db.ts';

// Permits changed while Redis could not be fenced (see shared-states.ts): their cached states are dropped
// by the first instance that reaches Redis, before any instance trusts its cache again.
export const cacheDebts: Migration = {
  name: '005_cache_debts',
  async up(knex, schema) {
    await knex.schema.withSchema(schema).createTable('permit_cache_debts', (t) => {
      t.bigIncrements('id').primary();
      t.text('number').notNullable();
      t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    });
  },
};
