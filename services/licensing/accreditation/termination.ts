// Procedure A (para 20): the accredited centre notifies its re-registration or the end of its activity and the time it
// needs to complete the procedures the law requires; the provider revokes once that period has run out.
import { wallClock } from '../../kit/calendar/zone.ts';
import type { Applicant } from '../../kit/cases/signers.ts';
import type { FieldViolation } from '../../kit/errors.ts';
import { heldCertificate } from './holder.ts';
import type { AccreditationStore } from './store.ts';

export const TERMINATION_SERVICE = 'accreditation.termination';
/** Para 19.1's two grounds, as RevokeAccreditation names them. */
export const TERMINATION_GROUNDS = ['termination', 'reregistration'];
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The notification names the centre's own certificate in force, the ground and the last day of the period it needs. */
export async function terminationSubmission(store: AccreditationStore, act: Record<string, unknown>, applicant: Applicant, now = new Date()): Promise<{ violations: FieldViolation[]; details: Record<string, unknown> }> {
  const v: FieldViolation[] = [];
  const id = await heldCertificate(store, act, applicant, v);
  if (typeof act.ground !== 'string' || !TERMINATION_GROUNDS.includes(act.ground)) v.push({ field: 'application.payload.ground', description: `one of ${TERMINATION_GROUNDS.join(', ')} (para 19.1)` });
  // The period is what the centre still needs, so it ends after today (a centre already done names tomorrow).
  const until = typeof act.period_end === 'string' && DATE.test(act.period_end) ? act.period_end : undefined;
  if (!until || until <= wallClock(now).date) v.push({ field: 'application.payload.period_end', description: 'the last day of the period needed to complete the procedures, YYYY-MM-DD, after today' });
  if (v.length > 0) return { violations: v, details: {} };
  return { violations: [], details: { accreditation: id, ground: act.ground, period_end: until } };
}
