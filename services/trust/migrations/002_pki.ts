import type { Migration } from '../../kit/db.ts';

// The PKI itself: CA keys (encrypted), applications, RA operators, CRLs and the revocation feed.
export const pki: Migration = {
  name: '002_pki',
  async up(knex, schema) {
    // A fresh builder per statement: a knex schema builder re-runs everything chained on it.
    const s = () => knex.schema.withSchema(schema);
    await s().alterTable('authorities', (t) => {
      t.text('parent_id');
      // scrypt + AES-256-GCM envelope of the Ed25519 seed; never leaves the service.
      t.text('key_envelope');
      // Shared by full and delta CRLs, as RFC 5280 §5.2.3 requires.
      t.bigInteger('next_crl_number').notNullable().defaultTo(1);
    });
    await s().alterTable('certificates', (t) => {
      t.text('profile');
      // IIN or BIN the certificate was issued to, from the reference registry.
      t.text('subject_identifier');
      t.index(['subject_identifier']);
    });
    await s().createTable('reference_parties', (t) => {
      t.text('identifier').primary();
      t.text('type').notNullable();
      t.text('name').notNullable();
      t.text('surname');
      t.text('given_name');
      t.text('patronymic');
    });
    await knex.raw('create sequence ??.?? ', [schema, 'application_numbers']);
    await s().createTable('certificate_applications', (t) => {
      t.text('id').primary();
      t.text('number').notNullable().unique();
      t.text('request_id').notNullable().unique();
      // SHA-256 of the submitted body: a retry with another body under the same request_id is refused.
      t.text('request_hash').notNullable();
      t.text('status').notNullable();
      t.text('applicant_type').notNullable();
      t.text('applicant_identifier').notNullable();
      t.text('representative_iin');
      t.text('email').notNullable();
      t.text('region').notNullable();
      t.text('key_storage').notNullable();
      t.text('profile').notNullable();
      t.binary('csr_der').notNullable();
      t.text('csr_sha256').notNullable();
      t.text('certificate_authority');
      t.text('certificate_serial');
      t.text('refusal_reason');
      t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    });
    await s().createTable('operators', (t) => {
      t.text('id').primary();
      t.text('full_name').notNullable();
      t.text('iin').notNullable();
      t.text('authority_id').notNullable();
      t.text('certificate_serial').notNullable().unique();
      // active → suspended (absent over 15 days) → active; any → dismissed (certificate revoked).
      t.text('status').notNullable();
      t.text('letter_reference').notNullable();
      t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    });
    await s().createTable('crls', (t) => {
      t.text('authority_id').notNullable();
      t.bigInteger('crl_number').notNullable();
      t.bigInteger('base_crl_number');
      t.timestamp('this_update', { useTz: true }).notNullable();
      t.timestamp('next_update', { useTz: true }).notNullable();
      t.binary('der').notNullable();
      // The last revocation event it covers: a delta after this base lists the events after it.
      t.bigInteger('last_sequence').notNullable();
      t.primary(['authority_id', 'crl_number']);
    });
    await s().createTable('revocation_events', (t) => {
      t.bigIncrements('sequence');
      t.text('authority_id').notNullable();
      t.text('serial_number').notNullable();
      t.integer('reason').notNullable();
      t.timestamp('revocation_time', { useTz: true }).notNullable();
      // Set once a delta CRL carries it; rows still null are published on the next tick.
      t.bigInteger('delta_crl_number');
      t.index(['delta_crl_number']);
    });
    await s().createTable('used_acts', (t) => {
      // SHA-256 of a signed envelope's signature: each signed act is accepted once.
      t.text('sha256').primary();
      t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    });
  },
};
