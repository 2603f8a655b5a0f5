import { auditLogMigration } from '../../kit/audit.ts';
import { deposits } from './001_deposits.ts';
import { objects } from './002_objects.ts';
import { fileHashState } from './003_file_hash_state.ts';

export const migrations = [deposits, objects, auditLogMigration, fileHashState];
