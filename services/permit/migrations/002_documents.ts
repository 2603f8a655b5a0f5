import type { Migration } from '../../kit/db.ts';

// The signed permit document beside its register row, and every declaration's use of a goods line.
export const documents: Migration = {
  name: '002_documents',
  async up(knex, schema) {
    await knex.schema.withSchema(schema).alterTable('permits', (t) => {
      // The envelope exactly as signed: the payload bytes, the signature, the signatory's chain (DER).
      t.binary('document');
      t.binary('signature');
      // DER certificates, standard base64, comma-separated: the signatory's first.
      t.text('certificate_chain');
      t.text('contract_reference').notNullable().defaultTo('');
      t.timestamp('issued_at', { useTz: true });
      t.text('signatory').notNullable().defaultTo('');
      // Bumped by every change of status or remaining quantity; cached state carries it.
      t.bigInteger('version').notNullable().defaultTo(1);
    });
    // "exhausted" and "expired" are read from the goods and the dates, never stored: they cannot go stale.
    await knex.withSchema(schema).table('permits').whereIn('status', ['valid', 'exhausted']).update({ status: 'active' });
    await knex.schema.withSchema(schema).alterTable('permits', (t) => {
      t.check("status in ('active', 'suspended', 'revoked')", [], 'permits_status_check');
    });
    await knex.schema.withSchema(schema).createTable('permit_consumptions', (t) => {
      t.text('permit_id').notNullable();
      t.text('declaration_id').notNullable();
      t.integer('line').notNullable();
      t.decimal('quantity', 20, 6).notNullable();
      // SHA-256 of the request's lines: the same declaration id with another body is refused.
      t.text('request_hash').notNullable();
      t.boolean('released').notNullable().defaultTo(false);
      t.timestamp('consumed_at', { useTz: true }).notNullable();
      t.timestamp('released_at', { useTz: true });
      t.primary(['permit_id', 'declaration_id', 'line']);
      t.foreign(['permit_id', 'line']).references(['permit_id', 'line']).inTable(`${schema}.permit_goods`);
      t.check('quantity > 0');
    });
  },
};
