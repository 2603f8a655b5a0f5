import { staffMigration } from '../../kit/cases/migrations.ts';

// The Licensing Department's staff table: the kit's, under this schema's first id for it.
export const staff = staffMigration('003_staff');
