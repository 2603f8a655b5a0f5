import type { Migration } from '../../kit/db.ts';

// Cases closed on their result before the SLA monitor watched the cover letter and the dispatch have no next look:
// it looks at each at once, and then writes the right deadline and overdue mark itself.
export const afterResultWatch: Migration = {
  name: '006_after_result_watch',
  async up(knex, schema) {
    await knex
      .withSchema(schema)
      .table('applications')
      .whereIn('status', ['issued', 'refused'])
      .whereNull('next_check_at')
      .whereRaw("details->'dispatch' is null")
      .update({ next_check_at: knex.fn.now() });
  },
};
