import { applicationsMigration } from '../../kit/cases/migrations.ts';
import type { Migration } from '../../kit/db.ts';

// Applications for conclusions and permits, on the kit's case flow (the staff table exists since 003).
export const applications = applicationsMigration('004_applications');

// Permit numbers: one sequence, so two drafts never share a number.
export const permitNumbers: Migration = {
  name: '005_permit_numbers',
  async up(knex, schema) {
    await knex.raw('create sequence ??.permit_number_seq', [schema]);
  },
};
