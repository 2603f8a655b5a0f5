// What each act of procedures B and C must say besides the engine's fields (§2.9, §3.9), and its signed record.
import * as grpc from '@grpc/grpc-js';
import type { Knex } from 'knex';
import type { SignedEnvelope } from '../../../gen/ruqsat/common/v1/common.ts';
import { calendar } from '../../kit/calendar/index.ts';
import { instantAt, wallClock } from '../../kit/calendar/zone.ts';
import { fromEnvelope } from '../../kit/cases/view.ts';
import { invalidArgument, RuqsatError, type FieldViolation } from '../../kit/errors.ts';
import type { CaseState, WorkflowEvent } from '../../kit/workflow/index.ts';
import type { AccreditationStore } from './store.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const text = (act: Record<string, unknown>, k: string) => typeof act[k] === 'string' && (act[k] as string).trim() !== '' && (act[k] as string).length <= 10_000;

/** The texts the Rules require of an act at `step` (the step the case was at), as field violations. */
export function actViolations(step: string, event: WorkflowEvent, act: Record<string, unknown>, after: CaseState, now: Date): FieldViolation[] {
  const v: FieldViolation[] = [];
  const need = (k: string, description: string) => {
    if (!text(act, k)) v.push({ field: `act.payload.${k}`, description });
  };
  if (event.type === 'record_finding') {
    // Para 21: the explanation with its objections is considered, and the centre told the result.
    if (step === 'explanations' && event.exit !== 'no_explanation') {
      need('explanation', 'the centre\u2019s explanation (with its objections), as received');
      need('answer', 'the provider\u2019s consideration of the explanation, as told to the centre');
    }
    // Para 22: objections to the act are considered and the recipient informed of the result.
    if (step === 'objections') {
      need('objections', 'the centre\u2019s explanations and objections to the act, or "none received"');
      need('answer', 'the result of considering them, as told to the centre');
    }
    if (step === 'recommendations' || step === 'review') need('recommendations', 'the written recommendations to eliminate the violations');
  }
  if (event.type === 'convene_commission' && step === 'examination_notice') {
    // Para 21: the notice gives the date and subject; the examination is held within 6 WD of it.
    need('subject', 'the subject of the on-site examination');
    const due = after.steps.find((r) => r.step === 'examination' && !r.completedAt)!.dueAt;
    const date = typeof act.examination_date === 'string' && DATE.test(act.examination_date) ? act.examination_date : undefined;
    const today = wallClock(now).date;
    if (!date || date < today || instantAt(date, 0).getTime() > due.getTime() || !calendar.isWorkingDay(date)) {
      v.push({ field: 'act.payload.examination_date', description: `a working day from ${today} to ${wallClock(due).date} (6 WD from the notice)` });
    }
  }
  if (event.type === 'refuse' && (step === 'remediation' || step === 'measures')) need('report', 'the centre\u2019s report that the violations were eliminated (para 23) or the measures taken (para 24)');
  return v;
}

/** Refuses an act whose texts are missing, then keeps the signed act (votes are kept with the act they sign). */
export async function recordRevocationAct(
  trx: Knex.Transaction,
  store: AccreditationStore,
  ctx: { row: { id: string }; step: string; state: CaseState; event: WorkflowEvent; act: Record<string, unknown>; envelope: SignedEnvelope },
): Promise<void> {
  const { step, event } = ctx;
  // Para 22: an act with the no-violation mark ends the case there; it cannot lead on to objections.
  if (step === 'examination_act' && event.type === 'record_finding' && !event.complies) {
    throw new RuqsatError(grpc.status.FAILED_PRECONDITION, 'NO_VIOLATIONS_ENDS_CASE', 'an examination act without violations ends the case: adopt it with refuse');
  }
  const now = new Date();
  const v = actViolations(step, event, ctx.act, ctx.state, now);
  if (v.length > 0) throw invalidArgument(v);
  if (event.type === 'vote') return;
  const exit = event.type === 'record_finding' ? (event.exit ?? '') : '';
  await store.insertRevocationAct(trx, { application_id: ctx.row.id, step, act: event.type, exit, envelope: fromEnvelope(ctx.envelope), at: now });
}
