import { auditLogMigration } from '../../kit/audit.ts';
import { permits } from './001_permits.ts';
import { documents } from './002_documents.ts';

export const migrations = [permits, documents, auditLogMigration];
