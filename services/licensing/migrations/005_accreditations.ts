import type { Migration } from '../../kit/db.ts';

// Accreditation of certifying centres: the commission, each case's inspection act and the members' signatures
// under it, and the register of certificates of accreditation with their numbers' sequence.
export const accreditations: Migration = {
  name: '005_accreditations',
  async up(knex, schema) {
    // A schema builder runs every statement queued on it: a fresh one per table.
    const s = () => knex.schema.withSchema(schema);
    await s().createTable('commission_members', (t) => {
      t.text('iin').primary();
      // 'provider', 'technical_regulation' or 'national_security' (para 3).
      t.text('body').notNullable();
      // 'chair', 'secretary' or 'member'.
      t.text('position').notNullable();
      t.text('full_name').notNullable().defaultTo('');
    });
    await s().createTable('accreditation_inspections', (t) => {
      t.text('application_id').primary();
      // The act on the results of the inspection (canonical JSON) the members sign.
      t.binary('document').notNullable();
      t.text('sha256').notNullable();
      // What the commission ran the chain-building check on (on-site item 2), to run it again at grant.
      t.binary('ca_certificate').notNullable();
      t.binary('user_certificate').notNullable();
      t.binary('crl').notNullable();
      t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    });
    await s().createTable('accreditation_votes', (t) => {
      t.text('application_id').notNullable();
      t.text('step').notNullable();
      t.text('iin').notNullable();
      t.text('body').notNullable();
      t.boolean('signs').notNullable();
      t.jsonb('reasons').notNullable();
      // The member's signed act, as received.
      t.jsonb('envelope').notNullable();
      t.timestamp('at', { useTz: true }).notNullable();
      t.primary(['application_id', 'step', 'iin']);
    });
    await s().createTable('accreditations', (t) => {
      t.text('id').primary();
      t.text('number').notNullable().unique();
      t.text('status').notNullable();
      t.text('holder_identifier').notNullable();
      t.text('holder_name').notNullable();
      t.text('ca_name').notNullable();
      t.timestamp('issued_at', { useTz: true }).notNullable();
      t.timestamp('expires_at', { useTz: true }).notNullable();
      t.text('act_sha256').notNullable();
      t.text('decision_reference').notNullable();
      t.text('application').notNullable();
      t.text('authority').notNullable();
      t.text('csr').notNullable();
      t.jsonb('policies').notNullable();
      t.jsonb('crl_distribution_points').notNullable();
      t.jsonb('document').notNullable();
      t.text('signatory').notNullable();
      t.text('root_serial').notNullable().defaultTo('');
      t.text('root_sha256').notNullable().defaultTo('');
      t.text('root_chain_check').notNullable().defaultTo('');
      t.text('revocation_ground').notNullable().defaultTo('');
      // The CRLReason the Root CA revokes with: 5 cessationOfOperation, 2 cACompromise.
      t.integer('root_revocation_reason').notNullable().defaultTo(5);
      // Set once the Root CA has revoked the centre's CA certificate after revocation or expiry.
      t.timestamp('root_revoked_at', { useTz: true });
      t.timestamp('updated_at', { useTz: true }).notNullable();
      t.bigIncrements('seq', { primaryKey: false });
      t.index(['holder_identifier', 'seq']);
      t.index(['status', 'expires_at']);
    });
    await knex.raw('create sequence ??.accreditation_number_seq', [schema]);
  },
};
