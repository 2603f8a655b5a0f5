// accreditation.certifying_center: the 2022 Rules (v2) on the real calendar — 13 WD across Nauryz and the May holidays,
// a completeness refusal after the hearing — and the 2014 regulation (v1) resolved for applications received before 2022's.
import { expect } from 'chai';
import { calendar, CalendarYearNotCovered } from '../../../services/kit/calendar/index.ts';
import {
  ACCREDITATION_CERTIFYING_CENTER, ACCREDITATION_CERTIFYING_CENTER_2014, ACCREDITATION_VERSIONS,
} from '../../../services/kit/workflow/accreditation.ts';
import {
  apply, applicantStatus, DefinitionRegistry, definitionViolations, overdue, start, type CaseState, type WorkflowEvent,
} from '../../../services/kit/workflow/index.ts';
import { RuqsatError } from '../../../services/kit/errors.ts';
import { at, dueOf, ok, refused, run } from './helpers.ts';

const V2 = ACCREDITATION_CERTIFYING_CENTER;
const V1 = ACCREDITATION_CERTIFYING_CENTER_2014;
const APP = {
  applicantKind: 'legal_entity' as const,
  attachments: V2.requiredAttachments.map((a) => a.id),
};
// Almaty was UTC+6 until March 2024; the helpers' `at` writes +05:00.
const almaty2022 = (local: string) => new Date(`${local}:00+06:00`);

function thrown(fn: () => unknown): RuqsatError {
  try {
    fn();
  } catch (e) {
    return e as RuqsatError;
  }
  throw new Error('expected an error');
}

describe('kit/workflow: accreditation of certifying centres', () => {
  it('v2 follows the 2022 Rules: same day, 2, same day, 3, same day, 6, same day, 1, 1 WD — 13 WD in all, the result by the authorised person', () => {
    expect(definitionViolations(V2)).to.deep.equal([]);
    expect(V2.steps.map((s) => [s.id, s.role, s.limit.unit, s.limit.amount])).to.deep.equal([
      ['registration', 'registrar', 'same_day', 0],
      ['completeness', 'executor', 'working_days', 2],
      ['commission_notice', 'executor', 'same_day', 0],
      ['documentary_inspection', 'commission_member', 'working_days', 3],
      ['onsite_notice', 'executor', 'same_day', 0],
      ['onsite_inspection', 'commission_member', 'working_days', 6],
      ['act', 'commission_member', 'same_day', 0],
      ['decision', 'head', 'working_days', 1],
      ['result', 'signatory', 'working_days', 1],
    ]);
    const sum = V2.steps.filter((s) => s.limit.unit === 'working_days').reduce((n, s) => n + s.limit.amount, 0);
    expect([sum, V2.deadline]).to.deep.equal([13, { unit: 'working_days', amount: 13 }]);
    expect(V2.refusalPoints.map((p) => [p.step, p.role])).to.deep.equal([['result', 'signatory']]);
    expect(V2.fees.licenceFee).to.equal(false);
    expect(V2.applicantKinds).to.deep.equal(['legal_entity']);
    expect(V2.legalBasis.map((a) => a.number)).to.include('224/НҚ');
  });

  it('13 WD from Tuesday 17 March 2026 end on Wednesday 8 April: 23–25 March (Nauryz) are not counted, every stage on its day', () => {
    const s0 = start(V2, at('2026-03-17T10:00'), calendar, { application: APP });
    expect(s0.dueAt).to.deep.equal(at('2026-04-08T18:30'));
    const { state, audits } = run(V2, s0, [
      ['2026-03-17T11:00', { type: 'register', actor: 'registrar', registrationNo: 'AQK-2026-0031', executorId: 'isc-expert-1' }],
      ['2026-03-19T10:00', { type: 'record_finding', actor: 'executor', complies: true }],
      ['2026-03-19T11:00', { type: 'record_finding', actor: 'executor', complies: true }], // notice; letter to the members
      ['2026-03-27T10:00', { type: 'record_finding', actor: 'commission_member', complies: true }],
      ['2026-03-27T11:00', { type: 'record_finding', actor: 'executor', complies: true }], // on-site notice
      ['2026-04-06T15:00', { type: 'record_finding', actor: 'commission_member', complies: true }],
      ['2026-04-06T17:00', { type: 'record_finding', actor: 'commission_member', complies: true }], // the act, the same day
      ['2026-04-07T11:00', { type: 'draft_result', actor: 'head' }], // the decision to issue, in line with the act
      ['2026-04-08T10:00', { type: 'sign', actor: 'signatory', actorId: 'isc-authorised-person' }],
    ]);
    expect(state.steps.map((r) => [r.step, r.dueAt])).to.deep.equal([
      ['registration', at('2026-03-17T18:30')],
      ['completeness', at('2026-03-19T18:30')], // 2 WD
      ['commission_notice', at('2026-03-19T18:30')],
      ['documentary_inspection', at('2026-03-27T18:30')], // 3 WD: 20, 26, 27 March
      ['onsite_notice', at('2026-03-27T18:30')],
      ['onsite_inspection', at('2026-04-06T18:30')], // 6 WD: 30, 31 March, 1, 2, 3, 6 April
      ['act', at('2026-04-06T18:30')],
      ['decision', at('2026-04-07T18:30')], // the next WD
      ['result', at('2026-04-08T18:30')], // 1 WD, = the 13 WD
    ]);
    expect(state.outcome).to.equal('issued');
    expect(audits.map((a) => a.to.status)).to.deep.equal(['registered', ...Array(7).fill('in_progress'), 'issued']);
    expect(overdue(state, at('2026-05-01T12:00'))).to.deep.equal([]);
  });

  it('13 WD across the May holidays: received Thursday 30 April 2026, due Friday 22 May (1, 7 and 11 May off); on Saturday 2 May, due Monday 25 May', () => {
    expect(start(V2, at('2026-04-30T15:00')).dueAt).to.deep.equal(at('2026-05-22T18:30'));
    // Received on Saturday evening through the portal (para 7): registered on Monday 4 May, which is then not counted.
    const late = start(V2, at('2026-05-02T21:00'));
    expect(dueOf(late, 'registration')).to.deep.equal(at('2026-05-04T18:30'));
    expect(late.dueAt).to.deep.equal(at('2026-05-25T18:30'));
  });

  it('incomplete documents (para 9): the hearing, an objection, and the reasoned refusal within the 2 WD window', () => {
    const s = run(V2, start(V2, at('2026-05-04T10:00')), [
      ['2026-05-04T10:30', { type: 'register', actor: 'registrar', registrationNo: 'AQK-2026-0057', executorId: 'isc-expert-2' }],
    ]).state;
    expect(dueOf(s, 'completeness')).to.deep.equal(at('2026-05-06T18:30'));
    const reasons = ['incomplete documents: no CIPF conformity certificates (List item 9.10)'];
    const noticed = ok(apply(V2, s, { type: 'preliminary_refusal', actor: 'executor', reasons }, at('2026-05-05T10:00'))).state;
    expect(noticed.hearing!.objectionUntil).to.deep.equal(at('2026-05-08T18:30')); // 6 May, then 8 May: the 7th is off
    expect(applicantStatus(noticed)).to.equal('awaiting_applicant');
    const objected = ok(apply(V2, noticed, { type: 'objection_received', actor: 'applicant', text: 'the certificates are in the hardware file' }, at('2026-05-06T12:00'))).state;
    const found = ok(apply(V2, objected, { type: 'record_finding', actor: 'executor', complies: false, reasons }, at('2026-05-06T15:00'))).state;
    // Ended in law; carried past the commission's steps at once, as the engine has one way on.
    let c: CaseState = found;
    for (let step = V2.steps.find((x) => x.id === c.step)!; step.next; step = V2.steps.find((x) => x.id === c.step)!) {
      const e: WorkflowEvent = step.actions.includes('draft_result')
        ? { type: 'draft_result', actor: step.role }
        : { type: 'record_finding', actor: step.role, complies: false, reasons };
      c = ok(apply(V2, c, e, at('2026-05-06T15:05'))).state;
    }
    expect(c.step).to.equal('result');
    expect(c.draft).to.equal('refusal'); // the decision follows the finding
    expect(refused(apply(V2, c, { type: 'sign', actor: 'signatory' }, at('2026-05-06T16:00'))).reason).to.equal('DRAFT_IS_REFUSAL');
    expect(refused(apply(V2, c, { type: 'refuse', actor: 'head' }, at('2026-05-06T16:00'))).reason).to.equal('WRONG_ROLE');
    const done = ok(apply(V2, c, { type: 'refuse', actor: 'signatory' }, at('2026-05-06T16:00'))).state;
    expect(done).to.deep.include({ outcome: 'refused', refusal: { reasons, signedBy: 'signatory' } });
    expect(done.closedAt!.getTime()).to.be.below(dueOf(s, 'completeness').getTime());
    expect(overdue(done, at('2026-06-01T12:00'))).to.deep.equal([]);
  });

  describe('versions', () => {
    const registry = new DefinitionRegistry(ACCREDITATION_VERSIONS);

    it('v1 is the 2014 regulation (§2.4): 40 min, 4 h, 2 h, 2 WD, 2 h, 2 h, 30 min, 5 WD, 1 CD, 18 CD, 2 CD', () => {
      expect(definitionViolations(V1)).to.deep.equal([]);
      expect(V1.steps.map((s) => [s.limit.unit, Math.round(s.limit.amount * 60) / 60])).to.deep.equal([
        ['hours', 40 / 60], ['hours', 4], ['hours', 2], ['working_days', 2], ['hours', 2], ['hours', 2], ['hours', 0.5],
        ['working_days', 5], ['calendar_days', 1], ['calendar_days', 18], ['calendar_days', 2],
      ]);
      expect(V1.steps.find((s) => s.id === 'commission_meeting')!.role).to.equal('commission_member');
      expect(V1.legalBasis.map((a) => a.number)).to.include.members(['209', '1222']);
      expect(V1.inForce.until).to.deep.equal(V2.inForce.from);
    });

    it('resolves v1 for an application received before the 2022 Rules came into force, v2 from then on', () => {
      expect(registry.resolve('accreditation.certifying_center', almaty2022('2015-03-02T10:00')).version).to.equal(1);
      expect(registry.resolve('accreditation.certifying_center', almaty2022('2022-10-16T23:59')).version).to.equal(1);
      expect(registry.resolve('accreditation.certifying_center', almaty2022('2022-10-17T00:00')).version).to.equal(2);
      expect(registry.resolve('accreditation.certifying_center', at('2026-03-17T10:00'))).to.equal(V2);
      expect(thrown(() => registry.resolve('accreditation.certifying_center', almaty2022('2014-01-15T10:00'))).reason).to.equal('NO_DEFINITION_IN_FORCE');
      // v1 takes no case received under the 2022 Rules; and the calendar holds 2024–2027, so a 2022 case cannot be timed.
      expect(thrown(() => start(V1, at('2026-03-17T10:00'))).reason).to.equal('DEFINITION_NOT_IN_FORCE');
      expect(() => start(V1, almaty2022('2022-10-10T10:00'))).to.throw(CalendarYearNotCovered);
    });
  });
});
