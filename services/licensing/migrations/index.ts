// The licensing schema's migrations, in order.
import { auditLogMigration } from '../../kit/audit.ts';
import { caseRecordsMigration } from '../../kit/cases/migrations.ts';
import { outboxMigration } from '../../kit/outbox.ts';
import { licenses } from './001_licenses.ts';
import { applications } from './002_applications.ts';
import { staff } from './003_staff.ts';
import { licenseDocuments } from './004_license_documents.ts';
import { accreditations } from './005_accreditations.ts';
import { revocationActs } from './006_revocation_acts.ts';

export const migrations = [licenses, applications, auditLogMigration, staff, caseRecordsMigration, licenseDocuments, outboxMigration, accreditations, revocationActs];
