// The audit log's tables, which a service adds to its own migration list (one chain per service schema).
import type { Migration } from '../db.ts';
import { GENESIS_HASH } from './canonical.ts';

export const auditLogMigration: Migration = {
  name: 'kit_001_audit_log',
  async up(knex, schema) {
    await knex.schema.withSchema(schema).createTable('audit_log', (t) => {
      // bigserial may skip values when a transaction rolls back, so the chain is ordered by `position` instead.
      t.bigIncrements('seq').primary();
      // Gapless, assigned under the head lock: a missing position is a deleted entry, never a rollback.
      t.bigInteger('position').notNullable().unique();
      t.timestamp('at', { useTz: true }).notNullable();
      t.text('actor').notNullable();
      t.text('action').notNullable();
      t.text('resource').notNullable();
      t.jsonb('payload').notNullable();
      t.text('prev_hash').notNullable();
      t.text('hash').notNullable();
      t.index(['resource', 'position']);
    });
    // One row: the last entry's position and hash; locking it serializes appenders so the chain never forks.
    await knex.schema.withSchema(schema).createTable('audit_head', (t) => {
      t.boolean('id').primary().defaultTo(true);
      t.bigInteger('position').notNullable();
      t.text('hash').notNullable();
      t.check('?? is true', ['id']);
    });
    await knex.withSchema(schema).table('audit_head').insert({ id: true, position: 0, hash: GENESIS_HASH });
  },
};
