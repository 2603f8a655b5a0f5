// The outbox's tables, which a publishing service adds to its own migration list.
import type { Migration } from '../db.ts';

export const outboxMigration: Migration = {
  name: 'kit_002_outbox',
  async up(knex, schema) {
    await knex.schema.withSchema(schema).createTable('outbox', (t) => {
      // Enqueue order; per source_resource it is the delivery order.
      t.bigIncrements('id').primary();
      t.text('source_resource').notNullable();
      t.bigInteger('sequence').notNullable();
      // ruqsat.registry.v1.PublishEntryRequest, protobuf bytes, as delivered.
      t.binary('request').notNullable();
      t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      t.integer('attempts').notNullable().defaultTo(0);
      t.timestamp('next_attempt_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      // A relay instance owns the row until then; a crashed one's rows are taken over after it.
      t.timestamp('lease_until', { useTz: true }).nullable();
      t.timestamp('delivered_at', { useTz: true }).nullable();
      // Refused for good (INVALID_ARGUMENT): kept with its error for an operator, no longer blocking later events.
      t.timestamp('dead_at', { useTz: true }).nullable();
      t.text('last_error').nullable();
      t.index(['source_resource', 'id']);
    });
    await knex.raw(`create index outbox_pending on ??.outbox (id) where delivered_at is null and dead_at is null`, [schema]);
    // The last sequence per source record, for callers that let the outbox number their versions.
    await knex.schema.withSchema(schema).createTable('outbox_sequences', (t) => {
      t.text('source_resource').primary();
      t.bigInteger('sequence').notNullable();
    });
  },
};
