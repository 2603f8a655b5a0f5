// Procedure C (para 24): the accredited centre notifies its changes within 10 WD of making them (§6.13: counted from
// the change); a late notice is still taken, and marked late.
import { calendar } from '../../kit/calendar/index.ts';
import { instantAt, parseClock, wallClock } from '../../kit/calendar/zone.ts';
import type { Applicant } from '../../kit/cases/signers.ts';
import type { FieldViolation } from '../../kit/errors.ts';
import { heldCertificate } from './holder.ts';
import type { AccreditationStore } from './store.ts';

export const CHANGES_SERVICE = 'accreditation.changes';
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const NOTICE_PERIOD = { unit: 'working_days', amount: 10 } as const;

/** The notice names the centre's own certificate in force, what changed and when; `late` when past the 10 WD. */
export async function changeSubmission(store: AccreditationStore, act: Record<string, unknown>, applicant: Applicant, now = new Date()): Promise<{ violations: FieldViolation[]; details: Record<string, unknown> }> {
  const v: FieldViolation[] = [];
  const id = await heldCertificate(store, act, applicant, v);
  if (typeof act.changes !== 'string' || act.changes.trim() === '' || act.changes.length > 10_000) v.push({ field: 'application.payload.changes', description: 'describes all changes made to the operating conditions or functionality' });
  const changed = typeof act.change_date === 'string' && DATE.test(act.change_date) ? act.change_date : undefined;
  let due: Date | undefined;
  try {
    // Day X not counted (§2.3): from the change day's midday, 10 WD to the end of the tenth working day.
    if (changed && changed <= wallClock(now).date) due = calendar.deadline(instantAt(changed, parseClock('12:00')), NOTICE_PERIOD).dueAt;
  } catch {
    due = undefined; // a day the working calendar does not cover
  }
  if (!due) v.push({ field: 'application.payload.change_date', description: 'the day the change was made, YYYY-MM-DD, not in the future, within the working calendar' });
  if (v.length > 0) return { violations: v, details: {} };
  return { violations: [], details: { accreditation: id, changes: act.changes, change_date: changed, notice_due: due!.toISOString(), late: now.getTime() > due!.getTime() } };
}
