import type { Migration } from '../../kit/db.ts';
import { tsvectorOf } from '../domain/search-text.ts';

// Published entries keep their source's version, dates, signed document and attributes; search
// gets its words and indexes; every change is numbered in commit order for WatchRegister.
export const publishSearchChanges: Migration = {
  name: '002_publish_search_changes',
  async up(knex, schema) {
    await knex.schema.withSchema(schema).alterTable('entries', (t) => {
      t.text('source_service').notNullable().defaultTo('');
      t.bigInteger('source_sequence').notNullable().defaultTo(0);
      t.timestamp('effective_at', { useTz: true }).nullable();
      t.timestamp('expire_at', { useTz: true }).nullable();
      // SignedEnvelope as published (protobuf bytes), so the answer can be verified without the publisher.
      t.binary('document').nullable();
      t.jsonb('attributes').notNullable().defaultTo('{}');
      // attributes.kind, as a column so it can be indexed.
      t.text('kind').notNullable().defaultTo('');
      t.specificType('search', 'tsvector').notNullable().defaultTo('');
    });
    const entries = `${schema}.entries`;
    // The words are made in TypeScript (search-text.ts), so a C-locale server still matches Kazakh and Russian.
    const rows = await knex.withSchema(schema).table('entries').select('register_id', 'id', 'number', 'title', 'holder_name');
    for (const r of rows) {
      await knex.withSchema(schema).table('entries').where({ register_id: r.register_id, id: r.id }).update({ search: knex.raw('?::tsvector', [tsvectorOf(r.number, r.title, r.holder_name)]) });
    }
    await knex.raw(`create index entries_search on ${entries} using gin (search)`);
    await knex.raw(`create index entries_holder_seq on ${entries} (holder_identifier, seq)`);
    await knex.raw(`create index entries_number on ${entries} (number)`);
    await knex.raw(`create index entries_kind_seq on ${entries} (kind, seq)`);
    await knex.raw(`create index entries_updated on ${entries} (updated_at)`);
    await knex.raw(`create index entries_effective on ${entries} (effective_at)`);

    // One row: the last change's number. Taking it under a row lock numbers changes in commit order,
    // so a watcher that has seen N has seen every change before N.
    await knex.schema.withSchema(schema).createTable('change_head', (t) => {
      t.boolean('id').primary().defaultTo(true);
      t.bigInteger('seq').notNullable();
      t.check('?? is true', ['id']);
    });
    await knex.withSchema(schema).table('change_head').insert({ id: true, seq: 0 });
    await knex.schema.withSchema(schema).createTable('changes', (t) => {
      t.bigInteger('seq').primary();
      t.text('register_id').notNullable();
      t.text('entry_id').notNullable();
      t.boolean('created').notNullable();
      t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      // The entry as the change left it (ruqsat.registry.v1.Entry, protobuf bytes).
      t.binary('entry').notNullable();
      t.index(['register_id', 'seq']);
    });
  },
};
