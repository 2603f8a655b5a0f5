import type { Migration } from '../../kit/db.ts';

// Certifying centres and the certificates they issued (тіркеу куәліктері).
export const authoritiesCertificates: Migration = {
  name: '001_authorities_certificates',
  async up(knex, schema) {
    await knex.schema.withSchema(schema).createTable('authorities', (t) => {
      t.text('id').primary();
      t.text('kind').notNullable();
      t.text('display_name').notNullable();
      t.text('subject').notNullable();
      t.binary('certificate_der').notNullable();
      t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      t.bigIncrements('seq', { primaryKey: false });
    });
    await knex.schema.withSchema(schema).createTable('certificates', (t) => {
      t.text('authority_id').notNullable().references('id').inTable(`${schema}.authorities`);
      // Lowercase hex, no leading zeros: unique per issuing authority (RFC 5280 §4.1.2.2).
      t.text('serial_number').notNullable();
      t.text('subject').notNullable();
      t.timestamp('not_before', { useTz: true }).notNullable();
      t.timestamp('not_after', { useTz: true }).notNullable();
      t.text('status').notNullable();
      t.integer('revocation_reason');
      t.timestamp('revocation_time', { useTz: true });
      t.text('sha256_fingerprint').notNullable();
      t.binary('certificate_der').notNullable();
      t.bigIncrements('seq', { primaryKey: false });
      t.primary(['authority_id', 'serial_number']);
      t.index(['seq']);
    });
  },
};

