import { auditLogMigration } from '../../kit/audit.ts';
import { deposits } from './001_deposits.ts';
import { objects } from './002_objects.ts';

export const migrations = [deposits, objects, auditLogMigration];
