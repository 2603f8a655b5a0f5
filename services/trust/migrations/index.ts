// The trust schema's migrations, in order.
import { auditLogMigration } from '../../kit/audit.ts';
import { outboxMigration } from '../../kit/outbox.ts';
import { authoritiesCertificates } from './001_authorities_certificates.ts';
import { pki } from './002_pki.ts';
import { accreditedCrls } from './003_accredited_crls.ts';

export const migrations = [authoritiesCertificates, pki, auditLogMigration, outboxMigration, accreditedCrls];
