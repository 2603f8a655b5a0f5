// The permit schema's migrations, in order.
import { auditLogMigration } from '../../kit/audit.ts';
import { caseRecordsMigration } from '../../kit/cases/migrations.ts';
import { outboxMigration } from '../../kit/outbox.ts';
import { permits } from './001_permits.ts';
import { documents } from './002_documents.ts';
import { statusActs } from './003_status_acts.ts';
import { applications, permitNumbers } from './004_case_flow.ts';
import { cacheDebts } from './005_cache_debts.ts';

export const migrations = [permits, documents, auditLogMigration, statusActs, applications, caseRecordsMigration, outboxMigration, permitNumbers, cacheDebts];
