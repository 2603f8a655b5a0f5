import type { Migration } from '../../kit/db.ts';
import { REGISTERS } from '../domain/registers.ts';

// The registers and their entries; the register list is reference data from the legal acts.
export const registersEntries: Migration = {
  name: '001_registers_entries',
  async up(knex, schema) {
    await knex.schema.withSchema(schema).createTable('registers', (t) => {
      t.text('id').primary();
      t.text('title').notNullable();
      t.text('title_kk').notNullable();
      t.text('source_service').notNullable();
      t.text('legal_basis').notNullable();
      t.bigIncrements('seq', { primaryKey: false });
    });
    await knex.schema.withSchema(schema).createTable('entries', (t) => {
      t.text('register_id').notNullable().references('id').inTable(`${schema}.registers`);
      t.text('id').notNullable();
      t.text('number').notNullable();
      t.text('title').notNullable();
      t.text('holder_type').notNullable();
      t.text('holder_identifier').notNullable();
      t.text('holder_name').notNullable();
      t.text('status').notNullable();
      t.text('source_resource').notNullable().defaultTo('');
      t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      t.bigIncrements('seq', { primaryKey: false });
      t.primary(['register_id', 'id']);
      t.index(['seq']);
    });
    await knex.withSchema(schema).table('registers').insert(
      REGISTERS.map((r) => ({ id: r.id, title: r.title, title_kk: r.titleKk, source_service: r.sourceService, legal_basis: r.legalBasis })),
    );
  },
};
