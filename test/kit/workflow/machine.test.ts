// The case machine's guards and clocks: wrong role, wrong order, samples pauses, a pause that runs out, withdrawal, overdue.
import { expect } from 'chai';
import * as grpc from '@grpc/grpc-js';
import { calendar } from '../../../services/kit/calendar/index.ts';
import { apply, applicantStatus, LICENSE_STS_ORS, overdue, start, type CaseState } from '../../../services/kit/workflow/index.ts';
import { customsCrypto } from './fixtures.ts';
import { at, dueOf, ok, refused, run } from './helpers.ts';

const LIC = LICENSE_STS_ORS;
const atSignature = (): CaseState =>
  run(LIC, start(LIC, at('2026-02-02T09:30')), [
    ['2026-02-02T10:00', { type: 'register', actor: 'registrar', registrationNo: 'S-1' }],
    ['2026-02-05T10:00', { type: 'record_finding', actor: 'executor', complies: true }],
    ['2026-02-05T15:00', { type: 'draft_result', actor: 'executor' }],
  ]).state;

describe('kit/workflow: case machine', () => {
  it('an executor trying to sign gets PERMISSION_DENIED WRONG_ROLE and the state is unchanged', () => {
    const s = atSignature();
    const before = structuredClone(s);
    const err = refused(apply(LIC, s, { type: 'sign', actor: 'executor' }, at('2026-02-06T10:00')));
    expect([err.code, err.reason]).to.deep.equal([grpc.status.PERMISSION_DENIED, 'WRONG_ROLE']);
    expect(err.metadata).to.deep.equal({ expected_role: 'signatory', actual_role: 'executor' });
    expect(s).to.deep.equal(before);
  });

  it('an act of a later step is FAILED_PRECONDITION STEP_OUT_OF_ORDER, whoever sends it', () => {
    const s0 = start(LIC, at('2026-02-02T09:30'));
    for (const [type, actor] of [['sign', 'signatory'], ['draft_result', 'executor'], ['record_finding', 'executor']] as const) {
      const err = refused(apply(LIC, s0, { type, actor, complies: true } as never, at('2026-02-02T11:00')));
      expect([err.code, err.reason, err.metadata.step], type).to.deep.equal([grpc.status.FAILED_PRECONDITION, 'STEP_OUT_OF_ORDER', 'registration']);
    }
    // Registering twice is out of order too: the case has moved on to the review.
    const s1 = ok(apply(LIC, s0, { type: 'register', actor: 'registrar', registrationNo: 'S-2' }, at('2026-02-02T10:00'))).state;
    expect(refused(apply(LIC, s1, { type: 'register', actor: 'registrar', registrationNo: 'S-2' }, at('2026-02-02T10:05'))).reason).to.equal('STEP_OUT_OF_ORDER');
    // An unknown event is bad input, and so is one dated before the last.
    expect(refused(apply(LIC, s1, { type: 'approve', actor: 'executor' } as never, at('2026-02-02T11:00'))).code).to.equal(grpc.status.INVALID_ARGUMENT);
    expect(refused(apply(LIC, s1, { type: 'record_finding', actor: 'executor', complies: true }, at('2026-02-02T09:59'))).code).to.equal(grpc.status.INVALID_ARGUMENT);
  });

  describe('samples pause (customs-conclusion shape, §2.5: 7 WD review, 5 CD for samples not counted)', () => {
    const def = customsCrypto();
    // Received Monday 6 April 2026; the head assigns the same day; review due 15 April, the service 16 April.
    const assigned = (d = def) => {
      const s0 = start(d, at('2026-04-06T10:00'));
      expect(applicantStatus(s0)).to.equal('registered'); // A12: numbered on receipt, no registration step
      const s = ok(apply(d, s0, { type: 'assign_executor', actor: 'head_of_licensing_department', executorId: 'exec-2' }, at('2026-04-06T11:00'))).state;
      expect(dueOf(s, 'review')).to.deep.equal(at('2026-04-15T18:30'));
      expect(s.dueAt).to.deep.equal(at('2026-04-16T18:30'));
      return ok(apply(d, s, { type: 'request_samples', actor: 'executor', what: '2 units of model X' }, at('2026-04-07T10:00')));
    };

    it('a pause of 3 calendar days stops the clock: review and service deadlines move by 3 working days', () => {
      const paused = assigned();
      expect(paused.audit.to.status).to.equal('awaiting_applicant');
      expect(paused.state.pause!.expiresAt).to.deep.equal(at('2026-04-13T18:30')); // 5 CD end on Sunday 12 → Monday 13
      expect(refused(apply(def, paused.state, { type: 'draft_result', actor: 'executor' }, at('2026-04-08T10:00'))).reason).to.equal('CASE_PAUSED');
      expect(overdue(paused.state, at('2026-04-10T09:00'))).to.deep.equal([]);

      const back = ok(apply(def, paused.state, { type: 'documents_received', actor: 'applicant' }, at('2026-04-10T10:00')));
      expect(back.state.pauses).to.deep.equal([{ from: at('2026-04-07T10:00'), to: at('2026-04-10T10:00') }]);
      // 7, 8 and 9 April no longer count: 15 → 20 April for the review, 16 → 21 April for the service.
      expect(dueOf(back.state, 'review')).to.deep.equal(at('2026-04-20T18:30'));
      expect(back.state.dueAt).to.deep.equal(at('2026-04-21T18:30'));
      expect(back.audit.to.status).to.equal('in_progress');
      // The signature's 1 WD counts from the draft, and the pause is behind it.
      const drafted = ok(apply(def, back.state, { type: 'draft_result', actor: 'executor' }, at('2026-04-17T10:00'))).state;
      expect(dueOf(drafted, 'signature')).to.deep.equal(at('2026-04-20T18:30'));
    });

    it('a pause that runs out applies the definition\'s outcome: resume, with the whole 5 CD not counted', () => {
      const paused = assigned().state;
      expect(refused(apply(def, paused, { type: 'pause_expired', actor: 'system' }, at('2026-04-10T10:00'))).reason).to.equal('PAUSE_NOT_EXPIRED');
      expect(overdue(paused, at('2026-04-13T19:00'))).to.deep.equal([{ kind: 'pause', step: 'review', dueAt: at('2026-04-13T18:30') }]);
      const t = ok(apply(def, paused, { type: 'pause_expired', actor: 'system' }, at('2026-04-13T18:30')));
      expect(t.audit).to.include({ action: 'pause_expired', actor: 'system' });
      expect(t.state.phase).to.equal('open');
      // 7–10 April paused (4 WD): review 15 → 21 April, service 16 → 22 April.
      expect(dueOf(t.state, 'review')).to.deep.equal(at('2026-04-21T18:30'));
      expect(t.state.dueAt).to.deep.equal(at('2026-04-22T18:30'));
      expect(refused(apply(def, paused, { type: 'pause_expired', actor: 'executor' }, at('2026-04-13T18:30'))).reason).to.equal('WRONG_ROLE');
    });

    it('a pause that runs out with outcome refusal_ground opens the hearing; the signatory signs the refusal (A5)', () => {
      const d = customsCrypto({ outcome: 'refusal_ground', ground: 'samples not submitted within 5 CD' });
      const t = ok(apply(d, assigned(d).state, { type: 'pause_expired', actor: 'system' }, at('2026-04-13T18:30')));
      expect(t.state.hearing).to.deep.include({ by: 'system', reasons: ['samples not submitted within 5 CD'] });
      expect(t.state.hearing!.objectionUntil).to.deep.equal(at('2026-04-16T18:30')); // from Tuesday 14: 15, 16 April
      expect(t.audit.to.status).to.equal('awaiting_applicant');
      expect(refused(apply(d, t.state, { type: 'draft_result', actor: 'executor', result: 'refusal' }, at('2026-04-15T10:00'))).reason).to.equal('HEARING_OPEN');
      const { state } = run(d, t.state, [
        ['2026-04-17T10:00', { type: 'draft_result', actor: 'executor', result: 'refusal' }],
        ['2026-04-17T12:00', { type: 'refuse', actor: 'signatory', reasons: ['samples not submitted within 5 CD'] }],
      ]);
      expect(state.outcome).to.equal('refused');
    });
  });

  it('withdrawal: only the applicant, only before a result; afterwards the case is closed', () => {
    const s = atSignature();
    expect(refused(apply(LIC, s, { type: 'withdraw', actor: 'executor' }, at('2026-02-06T09:00'))).reason).to.equal('WRONG_ROLE');
    const w = ok(apply(LIC, s, { type: 'withdraw', actor: 'applicant' }, at('2026-02-06T09:00')));
    expect(w.state).to.include({ phase: 'closed', outcome: 'withdrawn' });
    expect([w.audit.from.status, w.audit.to.status]).to.deep.equal(['in_progress', 'withdrawn']);
    const late = refused(apply(LIC, w.state, { type: 'sign', actor: 'signatory' }, at('2026-02-06T10:00')));
    expect([late.code, late.reason]).to.deep.equal([grpc.status.FAILED_PRECONDITION, 'CASE_CLOSED']);
    const issued = ok(apply(LIC, s, { type: 'sign', actor: 'signatory' }, at('2026-02-06T10:00'))).state;
    expect(refused(apply(LIC, issued, { type: 'withdraw', actor: 'applicant' }, at('2026-02-06T11:00'))).reason).to.equal('CASE_CLOSED');
    // Withdrawing while samples are awaited ends the pause too.
    const d = customsCrypto();
    const paused = run(d, start(d, at('2026-04-06T10:00')), [
      ['2026-04-06T11:00', { type: 'assign_executor', actor: 'head_of_licensing_department', executorId: 'e' }],
      ['2026-04-07T10:00', { type: 'request_samples', actor: 'executor' }],
    ]).state;
    const gone = ok(apply(d, paused, { type: 'withdraw', actor: 'applicant' }, at('2026-04-08T10:00'))).state;
    expect([gone.outcome, gone.pause]).to.deep.equal(['withdrawn', undefined]);
  });

  it('overdue lists the open step past its deadline, the case past its term, and steps finished late', () => {
    const s = run(LIC, start(LIC, at('2026-02-02T09:30')), [['2026-02-02T10:00', { type: 'register', actor: 'registrar', registrationNo: 'S-3' }]]).state;
    expect(overdue(s, at('2026-02-19T18:00'))).to.deep.equal([]);
    expect(overdue(s, at('2026-02-20T09:00'))).to.deep.equal([{ kind: 'step', step: 'review', dueAt: at('2026-02-19T18:30') }]);
    expect(overdue(s, at('2026-02-24T09:00'))).to.deep.equal([
      { kind: 'step', step: 'review', dueAt: at('2026-02-19T18:30') },
      { kind: 'case', dueAt: at('2026-02-23T18:30') },
    ]);
    const late = ok(apply(LIC, s, { type: 'record_finding', actor: 'executor', complies: true }, at('2026-02-20T10:00'), calendar)).state;
    expect(overdue(late, at('2026-02-20T11:00'))).to.deep.equal([
      { kind: 'step', step: 'review', dueAt: at('2026-02-19T18:30'), completedAt: at('2026-02-20T10:00') },
    ]);
  });
});
