import type { Migration } from '../../kit/db.ts';

// Accredited centres' own CRLs, as trust accepted them (pushed by PublishCrl or fetched), and where to fetch them.
export const accreditedCrls: Migration = {
  name: '003_accredited_crls',
  async up(knex, schema) {
    const s = () => knex.schema.withSchema(schema);
    await s().alterTable('authorities', (t) => {
      // http(s) URLs an accredited centre registered for its CRL; null for trust's own authorities.
      t.jsonb('crl_distribution_points');
    });
    await s().createTable('accredited_crls', (t) => {
      t.text('authority_id').notNullable();
      // A complete CRL and a delta issued together carry the same number (RFC 5280 §5.2.3): both are kept.
      t.boolean('delta').notNullable();
      t.bigInteger('crl_number').notNullable();
      t.bigInteger('base_crl_number');
      t.timestamp('this_update', { useTz: true }).notNullable();
      t.timestamp('next_update', { useTz: true }).notNullable();
      t.binary('der').notNullable();
      t.text('sha256').notNullable();
      // "PublishCrl" or the distribution point URL it was fetched from.
      t.text('source').notNullable();
      t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      t.primary(['authority_id', 'delta', 'crl_number']);
    });
  },
};
