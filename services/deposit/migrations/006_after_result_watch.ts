import { afterResultWatchMigration } from '../../kit/cases/migrations.ts';

// Cases closed on their result before the SLA monitor watched the cover letter and the dispatch.
export const afterResultWatch = afterResultWatchMigration('006_after_result_watch');
