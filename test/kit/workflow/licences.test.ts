// The three NSC licences (§2.1–2.3) run end to end on the real Kazakh calendar: issue 15 WD, re-issue 3 WD, refusal with hearing.
import { expect } from 'chai';
import * as grpc from '@grpc/grpc-js';
import { calendar } from '../../../services/kit/calendar/index.ts';
import { RuqsatError } from '../../../services/kit/errors.ts';
import {
  apply, applicantStatus, definitionViolations, LICENSE_CRYPTO_DEV, LICENSE_LEAK_DETECTION, NSC_LICENCES, overdue, start,
} from '../../../services/kit/workflow/index.ts';
import { at, dueOf, ok, refused, run } from './helpers.ts';

const APPLICATION = { applicantKind: 'legal_entity' as const, paymentReference: 'EGPG-2026-000123', attachments: ['qualification_requirements_form'] };

describe('kit/workflow: NSC licences', () => {
  it('are valid definitions with the spec\'s steps, limits and refusal signer', () => {
    for (const def of NSC_LICENCES) {
      expect(definitionViolations(def), def.id).to.deep.equal([]);
      expect(def.steps.map((s) => [s.id, s.role, s.limit.unit, s.limit.amount])).to.deep.equal([
        ['registration', 'registrar', 'same_day', 0],
        ['review', 'executor', 'working_days', 13],
        ['drafting', 'executor', 'working_days', 1],
        ['signature', 'signatory', 'working_days', 1],
      ]);
      expect(def.deadline).to.deep.equal({ unit: 'working_days', amount: 15 });
      expect(def.variants.reissue.deadline).to.deep.equal({ unit: 'working_days', amount: 3 });
      expect(def.refusalPoints).to.have.length(1);
      expect(def.refusalPoints[0]).to.include({ step: 'signature', role: 'head_of_licensing_department' });
      expect(def.hearing.enabled).to.equal(true);
      expect(def.legalBasis.map((a) => a.number)).to.include.members(['43', '98/қе', '46/қе', '34/қе']);
    }
    expect(NSC_LICENCES.map((d) => d.subKinds.length)).to.deep.equal([4, 1, 2]);
  });

  for (const def of NSC_LICENCES) {
    it(`${def.id}: received Saturday evening, counts from Monday; 15 WD across Nauryz ends Thursday 9 April 2026`, () => {
      const s0 = start(def, at('2026-03-14T20:00'), calendar, { application: { ...APPLICATION, subKinds: [def.subKinds[0].id] } });
      expect(applicantStatus(s0)).to.equal('delivered');
      expect(s0.step).to.equal('registration');
      // Same day = office close of the first working day the clock runs on.
      expect(dueOf(s0, 'registration')).to.deep.equal(at('2026-03-16T18:30'));
      // 16 March not counted; 23–25 March are Nauryz days off (21–22 fell on the weekend); the 15th WD is 9 April.
      expect(s0.dueAt).to.deep.equal(at('2026-04-09T18:30'));

      const { state, audits } = run(def, s0, [
        ['2026-03-16T10:00', { type: 'register', actor: 'registrar', registrationNo: 'KZ-LIC-2026-0001', executorId: 'exec-1' }],
        ['2026-04-07T11:00', { type: 'record_finding', actor: 'executor', complies: true }],
        ['2026-04-08T12:00', { type: 'draft_result', actor: 'executor' }],
        ['2026-04-09T16:00', { type: 'sign', actor: 'signatory', actorId: 'signatory-7' }],
      ]);
      expect(state.steps.map((r) => [r.step, r.dueAt])).to.deep.equal([
        ['registration', at('2026-03-16T18:30')],
        ['review', at('2026-04-07T18:30')], // 13 WD from registration
        ['drafting', at('2026-04-08T18:30')],
        ['signature', at('2026-04-09T18:30')], // = the overall deadline: 13 + 1 + 1
      ]);
      expect(audits.map((a) => [a.action, a.actor, a.from.status, a.to.status, a.to.step])).to.deep.equal([
        ['register', 'registrar', 'delivered', 'registered', 'review'],
        ['record_finding', 'executor', 'registered', 'in_progress', 'drafting'],
        ['draft_result', 'executor', 'in_progress', 'in_progress', 'signature'],
        ['sign', 'signatory', 'in_progress', 'issued', undefined],
      ]);
      expect(audits[3]).to.include({ actorId: 'signatory-7' });
      expect(audits[3].at).to.deep.equal(at('2026-04-09T16:00'));
      expect(state).to.include({ outcome: 'issued', registrationNo: 'KZ-LIC-2026-0001', executorId: 'exec-1' });
      expect(overdue(state, at('2026-06-01T12:00'))).to.deep.equal([]);
    });
  }

  it('re-issue is a variant: 1 WD review, 3 WD in all, across Nauryz (19 → 27 March 2026)', () => {
    const s0 = start(LICENSE_CRYPTO_DEV, at('2026-03-19T10:00'), calendar, { variant: 'reissue' });
    expect(s0.definition).to.deep.equal({ id: 'license.crypto_dev', version: 1, variant: 'reissue' });
    expect(s0.dueAt).to.deep.equal(at('2026-03-27T18:30')); // 20 March, then 26 and 27 March
    const { state } = run(LICENSE_CRYPTO_DEV, s0, [
      ['2026-03-19T11:00', { type: 'register', actor: 'registrar', registrationNo: 'R-1' }],
      ['2026-03-20T15:00', { type: 'record_finding', actor: 'executor', complies: true }],
      ['2026-03-26T10:00', { type: 'draft_result', actor: 'executor' }],
      ['2026-03-27T09:30', { type: 'sign', actor: 'signatory' }],
    ]);
    expect(state.steps.map((r) => r.dueAt)).to.deep.equal([at('2026-03-19T18:30'), at('2026-03-20T18:30'), at('2026-03-26T18:30'), at('2026-03-27T18:30')]);
    expect(state.outcome).to.equal('issued');
    expect(() => start(LICENSE_CRYPTO_DEV, at('2026-03-19T10:00'), calendar, { variant: 'renewal' })).to.throw(RuqsatError, /no variant 'renewal'/);
  });

  describe('refusal with the hearing (APPC art. 73)', () => {
    // Received Monday 2 February 2026: review due 19 February, the whole service 23 February.
    const registered = () => {
      const s0 = start(LICENSE_LEAK_DETECTION, at('2026-02-02T09:30'));
      expect(s0.dueAt).to.deep.equal(at('2026-02-23T18:30'));
      return run(LICENSE_LEAK_DETECTION, s0, [['2026-02-02T10:00', { type: 'register', actor: 'registrar', registrationNo: 'L-9' }]]).state;
    };
    const reasons = ['no certified specialist on staff'];

    it('preliminary refusal → objection within the window → final refusal signed by the head of the Licensing Department', () => {
      let s = registered();
      expect(dueOf(s, 'review')).to.deep.equal(at('2026-02-19T18:30'));
      // No unfavourable finding before the applicant was heard.
      const early = refused(apply(LICENSE_LEAK_DETECTION, s, { type: 'record_finding', actor: 'executor', complies: false, reasons }, at('2026-02-10T10:00')));
      expect([early.code, early.reason]).to.deep.equal([grpc.status.FAILED_PRECONDITION, 'HEARING_REQUIRED']);

      const notice = ok(apply(LICENSE_LEAK_DETECTION, s, { type: 'preliminary_refusal', actor: 'executor', reasons }, at('2026-02-10T10:00')));
      s = notice.state;
      expect(s.hearing!.objectionUntil).to.deep.equal(at('2026-02-12T18:30')); // 2 WD
      expect(notice.audit.to.status).to.equal('awaiting_applicant');
      const tooSoon = refused(apply(LICENSE_LEAK_DETECTION, s, { type: 'record_finding', actor: 'executor', complies: false, reasons }, at('2026-02-11T10:00')));
      expect(tooSoon.reason).to.equal('HEARING_OPEN');

      const objected = ok(apply(LICENSE_LEAK_DETECTION, s, { type: 'objection_received', actor: 'applicant', text: 'specialist hired 1 Feb' }, at('2026-02-12T12:00')));
      expect(objected.audit.to.status).to.equal('in_progress');
      const { state, audits } = run(LICENSE_LEAK_DETECTION, objected.state, [
        ['2026-02-16T10:00', { type: 'record_finding', actor: 'executor', complies: false, reasons }],
        ['2026-02-17T10:00', { type: 'draft_result', actor: 'executor' }],
      ]);
      expect(state.draft).to.equal('refusal');
      expect(dueOf(state, 'signature')).to.deep.equal(at('2026-02-18T18:30'));
      // The authorised person signs licences, not refusals; and may not sign a refusal in the head's place.
      expect(refused(apply(LICENSE_LEAK_DETECTION, state, { type: 'sign', actor: 'signatory' }, at('2026-02-18T10:00'))).reason).to.equal('DRAFT_IS_REFUSAL');
      const notHead = refused(apply(LICENSE_LEAK_DETECTION, state, { type: 'refuse', actor: 'signatory' }, at('2026-02-18T10:00')));
      expect([notHead.code, notHead.reason]).to.deep.equal([grpc.status.PERMISSION_DENIED, 'WRONG_ROLE']);

      const final = ok(apply(LICENSE_LEAK_DETECTION, state, { type: 'refuse', actor: 'head_of_licensing_department' }, at('2026-02-18T11:00')));
      expect(final.state).to.include({ outcome: 'refused', phase: 'closed' });
      expect(final.state.refusal).to.deep.equal({ reasons, signedBy: 'head_of_licensing_department' });
      expect(final.audit).to.include({ action: 'refuse', actor: 'head_of_licensing_department' });
      expect(final.audit.to.status).to.equal('refused');
      expect(final.state.closedAt!.getTime()).to.be.below(final.state.dueAt.getTime()); // within the 15 WD
      expect(audits.map((a) => a.action)).to.deep.equal(['record_finding', 'draft_result']);
    });

    it('without an objection the finding waits for the window; a late objection is rejected; an upheld objection leads to issue', () => {
      const s = ok(apply(LICENSE_LEAK_DETECTION, registered(), { type: 'preliminary_refusal', actor: 'executor', reasons }, at('2026-02-10T10:00'))).state;
      expect(applicantStatus(s, at('2026-02-12T18:00'))).to.equal('awaiting_applicant');
      expect(refused(apply(LICENSE_LEAK_DETECTION, s, { type: 'objection_received', actor: 'applicant' }, at('2026-02-13T09:00'))).reason).to.equal('OBJECTION_WINDOW_CLOSED');
      const after = ok(apply(LICENSE_LEAK_DETECTION, s, { type: 'record_finding', actor: 'executor', complies: false, reasons }, at('2026-02-13T09:00')));
      expect(after.state.step).to.equal('drafting');
      expect(after.state.hearing!.closedAt).to.deep.equal(at('2026-02-13T09:00'));
      // The objection convinced the executor: the finding may be favourable, and then only an issue can be drafted.
      const upheld = run(LICENSE_LEAK_DETECTION, s, [
        ['2026-02-11T10:00', { type: 'objection_received', actor: 'applicant' }],
        ['2026-02-11T15:00', { type: 'record_finding', actor: 'executor', complies: true }],
      ]).state;
      expect(refused(apply(LICENSE_LEAK_DETECTION, upheld, { type: 'draft_result', actor: 'executor', result: 'refusal' }, at('2026-02-12T10:00'))).reason).to.equal('DRAFT_CONTRADICTS_FINDING');
      expect(run(LICENSE_LEAK_DETECTION, upheld, [
        ['2026-02-12T10:00', { type: 'draft_result', actor: 'executor' }],
        ['2026-02-12T16:00', { type: 'sign', actor: 'signatory' }],
      ]).state.outcome).to.equal('issued');
    });
  });

  it('rejects an application without the fee reference, the form, or with a sub-kind the licence does not offer', () => {
    const err = (() => {
      try {
        start(LICENSE_CRYPTO_DEV, at('2026-03-16T10:00'), calendar, { application: { applicantKind: 'individual', subKinds: ['sale'] } });
      } catch (e) {
        return e as RuqsatError;
      }
      throw new Error('expected INVALID_ARGUMENT');
    })();
    expect(err.code).to.equal(grpc.status.INVALID_ARGUMENT);
    expect(err.violations.map((v) => v.field)).to.deep.equal(['sub_kinds', 'payment_reference', 'attachments']);
    // A scanned paper receipt stands in for the gateway reference.
    const s = start(LICENSE_CRYPTO_DEV, at('2026-03-16T10:00'), calendar, {
      application: { applicantKind: 'individual', subKinds: ['development'], receiptScan: 'scan-1', attachments: ['qualification_requirements_form'] },
    });
    expect(s.subKinds).to.deep.equal(['development']);
  });
});
