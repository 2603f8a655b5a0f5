// The NSC permits and conclusions (§2.4–2.8) run on the real Kazakh calendar: Nauryz, the May holidays, samples pauses, hearings.
import { expect } from 'chai';
import * as grpc from '@grpc/grpc-js';
import { calendar } from '../../../services/kit/calendar/index.ts';
import { RuqsatError } from '../../../services/kit/errors.ts';
import {
  apply, applicantStatus, APPC_HEARING, definitionViolations, DefinitionRegistry, NSC_LICENCES, overdue, start, STATE_SERVICE_APPEALS,
  type ServiceDefinition,
} from '../../../services/kit/workflow/index.ts';
import {
  CONCLUSION_TECH_RESEARCH, NSC_PERMITS, PERMIT_CRYPTO_SALE, PERMIT_CUSTOMS_COVERT_STS, PERMIT_CUSTOMS_CRYPTO, REGISTRATION_CRYPTO_NOTIFICATION,
} from '../../../services/kit/workflow/permits.ts';
import { at, dueOf, ok, refused, run } from './helpers.ts';

const shape = (d: ServiceDefinition) => d.steps.map((s) => [s.id, s.role, s.limit.unit, s.limit.amount]);
const CUSTOMS = [PERMIT_CUSTOMS_COVERT_STS, PERMIT_CUSTOMS_CRYPTO];
const CUSTOMS_ATTACHMENTS = ['foreign_trade_contract', 'technical_documentation', 'goods_list'];

function thrown(fn: () => unknown): RuqsatError {
  try {
    fn();
  } catch (e) {
    return e as RuqsatError;
  }
  throw new Error('expected an error');
}

/** Head assigns at 11:00 on the day of receipt (Monday 6 April 2026): review due 15 April, the service 16 April. */
function assigned(def: ServiceDefinition) {
  const s0 = start(def, at('2026-04-06T10:00'));
  const s = ok(apply(def, s0, { type: 'assign_executor', actor: 'head_of_licensing_department', executorId: 'exec-4' }, at('2026-04-06T11:00'))).state;
  expect(dueOf(s, 'review')).to.deep.equal(at('2026-04-15T18:30'));
  expect(s.dueAt).to.deep.equal(at('2026-04-16T18:30'));
  return s;
}

describe('kit/workflow: NSC permits and conclusions', () => {
  it('are valid definitions with the spec\'s steps, limits, signers, inputs, no fee and the default hearing', () => {
    for (const def of NSC_PERMITS) {
      expect(definitionViolations(def), def.id).to.deep.equal([]);
      expect(def.hearing, def.id).to.deep.equal(APPC_HEARING);
      expect(def.appeals, def.id).to.deep.equal(STATE_SERVICE_APPEALS);
      expect(def.fees, def.id).to.deep.equal({ licenceFee: false, paymentReferenceRequired: false, receiptScanAccepted: false });
      expect(def.legalBasis.map((a) => a.number), def.id).to.include.members(['43', '46/қе', '30', '34/қе']);
      expect(def.applicantKinds, def.id).to.deep.equal(['individual', 'legal_entity']);
    }
    for (const def of CUSTOMS) {
      expect(shape(def)).to.deep.equal([
        ['assignment', 'head_of_licensing_department', 'same_day', 0],
        ['review', 'executor', 'working_days', 7],
        ['signature', 'signatory', 'working_days', 1],
      ]);
      expect(def.deadline).to.deep.equal({ unit: 'working_days', amount: 8 });
      expect(def.refusalPoints.map((r) => [r.step, r.role])).to.deep.equal([['signature', 'signatory']]); // A5
      expect(def.pausePoints).to.have.length(1);
      expect(def.pausePoints[0]).to.deep.include({ step: 'review', action: 'request_samples', max: { unit: 'calendar_days', amount: 5 }, stopsClock: true });
      expect(def.pausePoints[0].onExpiry.outcome).to.equal('resume');
      expect(def.requiredAttachments.map((a) => a.id)).to.deep.equal(CUSTOMS_ATTACHMENTS);
      expect([def.baseVariant, ...Object.keys(def.variants)]).to.deep.equal(['import', 'export', 'transit']); // A10
      expect(def.legalBasis.map((a) => a.number)).to.include('98/қе');
    }
    expect(shape(CONCLUSION_TECH_RESEARCH)).to.deep.equal([
      ['assignment', 'head_of_licensing_department', 'same_day', 0],
      ['review', 'executor', 'working_days', 4],
      ['signature', 'signatory', 'working_days', 1],
    ]);
    expect(CONCLUSION_TECH_RESEARCH.deadline).to.deep.equal({ unit: 'working_days', amount: 5 });
    expect(CONCLUSION_TECH_RESEARCH.variants.with_sample).to.deep.include({
      deadline: { unit: 'working_days', amount: 31 },
      limits: { review: { unit: 'working_days', amount: 30 } }, // A6: WD by default
    });
    expect(shape(PERMIT_CRYPTO_SALE)).to.deep.equal([
      ['registration', 'registrar', 'same_day', 0],
      ['review', 'executor', 'working_days', 13],
      ['drafting', 'executor', 'working_days', 1],
      ['signature', 'signatory', 'working_days', 1],
    ]);
    expect(PERMIT_CRYPTO_SALE.deadline).to.deep.equal({ unit: 'working_days', amount: 15 });
    expect(PERMIT_CRYPTO_SALE.refusalPoints.map((r) => [r.step, r.role])).to.deep.equal([['signature', 'head_of_licensing_department']]); // A8
    expect(PERMIT_CRYPTO_SALE.refusalPoints[0].grounds[0]).to.match(/permit requirements/);
    expect(PERMIT_CRYPTO_SALE.requiredAttachments.map((a) => a.id)).to.deep.equal(['education_documents', 'permit_requirements_form']);
    expect(Object.keys(PERMIT_CRYPTO_SALE.variants)).to.deep.equal([]); // no re-issue in the text
    expect(shape(REGISTRATION_CRYPTO_NOTIFICATION)).to.deep.equal([
      ['assignment', 'head_of_licensing_department', 'same_day', 0],
      ['review', 'executor', 'working_days', 10], // [external, verify] placeholder
      ['signature', 'signatory', 'same_day', 0], // on the day the draft is formed (98/қе)
    ]);
    expect(REGISTRATION_CRYPTO_NOTIFICATION.pausePoints[0]).to.deep.include({ action: 'request_documents', max: { unit: 'working_days', amount: 3 }, stopsClock: false });
  });

  it('the registry resolves each definition next to the licences, from 26 July 2019 on', () => {
    const registry = new DefinitionRegistry([...NSC_LICENCES, ...NSC_PERMITS]);
    expect(registry.ids().slice(3)).to.deep.equal([
      'permit.customs_covert_sts', 'permit.customs_crypto', 'conclusion.tech_research', 'registration.crypto_notification', 'permit.crypto_sale',
    ]);
    for (const def of NSC_PERMITS) {
      expect(registry.resolve(def.id, at('2026-04-06T10:00')), def.id).to.equal(def);
      expect(registry.get(def.id, 1)).to.equal(def);
      expect(thrown(() => registry.resolve(def.id, at('2019-07-25T12:00'))).reason, def.id).to.equal('NO_DEFINITION_IN_FORCE');
    }
  });

  describe('customs conclusions (қорытынды, §2.4–2.5)', () => {
    it('received on Friday evening before Nauryz: assigned Thursday 26 March, issued within 8 WD on Tuesday 7 April 2026', () => {
      const d = PERMIT_CUSTOMS_CRYPTO;
      const s0 = start(d, at('2026-03-20T19:00'), calendar, { variant: 'export', application: { applicantKind: 'legal_entity', attachments: CUSTOMS_ATTACHMENTS } });
      expect(s0.definition).to.deep.equal({ id: 'permit.customs_crypto', version: 1, variant: 'export' });
      expect(applicantStatus(s0)).to.equal('registered'); // A12: numbered on receipt, no registration step
      // After office close on Friday; 21–22 March is the weekend, 23–25 Nauryz days off: the clock starts Thursday 26.
      expect(dueOf(s0, 'assignment')).to.deep.equal(at('2026-03-26T18:30'));
      expect(s0.dueAt).to.deep.equal(at('2026-04-07T18:30')); // 27, 30, 31 March, 1, 2, 3, 6, 7 April

      const { state, audits } = run(d, s0, [
        ['2026-03-26T10:00', { type: 'assign_executor', actor: 'head_of_licensing_department', executorId: 'exec-5' }],
        ['2026-04-06T15:00', { type: 'draft_result', actor: 'executor' }],
        ['2026-04-07T11:00', { type: 'sign', actor: 'signatory', actorId: 'signatory-1' }],
      ]);
      expect(state.steps.map((r) => [r.step, r.dueAt])).to.deep.equal([
        ['assignment', at('2026-03-26T18:30')],
        ['review', at('2026-04-06T18:30')], // 7 WD
        ['signature', at('2026-04-07T18:30')], // + 1 WD = the 8 WD overall
      ]);
      expect(audits.map((a) => [a.action, a.actor, a.to.status])).to.deep.equal([
        ['assign_executor', 'head_of_licensing_department', 'registered'],
        ['draft_result', 'executor', 'in_progress'],
        ['sign', 'signatory', 'issued'],
      ]);
      expect(state).to.include({ outcome: 'issued', executorId: 'exec-5' });
      expect(overdue(state, at('2026-05-01T12:00'))).to.deep.equal([]);
    });

    it('an application without the contract, the documentation or the goods list is rejected; no fee reference is asked', () => {
      const err = thrown(() => start(PERMIT_CUSTOMS_COVERT_STS, at('2026-04-06T10:00'), calendar, { application: { applicantKind: 'individual', attachments: ['technical_documentation'] } }));
      expect(err.code).to.equal(grpc.status.INVALID_ARGUMENT);
      expect(err.violations.map((v) => v.description)).to.deep.equal([
        "'foreign_trade_contract' (foreign trade contract with its appendix or supplement, or another document confirming the parties' intentions) is required",
        "'goods_list' (list of the goods covered by the contract (A10)) is required",
      ]);
      expect(thrown(() => start(PERMIT_CUSTOMS_COVERT_STS, at('2026-04-06T10:00'), calendar, { variant: 'reissue' })).code).to.equal(grpc.status.INVALID_ARGUMENT);
    });

    it('a samples pause of 3 calendar days over a weekend moves the deadlines by 1 WD only (covert STS)', () => {
      const d = PERMIT_CUSTOMS_COVERT_STS;
      const paused = ok(apply(d, assigned(d), { type: 'request_samples', actor: 'executor', what: '1 unit' }, at('2026-04-10T10:00')));
      expect(paused.audit.to.status).to.equal('awaiting_applicant');
      expect(paused.state.pause!.expiresAt).to.deep.equal(at('2026-04-15T18:30')); // Friday + 5 CD = Wednesday 15
      // Friday 10 – Monday 13 April 10:00: of the three days only Friday was a working day the clock would have counted.
      const back = ok(apply(d, paused.state, { type: 'documents_received', actor: 'applicant' }, at('2026-04-13T10:00'))).state;
      expect(back.pauses).to.deep.equal([{ from: at('2026-04-10T10:00'), to: at('2026-04-13T10:00') }]);
      expect(dueOf(back, 'review')).to.deep.equal(at('2026-04-16T18:30'));
      expect(back.dueAt).to.deep.equal(at('2026-04-17T18:30'));
      const { state } = run(d, back, [
        ['2026-04-16T12:00', { type: 'draft_result', actor: 'executor' }],
        ['2026-04-17T10:00', { type: 'sign', actor: 'signatory' }],
      ]);
      expect(dueOf(state, 'signature')).to.deep.equal(at('2026-04-17T18:30'));
      expect(state.outcome).to.equal('issued');
      expect(overdue(state, at('2026-04-20T10:00'))).to.deep.equal([]); // on time only because the pause moved the 8 WD
    });

    it('samples never arriving: the clock runs again with the 5 CD not counted; a refusal then needs the hearing and the signatory', () => {
      const d = PERMIT_CUSTOMS_CRYPTO;
      const paused = ok(apply(d, assigned(d), { type: 'request_samples', actor: 'executor' }, at('2026-04-08T10:00'))).state;
      expect(paused.pause!.expiresAt).to.deep.equal(at('2026-04-13T18:30')); // 9–13 April
      const lapsed = ok(apply(d, paused, { type: 'pause_expired', actor: 'system' }, at('2026-04-13T18:30')));
      // The spec's reading (A5/A14): no refusal by itself; 8, 9, 10 April are not counted.
      expect([lapsed.state.phase, lapsed.state.step, lapsed.state.hearing, lapsed.state.finding]).to.deep.equal(['open', 'review', undefined, undefined]);
      expect(lapsed.audit.to.status).to.equal('in_progress');
      expect(dueOf(lapsed.state, 'review')).to.deep.equal(at('2026-04-20T18:30'));
      expect(lapsed.state.dueAt).to.deep.equal(at('2026-04-21T18:30'));

      const reasons = ['samples not submitted: the cryptographic characteristics cannot be confirmed from the documentation'];
      expect(refused(apply(d, lapsed.state, { type: 'draft_result', actor: 'executor', result: 'refusal' }, at('2026-04-14T10:00'))).reason).to.equal('HEARING_REQUIRED');
      const heard = ok(apply(d, lapsed.state, { type: 'preliminary_refusal', actor: 'executor', reasons }, at('2026-04-14T10:00'))).state;
      expect(heard.hearing!.objectionUntil).to.deep.equal(at('2026-04-16T18:30'));
      const { state } = run(d, heard, [
        ['2026-04-17T09:30', { type: 'draft_result', actor: 'executor', result: 'refusal' }],
        ['2026-04-17T15:00', { type: 'refuse', actor: 'signatory', reasons }],
      ]);
      expect(state.refusal).to.deep.equal({ reasons, signedBy: 'signatory' });
      expect(state.closedAt!.getTime()).to.be.below(state.dueAt.getTime());
    });
  });

  describe('technical research (техникалық зерттеу, §2.6)', () => {
    it('without a sample: 4 + 1 WD across the May holidays, Monday 4 → Wednesday 13 May 2026', () => {
      const d = CONCLUSION_TECH_RESEARCH;
      const s0 = start(d, at('2026-05-04T09:00'), calendar, { application: { applicantKind: 'individual', attachments: ['technical_documentation'] } });
      expect(s0.definition.variant).to.equal('without_sample');
      expect(s0.dueAt).to.deep.equal(at('2026-05-13T18:30')); // 5, 6, 8, 12, 13: 7 May and the moved 11 May are days off
      const { state } = run(d, s0, [
        ['2026-05-04T10:00', { type: 'assign_executor', actor: 'head_of_licensing_department', executorId: 'exec-6' }],
        ['2026-05-12T17:00', { type: 'draft_result', actor: 'executor' }],
        ['2026-05-13T10:00', { type: 'sign', actor: 'signatory' }],
      ]);
      expect(state.steps.map((r) => r.dueAt)).to.deep.equal([at('2026-05-04T18:30'), at('2026-05-12T18:30'), at('2026-05-13T18:30')]);
      expect(state.outcome).to.equal('issued');
    });

    it('with a sample: 30 WD from the day after the sample arrives, + 1 WD; the up to 5 CD for it are not counted', () => {
      const d = CONCLUSION_TECH_RESEARCH;
      const s0 = start(d, at('2026-05-04T09:00'), calendar, { variant: 'with_sample' });
      expect(s0.dueAt).to.deep.equal(at('2026-06-19T18:30')); // 31 WD, skipping 7, 11 and 27 May (Kurban Ait)
      const requested = run(d, s0, [
        ['2026-05-04T10:00', { type: 'assign_executor', actor: 'head_of_licensing_department', executorId: 'exec-6' }],
        ['2026-05-04T12:00', { type: 'request_samples', actor: 'executor', what: 'one unit of the router' }],
      ]).state;
      expect(requested.pause!.expiresAt).to.deep.equal(at('2026-05-12T18:30')); // 5 CD end on Saturday 9 May → next working day
      // The sample arrives on Wednesday 6 May after office close: day 1 of the 30 is Friday 8 May (7 May is a holiday).
      const s = ok(apply(d, requested, { type: 'documents_received', actor: 'applicant' }, at('2026-05-06T18:45'))).state;
      expect(dueOf(s, 'review')).to.deep.equal(at('2026-06-22T18:30')); // 30th WD from 8 May
      expect(s.dueAt).to.deep.equal(at('2026-06-23T18:30'));
      const { state } = run(d, s, [
        ['2026-06-22T16:00', { type: 'draft_result', actor: 'executor' }],
        ['2026-06-23T11:00', { type: 'sign', actor: 'signatory' }],
      ]);
      expect(state.outcome).to.equal('issued');
      // The gap (see permits.ts): a sample arriving within office hours lets its own day count, one WD stricter than art. 176.
      const early = ok(apply(d, requested, { type: 'documents_received', actor: 'applicant' }, at('2026-05-06T10:00'))).state;
      expect(dueOf(early, 'review')).to.deep.equal(at('2026-06-19T18:30'));
    });
  });

  describe('sale permit (рұқсат, §2.8)', () => {
    const reasons = ['the executive has no technical education (рұқсат беру талаптарына сәйкес болмау)'];
    const registered = () => {
      const s0 = start(PERMIT_CRYPTO_SALE, at('2026-06-01T10:00'), calendar, {
        application: { applicantKind: 'legal_entity', attachments: ['education_documents', 'permit_requirements_form'] },
      });
      expect(applicantStatus(s0)).to.equal('delivered');
      expect(s0.dueAt).to.deep.equal(at('2026-06-22T18:30')); // 15 WD
      return run(PERMIT_CRYPTO_SALE, s0, [['2026-06-01T10:30', { type: 'register', actor: 'registrar', registrationNo: 'KZ-PRM-2026-0042' }]]).state;
    };

    it('refusal for non-compliance with the permit requirements: hearing, then the head of the Licensing Department signs', () => {
      let s = registered();
      expect(dueOf(s, 'review')).to.deep.equal(at('2026-06-18T18:30')); // 13 WD
      expect(refused(apply(PERMIT_CRYPTO_SALE, s, { type: 'record_finding', actor: 'executor', complies: false, reasons }, at('2026-06-10T10:00'))).reason).to.equal('HEARING_REQUIRED');
      s = ok(apply(PERMIT_CRYPTO_SALE, s, { type: 'preliminary_refusal', actor: 'executor', reasons }, at('2026-06-10T10:00'))).state;
      expect(s.hearing!.objectionUntil).to.deep.equal(at('2026-06-12T18:30')); // 2 WD (APPC art. 73 default)
      expect(applicantStatus(s, at('2026-06-12T18:00'))).to.equal('awaiting_applicant');
      expect(refused(apply(PERMIT_CRYPTO_SALE, s, { type: 'record_finding', actor: 'executor', complies: false, reasons }, at('2026-06-11T10:00'))).reason).to.equal('HEARING_OPEN');

      // No objection: the finding after the window, the draft, and the refusal in 4b's place.
      s = run(PERMIT_CRYPTO_SALE, s, [
        ['2026-06-15T09:00', { type: 'record_finding', actor: 'executor', complies: false, reasons }],
        ['2026-06-15T15:00', { type: 'draft_result', actor: 'executor' }],
      ]).state;
      expect(s.draft).to.equal('refusal');
      expect(dueOf(s, 'signature')).to.deep.equal(at('2026-06-16T18:30'));
      expect(refused(apply(PERMIT_CRYPTO_SALE, s, { type: 'sign', actor: 'signatory' }, at('2026-06-16T10:00'))).reason).to.equal('DRAFT_IS_REFUSAL');
      expect(refused(apply(PERMIT_CRYPTO_SALE, s, { type: 'refuse', actor: 'signatory' }, at('2026-06-16T10:00'))).reason).to.equal('WRONG_ROLE');
      const final = ok(apply(PERMIT_CRYPTO_SALE, s, { type: 'refuse', actor: 'head_of_licensing_department' }, at('2026-06-16T10:00')));
      expect(final.state).to.include({ outcome: 'refused', registrationNo: 'KZ-PRM-2026-0042' });
      expect(final.state.refusal).to.deep.equal({ reasons, signedBy: 'head_of_licensing_department' });
      expect(final.audit.to.status).to.equal('refused');
      expect(overdue(final.state, at('2026-07-01T10:00'))).to.deep.equal([]);
    });

    it('an application without the education documents or the permit-requirements form is rejected', () => {
      const err = thrown(() => start(PERMIT_CRYPTO_SALE, at('2026-06-01T10:00'), calendar, { application: { applicantKind: 'individual' } }));
      expect(err.violations.map((v) => v.description.split(' ')[0])).to.deep.equal(["'education_documents'", "'permit_requirements_form'"]);
    });
  });

  it('notification registration (нотификация, §2.7): the 3 WD for documents do not stop the clock; signature on the draft\'s day', () => {
    const d = REGISTRATION_CRYPTO_NOTIFICATION;
    const s0 = start(d, at('2026-06-01T10:00'));
    expect(s0.dueAt).to.deep.equal(at('2026-06-15T18:30')); // the [external] 10 WD placeholder
    const asked = run(d, s0, [
      ['2026-06-01T11:00', { type: 'assign_executor', actor: 'head_of_licensing_department', executorId: 'exec-7' }],
      ['2026-06-02T10:00', { type: 'request_documents', actor: 'executor', what: 'Standard para 9 ¶4 (non-EAEU manufacturer)' }],
    ]).state;
    expect(asked.pause!.expiresAt).to.deep.equal(at('2026-06-05T18:30')); // 3 WD
    const back = ok(apply(d, asked, { type: 'documents_received', actor: 'applicant' }, at('2026-06-04T12:00'))).state;
    expect([back.pauses, dueOf(back, 'review'), back.dueAt]).to.deep.equal([[], at('2026-06-15T18:30'), at('2026-06-15T18:30')]);
    const drafted = ok(apply(d, back, { type: 'draft_result', actor: 'executor' }, at('2026-06-12T16:00'))).state;
    expect(dueOf(drafted, 'signature')).to.deep.equal(at('2026-06-12T18:30')); // the same day
    expect(ok(apply(d, drafted, { type: 'sign', actor: 'signatory' }, at('2026-06-12T17:00'))).state.outcome).to.equal('issued');
  });
});
