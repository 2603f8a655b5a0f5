import { applicationsMigration, staffMigration } from '../../kit/cases/migrations.ts';
import type { Migration } from '../../kit/db.ts';

// Deposit applications on the kit's case flow, and the depositary's staff (the schema had none).
export const applications = applicationsMigration('003_applications');
export const staff = staffMigration('004_staff');

// Deposit numbers: one sequence, so two drafts never share a number.
export const depositNumbers: Migration = {
  name: '005_deposit_numbers',
  async up(knex, schema) {
    await knex.raw('create sequence ??.deposit_number_seq', [schema]);
  },
};

// One object, one registry entry: the database holds the line if two cases race to the signature.
export const objectDepositedOnce: Migration = {
  name: '006_object_deposited_once',
  async up(knex, schema) {
    await knex.raw('create unique index deposits_object_once on ??.deposits (object_id) where object_id is not null', [schema]);
  },
};
