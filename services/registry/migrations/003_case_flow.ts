import { applicationsMigration, staffMigration } from '../../kit/cases/migrations.ts';
import type { Migration } from '../../kit/db.ts';

// The registry's own two state services (EIR/IS registration, KKM conformity conclusions) on the kit's case flow.
export const applications = applicationsMigration('003_applications');
export const staff = staffMigration('004_staff');

// Registration and conclusion numbers: one sequence each, so two certificates never share a number.
export const registrationNumbers: Migration = {
  name: '005_registration_numbers',
  async up(knex, schema) {
    await knex.raw('create sequence ??.eir_is_number_seq', [schema]);
    await knex.raw('create sequence ??.kkm_conclusion_number_seq', [schema]);
  },
};
