import { afterResultWatchMigration } from '../../kit/cases/migrations.ts';

// EIR/IS cases closed on their result before the SLA monitor watched the C19 dispatch (KKM declares none).
export const afterResultWatch = afterResultWatchMigration('007_after_result_watch', ['registry.eir_is']);
