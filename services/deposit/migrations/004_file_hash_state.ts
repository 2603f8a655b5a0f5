import type { Migration } from '../../kit/db.ts';

// A file's SHA-256 is computed as its chunks arrive; the hasher's portable state (40 + received_bytes % 64
// bytes) is recorded with every acknowledgement, so a resumed upload continues the hash without re-reading.
export const fileHashState: Migration = {
  name: '004_file_hash_state',
  async up(knex, schema) {
    await knex.schema.withSchema(schema).alterTable('object_files', (t) => {
      // The SHA-256 state after exactly received_bytes bytes; null before the first byte, and once hashed.
      t.binary('sha256_state');
    });
  },
};
