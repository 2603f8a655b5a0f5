// The tables every service that runs state services on the workflow engine keeps in its own schema.
import type { Migration } from '../db.ts';

/** Applications (өтініштер), each running on its definition's state machine; `name` keeps a service's existing migration id. */
export function applicationsMigration(name: string): Migration {
  return {
    name,
    async up(knex, schema) {
      await knex.schema.withSchema(schema).createTable('applications', (t) => {
        t.text('id').primary();
        t.text('request_id').notNullable().unique();
        // SHA-256 of the signed payload: the same request_id with another body is refused.
        t.text('request_hash').notNullable();
        t.text('service').notNullable();
        t.integer('definition_version').notNullable();
        t.text('applicant_type').notNullable();
        t.text('applicant_identifier').notNullable();
        t.text('applicant_name').notNullable();
        t.text('status').notNullable();
        // The case as the workflow engine keeps it (dates as ISO strings).
        t.jsonb('state').notNullable();
        // The signed application as received, so the act can be checked again at any time.
        t.binary('envelope').notNullable();
        t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
        t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
        t.bigIncrements('seq', { primaryKey: false });
        t.index(['applicant_identifier', 'seq']);
        t.index(['seq']);
      });
    },
  };
}

/** The provider's staff table: which official (by IIN) holds which role in the workflow. */
export function staffMigration(name: string): Migration {
  return {
    name,
    async up(knex, schema) {
      await knex.schema.withSchema(schema).createTable('staff', (t) => {
        t.text('iin').notNullable();
        t.text('role').notNullable();
        t.text('full_name').notNullable().defaultTo('');
        t.primary(['iin', 'role']);
      });
    },
  };
}

/** What the applicant's and officials' APIs keep beside the state: details, documents, the SLA scan's columns, appeals. */
export const caseRecordsMigration: Migration = {
  name: 'kit_003_case_records',
  async up(knex, schema) {
    await knex.schema.withSchema(schema).alterTable('applications', (t) => {
      // The service's own fields of the submission (goods, the licence re-issued, ...).
      t.jsonb('details').notNullable().defaultTo('{}');
      t.text('payment_reference').notNullable().defaultTo('');
      t.jsonb('attachments').notNullable().defaultTo('[]');
      // The draft result document, exactly the bytes the signatory signs.
      t.binary('draft_document');
      // The signed result (a SignedEnvelope as JSON with base64 fields).
      t.jsonb('result_document');
      // The SLA monitor's next look at this case: the earliest deadline still ahead.
      t.timestamp('next_check_at', { useTz: true });
      t.boolean('overdue').notNullable().defaultTo(false);
      t.index(['next_check_at']);
      t.index(['overdue', 'seq']);
      t.index(['status', 'seq']);
    });
    await knex.schema.withSchema(schema).createTable('appeals', (t) => {
      t.text('id').primary();
      t.text('application_id').notNullable();
      t.text('recipient').notNullable();
      t.text('text').notNullable();
      t.binary('envelope').notNullable();
      // One signed appeal is filed once.
      t.text('fingerprint').notNullable().unique();
      t.timestamp('filed_at', { useTz: true }).notNullable();
      t.timestamp('due_at', { useTz: true }).notNullable();
      t.text('decision');
      t.text('answer');
      t.text('answered_by');
      t.timestamp('answered_at', { useTz: true });
      t.index(['application_id']);
    });
  },
};

/** A new service's case tables, in order. */
/**
 * For a service that starts to declare afterResult steps: cases it closed on their result before then have no next
 * look; the SLA monitor looks at each at once and then writes the right deadline and overdue mark itself.
 */
export function afterResultWatchMigration(name: string, services?: string[]): Migration {
  return {
    name,
    async up(knex, schema) {
      const q = knex.withSchema(schema).table('applications').whereIn('status', ['issued', 'refused']).whereNull('next_check_at').whereRaw("details->'dispatch' is null");
      await (services ? q.whereIn('service', services) : q).update({ next_check_at: knex.fn.now() });
    },
  };
}

export const caseMigrations: Migration[] = [applicationsMigration('kit_001_applications'), staffMigration('kit_002_staff'), caseRecordsMigration];
