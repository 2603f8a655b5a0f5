import type { Migration } from '../../kit/db.ts';

// Deposit objects' content: the upload (resumable) and, once stored, the object and its check result.
export const objects: Migration = {
  name: '002_objects',
  async up(knex, schema) {
    await knex.schema.withSchema(schema).createTable('objects', (t) => {
      // The client's upload_id: "objects/{id}".
      t.text('id').primary();
      t.text('state').notNullable(); // uploading | stored
      t.text('object_type').notNullable();
      t.text('title').notNullable();
      t.text('version').notNullable().defaultTo('');
      // SHA-256 of the manifest, so a resumed upload must declare the same object.
      t.binary('manifest_sha256').notNullable();
      t.binary('merkle_root');
      t.bigInteger('file_count');
      t.bigInteger('total_size_bytes');
      t.boolean('complete');
      t.boolean('conformant');
      t.text('findings'); // JSON array of strings
      t.timestamp('created_at', { useTz: true }).notNullable();
      t.timestamp('stored_at', { useTz: true });
      t.bigIncrements('seq', { primaryKey: false });
      t.index(['merkle_root']);
    });
    await knex.schema.withSchema(schema).createTable('object_files', (t) => {
      t.text('object_id').notNullable().references('id').inTable(`${schema}.objects`).onDelete('CASCADE');
      // Place in the manifest's sorted file list: names the staged file.
      t.integer('idx').notNullable();
      t.text('path').notNullable();
      t.bigInteger('declared_size').notNullable();
      // Acknowledged: fsynced to the staged file and recorded here.
      t.bigInteger('received_bytes').notNullable().defaultTo(0);
      // Set once the whole file arrived; the blob's address.
      t.binary('sha256');
      // False for a file not (fully) sent when the depositor finished.
      t.boolean('stored').notNullable().defaultTo(false);
      t.primary(['object_id', 'path']);
    });
    // A registry entry names the object whose content it registers (set by the workflow, later).
    await knex.schema.withSchema(schema).alterTable('deposits', (t) => {
      t.text('object_id').references('id').inTable(`${schema}.objects`);
    });
  },
};
