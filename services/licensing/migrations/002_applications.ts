import { applicationsMigration } from '../../kit/cases/migrations.ts';

// Applications for the NSC licences: the kit's table under the id this schema first migrated it with.
export const applications = applicationsMigration('002_applications');
