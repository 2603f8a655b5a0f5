// The registry schema's migrations, in order.
import { auditLogMigration } from '../../kit/audit.ts';
import { caseRecordsMigration } from '../../kit/cases/migrations.ts';
import { registersEntries } from './001_registers_entries.ts';
import { publishSearchChanges } from './002_publish_search_changes.ts';
import { applications, registrationNumbers, staff } from './003_case_flow.ts';
import { searchWords } from './006_search_words.ts';
import { afterResultWatch } from './007_after_result_watch.ts';

export const migrations = [registersEntries, publishSearchChanges, applications, auditLogMigration, staff, caseRecordsMigration, registrationNumbers, searchWords, afterResultWatch];
