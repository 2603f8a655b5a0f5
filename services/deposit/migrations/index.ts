// The deposit schema's migrations, in order.
import { auditLogMigration } from '../../kit/audit.ts';
import { caseRecordsMigration } from '../../kit/cases/migrations.ts';
import { outboxMigration } from '../../kit/outbox.ts';
import { deposits } from './001_deposits.ts';
import { objects } from './002_objects.ts';
import { applications, depositNumbers, objectDepositedOnce, staff } from './003_case_flow.ts';
import { fileHashState } from './004_file_hash_state.ts';
import { uploadActivity } from './005_upload_activity.ts';
import { afterResultWatch } from './006_after_result_watch.ts';

export const migrations = [deposits, objects, auditLogMigration, applications, staff, caseRecordsMigration, outboxMigration, depositNumbers, objectDepositedOnce, fileHashState, uploadActivity, afterResultWatch];
