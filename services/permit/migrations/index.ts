import { auditLogMigration } from '../../kit/audit.ts';
import { permits } from './001_permits.ts';
import { documents } from './002_documents.ts';
import { statusActs } from './003_status_acts.ts';

export const migrations = [permits, documents, auditLogMigration, statusActs];
