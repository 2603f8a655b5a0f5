// accreditation.certifying_center: the 2022 Rules (v2) on the real calendar — 13 WD across Nauryz and the May holidays,
// a completeness refusal after the hearing — and the 2014 regulation (v1) resolved for applications received before 2022's.
import { expect } from 'chai';
import { calendar, CalendarYearNotCovered } from '../../../services/kit/calendar/index.ts';
import { ACCREDITATION_CERTIFYING_CENTER, ACCREDITATION_CERTIFYING_CENTER_2014, ACCREDITATION_VERSIONS } from '../../../services/kit/workflow/accreditation.ts';
import { ACCREDITATION_CHANGES, ACCREDITATION_REVOCATION, ACCREDITATION_TERMINATION } from '../../../services/kit/workflow/accreditation-revocation.ts';
import {
  apply, applicantStatus, DefinitionRegistry, definitionViolations, overdue, quorumShortfall, start, type CaseState, type CommissionMember, type WorkflowEvent,
} from '../../../services/kit/workflow/index.ts';
import { RuqsatError } from '../../../services/kit/errors.ts';
import { at, dueOf, ok, refused, run } from './helpers.ts';

const V2 = ACCREDITATION_CERTIFYING_CENTER;
const V1 = ACCREDITATION_CERTIFYING_CENTER_2014;
const APP = {
  applicantKind: 'legal_entity' as const,
  attachments: V2.requiredAttachments.map((a) => a.id),
};
const COMMISSION: CommissionMember[] = [
  { id: 'm-provider', body: 'provider', position: 'member' },
  { id: 'm-tech', body: 'technical_regulation', position: 'member' },
  { id: 'm-ns', body: 'national_security', position: 'member' },
];
const FIVE: CommissionMember[] = [
  { id: 'm-chair', body: 'provider', position: 'chair' },
  { id: 'm-secretary', body: 'provider', position: 'secretary' },
  ...COMMISSION,
];
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
    // Early refusals end the case where they happen: incomplete documents (para 9), the minutes (para 12).
    expect(V2.refusalPoints.map((p) => [p.step, p.role])).to.deep.equal([['completeness', 'executor'], ['documentary_inspection', 'commission_member'], ['result', 'signatory']]);
    expect(V2.steps.find((x) => x.id === 'act')!.quorum).to.deep.include({ share: [2, 3], requiredBodies: ['national_security'] });
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
      ['2026-03-19T11:00', { type: 'convene_commission', actor: 'executor', members: COMMISSION }], // notice; letter to the members
      ['2026-03-27T10:00', { type: 'record_finding', actor: 'commission_member', complies: true }],
      ['2026-03-27T11:00', { type: 'record_finding', actor: 'executor', complies: true }], // on-site notice
      ['2026-04-06T15:00', { type: 'record_finding', actor: 'commission_member', complies: true }],
      ['2026-04-06T16:00', { type: 'vote', actor: 'commission_member', actorId: 'm-provider', signs: true }],
      ['2026-04-06T16:10', { type: 'vote', actor: 'commission_member', actorId: 'm-tech', signs: false, reasons: ['item 15: the log book is not bound'] }],
      ['2026-04-06T16:20', { type: 'vote', actor: 'commission_member', actorId: 'm-ns', signs: true }],
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
    expect(audits.map((a) => a.to.status)).to.deep.equal(['registered', ...Array(10).fill('in_progress'), 'issued']);
    expect(state.votes!.map((v) => [v.memberId, v.signs])).to.deep.equal([['m-provider', true], ['m-tech', false], ['m-ns', true]]);
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
    // The refusal of further consideration ends the case at the completeness step (para 9), reasoned, after the hearing.
    expect(refused(apply(V2, objected, { type: 'refuse', actor: 'signatory', reasons }, at('2026-05-06T15:00'))).reason).to.equal('WRONG_ROLE');
    const done = ok(apply(V2, objected, { type: 'refuse', actor: 'executor', reasons }, at('2026-05-06T15:00'))).state;
    expect(done).to.deep.include({ outcome: 'refused', refusal: { reasons, signedBy: 'executor' } });
    expect(done.closedAt!.getTime()).to.be.below(dueOf(s, 'completeness').getTime());
    expect(overdue(done, at('2026-06-01T12:00'))).to.deep.equal([]);
  });

  it('refuses early only after the hearing, and with reasons', () => {
    const s = run(V2, start(V2, at('2026-05-04T10:00')), [
      ['2026-05-04T10:30', { type: 'register', actor: 'registrar', registrationNo: 'AQK-2026-0058' }],
    ]).state;
    expect(refused(apply(V2, s, { type: 'refuse', actor: 'executor', reasons: ['no CIPF certificates'] }, at('2026-05-04T11:00'))).reason).to.equal('HEARING_REQUIRED');
    const noticed = ok(apply(V2, s, { type: 'preliminary_refusal', actor: 'executor', reasons: ['no CIPF certificates'] }, at('2026-05-04T11:00'))).state;
    expect(refused(apply(V2, noticed, { type: 'refuse', actor: 'executor', reasons: ['no CIPF certificates'] }, at('2026-05-04T12:00'))).reason).to.equal('HEARING_OPEN');
    // The window ran out without an objection: refused, and the reasons are required.
    expect(refused(apply(V2, noticed, { type: 'refuse', actor: 'executor', reasons: [] }, at('2026-05-08T09:00'))).reason).to.equal('INVALID_ARGUMENT');
    expect(ok(apply(V2, noticed, { type: 'refuse', actor: 'executor', reasons: ['no CIPF certificates'] }, at('2026-05-08T09:00'))).state.outcome).to.equal('refused');
  });

  describe('the commission\u2019s act (para 13)', () => {
    const toAct = (members = COMMISSION) => run(V2, start(V2, at('2026-03-17T10:00'), calendar, { application: APP }), [
      ['2026-03-17T11:00', { type: 'register', actor: 'registrar', registrationNo: 'AQK-2026-0031' }],
      ['2026-03-18T10:00', { type: 'record_finding', actor: 'executor', complies: true }],
      ['2026-03-18T11:00', { type: 'convene_commission', actor: 'executor', members }],
      ['2026-03-20T10:00', { type: 'record_finding', actor: 'commission_member', complies: true }],
      ['2026-03-20T11:00', { type: 'record_finding', actor: 'executor', complies: true }],
      ['2026-03-27T15:00', { type: 'record_finding', actor: 'commission_member', complies: true }],
    ]).state;
    const vote = (s: CaseState, id: string, signs: boolean, when = '2026-03-27T16:00') =>
      ok(apply(V2, s, { type: 'vote', actor: 'commission_member', actorId: id, signs, reasons: signs ? undefined : ['disagrees'] }, at(when))).state;
    const adopt = (s: CaseState) => apply(V2, s, { type: 'record_finding', actor: 'commission_member', complies: true }, at('2026-03-27T17:00'));

    it('two thirds without the national-security member is not adopted, and nothing changes', () => {
      const s0 = toAct(FIVE);
      let s = vote(s0, 'm-provider', true);
      s = vote(s, 'm-tech', true);
      s = vote(s, 'm-chair', true);
      s = vote(s, 'm-secretary', true);
      const e = refused(adopt(s));
      expect(e.code).to.equal(9); // FAILED_PRECONDITION
      expect(e.reason).to.equal('REQUIRED_SIGNATURE_MISSING');
      expect(e.metadata).to.include({ body: 'national_security', signatures: '4', members: '5' });
      expect(s.step).to.equal('act');
      expect(ok(adopt(vote(s, 'm-ns', true))).state.step).to.equal('decision');
    });

    it('the national-security signature without two thirds is not adopted either; a dissent needs reasons and counts once', () => {
      let s = vote(toAct(FIVE), 'm-ns', true);
      s = vote(s, 'm-provider', true);
      s = vote(s, 'm-tech', false);
      const e = refused(adopt(s));
      expect([e.reason, e.metadata.needed]).to.deep.equal(['QUORUM_NOT_MET', '4']);
      expect(refused(apply(V2, s, { type: 'vote', actor: 'commission_member', actorId: 'm-tech', signs: true }, at('2026-03-27T16:30'))).reason).to.equal('ALREADY_VOTED');
      expect(refused(apply(V2, s, { type: 'vote', actor: 'commission_member', actorId: 'm-chair', signs: false }, at('2026-03-27T16:30'))).reason).to.equal('INVALID_ARGUMENT');
      expect(refused(apply(V2, s, { type: 'vote', actor: 'commission_member', actorId: 'outsider', signs: true }, at('2026-03-27T16:30'))).reason).to.equal('NOT_A_COMMISSION_MEMBER');
      s = vote(s, 'm-chair', true);
      expect(refused(adopt(s)).reason).to.equal('QUORUM_NOT_MET'); // 3 of 5: the dissent is recorded, not counted
      s = vote(s, 'm-secretary', true);
      expect(ok(adopt(s)).state.finding).to.deep.equal({ complies: true, reasons: [] });
    });

    it('the act says what the inspection found; no vote outside the act step', () => {
      const s = vote(vote(toAct(), 'm-ns', true), 'm-provider', true);
      expect(refused(apply(V2, s, { type: 'record_finding', actor: 'commission_member', complies: false, reasons: ['x'] }, at('2026-03-27T17:00'))).reason).to.equal('ACT_CONTRADICTS_FINDING');
      const early = run(V2, start(V2, at('2026-03-17T10:00')), [['2026-03-17T11:00', { type: 'register', actor: 'registrar', registrationNo: 'A' }]]).state;
      expect(refused(apply(V2, early, { type: 'vote', actor: 'commission_member', actorId: 'm-ns', signs: true }, at('2026-03-17T12:00'))).reason).to.equal('STEP_OUT_OF_ORDER');
    });

    it('the revocation examination\u2019s rule (para 22): at least 3 of at least 5 members, the secretary not counted', () => {
      const rule = { minSignatures: 3, minMembers: 5, uncounted: ['secretary'], basis: 'para 22' };
      const votes = (ids: string[]) => ids.map((memberId) => ({ step: 'examination', memberId, signs: true, at: at('2026-03-27T16:00') }));
      expect(quorumShortfall(rule, COMMISSION, votes(['m-provider', 'm-tech', 'm-ns']))?.reason).to.equal('COMMISSION_TOO_SMALL');
      expect(quorumShortfall(rule, FIVE, votes(['m-provider', 'm-secretary', 'm-ns']))?.reason).to.equal('QUORUM_NOT_MET');
      expect(quorumShortfall(rule, FIVE, votes(['m-provider', 'm-chair', 'm-ns']))).to.equal(undefined);
    });
  });

  describe('revocation on a complaint (procedure B, paras 21–23)', () => {
    const B = ACCREDITATION_REVOCATION;
    const SEVEN: CommissionMember[] = [...FIVE, { id: 'm-ns2', body: 'national_security', position: 'member' }, { id: 'm-tech3', body: 'technical_regulation', position: 'member' }];

    const WD = (from: Date, amount: number) => calendar.deadline(from, { unit: 'working_days', amount }).dueAt;

    it('escalates on no explanation within 30 WD (only once they ran out), adopts the act by 3 besides the secretary, agrees a longer remediation, then reminds and revokes', () => {
      expect(definitionViolations(B)).to.deep.equal([]);
      const s0 = start(B, at('2026-02-02T10:00'), calendar, { application: { applicantKind: 'individual' } });
      let { state } = run(B, s0, [
        ['2026-02-02T11:00', { type: 'register', actor: 'registrar', registrationNo: 'ISC-C-2026-0004' }],
        ['2026-02-05T10:00', { type: 'record_finding', actor: 'executor', complies: true }], // request for explanations: 3 WD
      ]);
      expect(dueOf(state, 'explanations')).to.deep.equal(at('2026-03-20T18:30')); // 30 WD: Monday 9 March off for 8 March, a Sunday
      const noExplanation: WorkflowEvent = { type: 'record_finding', actor: 'executor', complies: true, reasons: ['no explanation within 30 WD'], exit: 'no_explanation' };
      expect(refused(apply(B, state, noExplanation, at('2026-03-19T10:00'))).reason).to.equal('PERIOD_NOT_OVER');
      expect(refused(apply(B, state, { ...noExplanation, exit: 'elsewhere' } as WorkflowEvent, at('2026-03-23T10:00'))).code).to.equal(3);
      state = run(B, state, [
        ['2026-03-23T10:00', noExplanation],
        ['2026-03-23T11:00', { type: 'convene_commission', actor: 'executor', members: SEVEN }],
        ['2026-03-27T15:00', { type: 'record_finding', actor: 'commission_member', complies: true, reasons: ['item 13: the CRL has not been published for 40 days'] }],
        ['2026-03-27T16:00', { type: 'vote', actor: 'commission_member', actorId: 'm-secretary', signs: true }],
        ['2026-03-27T16:05', { type: 'vote', actor: 'commission_member', actorId: 'm-chair', signs: true }],
        ['2026-03-27T16:10', { type: 'vote', actor: 'commission_member', actorId: 'm-ns', signs: true }],
      ]).state;
      expect(state.step).to.equal('examination_act');
      // Two counted signatures and the secretary's: not valid (para 22); nor can a no-violation closure skip the rule.
      expect(refused(apply(B, state, { type: 'record_finding', actor: 'commission_member', complies: true, reasons: ['x'] }, at('2026-03-27T17:00'))).reason).to.equal('QUORUM_NOT_MET');
      state = run(B, state, [
        ['2026-03-27T16:20', { type: 'vote', actor: 'commission_member', actorId: 'm-tech', signs: true }],
        ['2026-03-27T17:00', { type: 'record_finding', actor: 'commission_member', complies: true, reasons: ['item 13: the CRL has not been published for 40 days'] }],
        ['2026-03-31T10:00', { type: 'record_finding', actor: 'executor', complies: true, reasons: ['objections answered: not founded'] }],
        ['2026-03-31T11:00', { type: 'record_finding', actor: 'executor', complies: true }], // recommendations sent
      ]).state;
      const due60 = dueOf(state, 'remediation');
      expect(due60).to.deep.equal(WD(at('2026-03-31T11:00'), 60));
      // A longer period by agreement on the centre's explanation (para 21); the case's term moves with it.
      expect(refused(apply(B, state, { type: 'agree_period', actor: 'executor', until: due60, reasons: ['x'] }, at('2026-04-01T10:00'))).code).to.equal(3);
      const agreed = ok(apply(B, state, { type: 'agree_period', actor: 'executor', until: at('2026-08-14T18:30'), reasons: ['new HSM delivery needs 80 WD'] }, at('2026-04-01T10:00'))).state;
      expect(dueOf(agreed, 'remediation')).to.deep.equal(at('2026-08-14T18:30'));
      expect(agreed.dueAt.getTime() - state.dueAt.getTime()).to.equal(at('2026-08-14T18:30').getTime() - due60.getTime());
      const missed: WorkflowEvent = { type: 'record_finding', actor: 'executor', complies: true, reasons: ['no report by the agreed day'] };
      expect(refused(apply(B, agreed, missed, at('2026-08-14T10:00'))).reason).to.equal('PERIOD_NOT_OVER');
      state = run(B, agreed, [
        ['2026-08-17T10:00', missed],
        ['2026-08-18T10:00', { type: 'record_finding', actor: 'executor', complies: true, reasons: ['no report after the reminder'] }],
        ['2026-08-19T10:00', { type: 'draft_result', actor: 'head' }],
        ['2026-08-19T15:00', { type: 'sign', actor: 'head' }],
      ]).state;
      expect(state.steps.map((r) => r.step)).to.deep.equal(['registration', 'explanations_request', 'explanations', 'examination_notice', 'examination', 'examination_act', 'objections', 'recommendations', 'remediation', 'reminder', 'decision', 'revocation']);
      expect(dueOf(state, 'examination')).to.deep.equal(WD(at('2026-03-23T11:00'), 6));
      expect(dueOf(state, 'reminder')).to.deep.equal(WD(at('2026-08-17T10:00'), 2));
      expect(state.outcome).to.equal('issued');
      expect(overdue(state, at('2026-09-01T12:00'))).to.deep.equal([]);
    });

    it('ends without revocation: the act\u2019s no-violation mark (adopted by its rule), or the report that the violations were eliminated; a commission of four cannot examine', () => {
      const s0 = start(B, at('2026-02-02T10:00'), calendar, { application: { applicantKind: 'individual' } });
      const toAct = (members: CommissionMember[], complies: boolean) => run(B, s0, [
        ['2026-02-02T11:00', { type: 'register', actor: 'registrar', registrationNo: 'X' }],
        ['2026-02-03T10:00', { type: 'record_finding', actor: 'executor', complies: true }],
        ['2026-02-04T10:00', { type: 'record_finding', actor: 'executor', complies: true, reasons: ['disagrees without grounds'], exit: 'disagreement' }],
        ['2026-02-04T11:00', { type: 'convene_commission', actor: 'executor', members }],
        ['2026-02-06T10:00', { type: 'record_finding', actor: 'commission_member', complies, reasons: complies ? [] : ['no violations'] }],
        ...(['m-chair', 'm-provider', 'm-tech'] as const).map((id): [string, WorkflowEvent] => ['2026-02-06T11:00', { type: 'vote', actor: 'commission_member', actorId: id, signs: true }]),
      ]).state;
      expect(refused(apply(B, toAct(FIVE.slice(0, 4), true), { type: 'record_finding', actor: 'commission_member', complies: true }, at('2026-02-06T12:00'))).reason).to.equal('COMMISSION_TOO_SMALL');
      const clean = toAct(FIVE, false);
      expect(refused(apply(B, clean, { type: 'refuse', actor: 'executor' }, at('2026-02-06T12:00'))).reason).to.equal('WRONG_ROLE');
      const closed = ok(apply(B, clean, { type: 'refuse', actor: 'commission_member' }, at('2026-02-06T12:00'))).state;
      expect(closed).to.deep.include({ outcome: 'refused', refusal: { reasons: ['no violations'], signedBy: 'commission_member' } });
      const fewer = run(B, s0, [
        ['2026-02-02T11:00', { type: 'register', actor: 'registrar', registrationNo: 'X' }],
        ['2026-02-03T10:00', { type: 'record_finding', actor: 'executor', complies: true }],
        ['2026-02-04T10:00', { type: 'record_finding', actor: 'executor', complies: true, reasons: ['disagrees without grounds'], exit: 'disagreement' }],
        ['2026-02-04T11:00', { type: 'convene_commission', actor: 'executor', members: FIVE }],
        ['2026-02-06T10:00', { type: 'record_finding', actor: 'commission_member', complies: false, reasons: ['no violations'] }],
        ['2026-02-06T11:00', { type: 'vote', actor: 'commission_member', actorId: 'm-chair', signs: true }],
      ]).state;
      expect(refused(apply(B, fewer, { type: 'refuse', actor: 'commission_member' }, at('2026-02-06T12:00'))).reason).to.equal('QUORUM_NOT_MET');
      // Explanation given: recommendations, and the report of elimination within the period closes the case.
      const remedied = run(B, s0, [
        ['2026-02-02T11:00', { type: 'register', actor: 'registrar', registrationNo: 'X' }],
        ['2026-02-03T10:00', { type: 'record_finding', actor: 'executor', complies: true }],
        ['2026-02-10T10:00', { type: 'record_finding', actor: 'executor', complies: true, reasons: ['the centre admits the violation'] }],
        ['2026-02-10T11:00', { type: 'record_finding', actor: 'executor', complies: true }],
        ['2026-03-02T10:00', { type: 'refuse', actor: 'head', reasons: ['report of 2 March: violations eliminated'] }],
      ]).state;
      expect(remedied.steps.map((r) => r.step)).to.deep.equal(['registration', 'explanations_request', 'explanations', 'recommendations', 'remediation']);
      expect(remedied.outcome).to.equal('refused');
    });

    it('procedure C joins B at the examination; its definition is sound and exits must name known steps', () => {
      expect(definitionViolations(ACCREDITATION_CHANGES)).to.deep.equal([]);
      const broken = { ...B, steps: B.steps.map((s) => (s.id === 'objections' ? { ...s, exits: [{ id: 'x', to: 'nowhere', basis: 'b' }] } : s)) };
      expect(definitionViolations(broken).map((v) => v.field)).to.include('steps[6].exits[0].to');
      const C = ACCREDITATION_CHANGES;
      const s0 = start(C, at('2026-02-02T10:00'), calendar, { application: { applicantKind: 'legal_entity' } });
      const { state } = run(C, s0, [
        ['2026-02-02T11:00', { type: 'register', actor: 'registrar', registrationNo: 'ISC-CH-1' }],
        ['2026-02-05T10:00', { type: 'record_finding', actor: 'executor', complies: true, reasons: ['backup HSM moved to an unlisted site'] }],
      ]);
      expect(refused(apply(C, state, { type: 'record_finding', actor: 'head', complies: true }, at('2026-02-06T10:00'))).reason).to.equal('PERIOD_NOT_OVER');
      const after = ok(apply(C, state, { type: 'record_finding', actor: 'head', complies: true, reasons: ['measures not taken'] }, new Date(dueOf(state, 'measures').getTime() + 60_000))).state;
      expect(after.step).to.equal('examination_notice');
    });

    it('procedure A waits out the period recorded from the notification, and its term moves with it', () => {
      const A = ACCREDITATION_TERMINATION;
      expect(definitionViolations(A)).to.deep.equal([]);
      const s0 = start(A, at('2026-02-02T10:00'), calendar, { application: { applicantKind: 'legal_entity' } });
      const { state } = run(A, s0, [
        ['2026-02-02T11:00', { type: 'register', actor: 'registrar', registrationNo: 'ISC-A-1' }],
        ['2026-02-02T12:00', { type: 'agree_period', actor: 'executor', until: at('2026-03-02T18:30'), reasons: ['as notified'] }],
      ]);
      expect(dueOf(state, 'period').toISOString()).to.equal(at('2026-03-02T18:30').toISOString());
      expect(state.dueAt.getTime()).to.be.greaterThan(at('2026-03-02T18:30').getTime());
      expect(refused(apply(A, state, { type: 'record_finding', actor: 'executor', complies: true, reasons: ['over'] }, at('2026-03-02T10:00'))).reason).to.equal('PERIOD_NOT_OVER');
      const after = ok(apply(A, state, { type: 'record_finding', actor: 'executor', complies: true, reasons: ['over'] }, at('2026-03-03T10:00'))).state;
      expect(after.step).to.equal('decision');
    });
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
