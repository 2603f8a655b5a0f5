import type { Migration } from '../../kit/db.ts';

// Every word the entries' search vectors hold, in byte order ("C"), so a query's word prefix is
// looked up as a short index range and searched as the exact words it completes to: a GIN index
// answers exact words by skipping through their posting lists, but a prefix (word:*) only by
// collecting every posting of every word it matches into a bitmap first.
export const searchWords: Migration = {
  name: '006_search_words',
  async up(knex, schema) {
    await knex.raw('create table ??.search_words (word text collate "C" primary key)', [schema]);
    await knex.raw('insert into ??.search_words (word) select word from ts_stat(?) on conflict do nothing', [schema, `select search from "${schema}".entries`]);
  },
};
