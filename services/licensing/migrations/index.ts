// The licensing schema's migrations, in order.
import { auditLogMigration } from '../../kit/audit.ts';
import { licenses } from './001_licenses.ts';
import { applications } from './002_applications.ts';
import { staff } from './003_staff.ts';

export const migrations = [licenses, applications, auditLogMigration, staff];
