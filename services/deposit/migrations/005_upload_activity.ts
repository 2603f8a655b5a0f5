import type { Migration } from '../../kit/db.ts';

// When an upload last acknowledged bytes: an upload idle longer than the retention period is expired and its
// staged files and unreferenced blobs are collected (services/deposit/collector.ts).
export const uploadActivity: Migration = {
  name: '005_upload_activity',
  async up(knex, schema) {
    await knex.schema.withSchema(schema).alterTable('objects', (t) => {
      // Null for rows from before this column: created_at stands in.
      t.timestamp('active_at', { useTz: true });
      t.index(['state', 'active_at']);
    });
    await knex.schema.withSchema(schema).alterTable('object_files', (t) => {
      // The collector asks whether any file names a blob.
      t.index(['sha256']);
    });
  },
};
