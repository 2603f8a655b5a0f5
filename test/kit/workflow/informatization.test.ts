// Order 209's informatization services (deposit, EIR/IS registration, KKM conformity) run on the real Kazakh calendar:
// each happy path's step deadlines, and a refusal after the hearing carried to the signature.
import { expect } from 'chai';
import { calendar } from '../../../services/kit/calendar/index.ts';
import { AFTER_RESULT, CONFORMITY_KKM_COMPUTER_SYSTEM, DEPOSIT_SOFTWARE, REGISTRY_EIR_IS } from '../../../services/kit/workflow/informatization.ts';
import {
  apply, applicantStatus, DefinitionRegistry, definitionViolations, overdue, start, type CaseState, type ServiceDefinition, type WorkflowEvent,
} from '../../../services/kit/workflow/index.ts';
import { DEPOSIT_ISSUED_ACTS } from './fixtures.ts';
import { at, dueOf, ok, refused, run } from './helpers.ts';

const DEFS = [DEPOSIT_SOFTWARE, REGISTRY_EIR_IS, CONFORMITY_KKM_COMPUTER_SYSTEM];

/** An early refusal in law ends the case; here every later step is closed at once with the finding restated (the engine has no branch). */
function carry(def: ServiceDefinition, s: CaseState, when: string, reasons: string[]): CaseState {
  let state = s;
  for (let step = def.steps.find((x) => x.id === state.step)!; step.next; step = def.steps.find((x) => x.id === state.step)!) {
    const e: WorkflowEvent = step.actions.includes('assign_executor')
      ? { type: 'assign_executor', actor: step.role, executorId: `${step.id}-official` }
      : step.actions.includes('draft_result')
        ? { type: 'draft_result', actor: step.role, result: 'refusal' }
        : { type: 'record_finding', actor: step.role, complies: false, reasons };
    state = ok(apply(def, state, e, at(when))).state;
  }
  return state;
}

const steps = (def: ServiceDefinition) => def.steps.map((s) => [s.id, s.role, s.limit.unit, s.limit.amount]);
const dues = (s: CaseState) => s.steps.map((r) => [r.step, r.dueAt]);

describe('kit/workflow: informatization services (MTC Order 209, 2014)', () => {
  it('are valid definitions that a registry takes, with the texts\' step limits (hours included)', () => {
    for (const def of DEFS) expect(definitionViolations(def), def.id).to.deep.equal([]);
    expect(new DefinitionRegistry(DEFS).ids()).to.deep.equal(['deposit.software', 'registry.eir_is', 'conformity.kkm_computer_system']);
    expect(steps(DEPOSIT_SOFTWARE)).to.deep.equal([
      ['registration', 'registrar', 'hours', 1],
      ['head_resolution', 'head', 'hours', 1],
      ['director_resolution', 'head', 'hours', 1],
      ['deputy_resolution', 'head', 'hours', 2],
      ['division_resolution', 'head', 'hours', 3],
      ['check', 'executor', 'working_days', 7],
      ['registry_entry', 'executor', 'working_days', 5],
      ['deposit_number', 'executor', 'working_days', 5],
      ['drafting', 'executor', 'working_days', 1],
      ['signature', 'head', 'hours', 4],
    ]);
    // 19 steps of App. 2 (B11 split into its 4 WD entry and 4 h drafting): 14 + 4 + 1 + 11 WD, 41.25 h, plus C19 after the result.
    const r = REGISTRY_EIR_IS.steps;
    expect(r).to.have.length(19);
    expect(r.filter((s) => s.limit.unit === 'working_days').map((s) => [s.id, s.limit.amount])).to.deep.equal([
      ['check', 14], ['register_entry', 4], ['organization_dispatch', 1], ['certificate_check', 11],
    ]);
    expect(r.filter((s) => s.limit.unit === 'hours').reduce((n, s) => n + s.limit.amount, 0)).to.equal(41.25);
    expect(AFTER_RESULT['registry.eir_is'].limit).to.deep.equal({ unit: 'working_days', amount: 1 });
    expect(CONFORMITY_KKM_COMPUTER_SYSTEM.steps.find((s) => s.id === 'inspection')).to.deep.include({ role: 'commission_member', limit: { unit: 'calendar_days', amount: 14 } });
    for (const def of DEFS) expect(def.refusalPoints.map((p) => [p.step, p.role]), def.id).to.deep.equal([['signature', 'head']]);
  });

  describe('deposit.software (§2.1)', () => {
    it('hours of routing, 7 + 5 + 5 WD across Republic Day (Monday 26 October 2026 off), signed within 4 h', () => {
      const s0 = start(DEPOSIT_SOFTWARE, at('2026-10-08T10:00'), calendar, {
        application: { applicantKind: 'legal_entity', subKinds: ['software_product'], attachments: ['deposit_application', 'deposit_objects'] },
      });
      expect(s0.dueAt).to.deep.equal(at('2026-11-06T18:30')); // 20 WD, 26 October not counted
      const { state, audits } = run(DEPOSIT_SOFTWARE, s0, DEPOSIT_ISSUED_ACTS);
      expect(dues(state)).to.deep.equal([
        ['registration', at('2026-10-08T11:00')], // 1 h from receipt
        ['head_resolution', at('2026-10-08T11:30')],
        ['director_resolution', at('2026-10-08T12:00')],
        ['deputy_resolution', at('2026-10-08T13:30')], // 2 h
        ['division_resolution', at('2026-10-08T16:00')], // 3 h
        ['check', at('2026-10-19T18:30')], // 7 WD from Thursday 8 October
        ['registry_entry', at('2026-10-23T18:30')], // 5 WD
        ['deposit_number', at('2026-10-30T18:30')], // 5 WD: 23, 27, 28, 29, 30 October — the 26th is off
        ['drafting', at('2026-10-28T18:30')], // «one day», read as 1 WD
        ['signature', at('2026-10-28T14:00')], // 4 h
      ]);
      expect(state).to.include({ outcome: 'issued', registrationNo: 'IN-2026-0412', executorId: 'lead-specialist-1' });
      expect(audits.at(-1)!.to.status).to.equal('issued');
      // Step 11, outside the machine: the office posts it within 4 h of the signature.
      expect(calendar.deadline(state.closedAt!, AFTER_RESULT['deposit.software'].limit).dueAt).to.deep.equal(at('2026-10-28T17:00'));
      expect(overdue(state, at('2026-12-01T12:00'))).to.deep.equal([]);
    });

    it('refusal (§5.9): the hearing in the check across Independence Day, the negative finding carried, the Head signs it', () => {
      const routed = run(DEPOSIT_SOFTWARE, start(DEPOSIT_SOFTWARE, at('2026-12-14T10:00')), [
        ['2026-12-14T10:20', { type: 'register', actor: 'registrar', registrationNo: 'IN-2026-0519' }],
        ['2026-12-14T10:40', { type: 'assign_executor', actor: 'head', executorId: 'director-is' }],
        ['2026-12-14T11:00', { type: 'assign_executor', actor: 'head', executorId: 'deputy-is' }],
        ['2026-12-14T11:30', { type: 'assign_executor', actor: 'head', executorId: 'head-division' }],
        ['2026-12-14T12:00', { type: 'assign_executor', actor: 'head', executorId: 'lead-specialist-1' }],
      ]).state;
      expect(dueOf(routed, 'check')).to.deep.equal(at('2026-12-24T18:30')); // 7 WD; 16 December is off
      const reasons = ['the set of materials is incomplete under para 11 of the Standard (para 6.3, толымдылық)'];
      expect(refused(apply(DEPOSIT_SOFTWARE, routed, { type: 'record_finding', actor: 'executor', complies: false, reasons }, at('2026-12-15T10:00'))).reason).to.equal('HEARING_REQUIRED');

      const noticed = ok(apply(DEPOSIT_SOFTWARE, routed, { type: 'preliminary_refusal', actor: 'executor', reasons }, at('2026-12-15T11:00'))).state;
      expect(noticed.hearing!.objectionUntil).to.deep.equal(at('2026-12-18T18:30')); // 2 WD: 17 and 18 December
      expect(applicantStatus(noticed, at('2026-12-17T12:00'))).to.equal('awaiting_applicant');
      expect(refused(apply(DEPOSIT_SOFTWARE, noticed, { type: 'record_finding', actor: 'executor', complies: false, reasons }, at('2026-12-18T12:00'))).reason).to.equal('HEARING_OPEN');

      const found = ok(apply(DEPOSIT_SOFTWARE, noticed, { type: 'record_finding', actor: 'executor', complies: false, reasons }, at('2026-12-21T10:00'))).state;
      const drafted = carry(DEPOSIT_SOFTWARE, found, '2026-12-21T10:30', reasons);
      expect([drafted.step, drafted.draft]).to.deep.equal(['signature', 'refusal']);
      expect(refused(apply(DEPOSIT_SOFTWARE, drafted, { type: 'sign', actor: 'head' }, at('2026-12-21T12:00'))).reason).to.equal('DRAFT_IS_REFUSAL');
      expect(refused(apply(DEPOSIT_SOFTWARE, drafted, { type: 'refuse', actor: 'executor' }, at('2026-12-21T12:00'))).reason).to.equal('WRONG_ROLE');
      const done = ok(apply(DEPOSIT_SOFTWARE, drafted, { type: 'refuse', actor: 'head' }, at('2026-12-21T14:00'))).state;
      expect(done).to.deep.include({ outcome: 'refused', refusal: { reasons, signedBy: 'head' } });
      expect(dueOf(done, 'signature')).to.deep.equal(at('2026-12-21T14:30')); // 4 h from the draft
      expect(overdue(done, at('2027-01-10T12:00'))).to.deep.equal([]);
    });
  });

  describe('registry.eir_is (§2.2)', () => {
    it('Committee → Organization → Committee: 14 + 4 + 1 + 11 WD and the hour steps, signed by the Committee Head', () => {
      const s0 = start(REGISTRY_EIR_IS, at('2026-11-02T10:00'));
      expect(s0.dueAt).to.deep.equal(at('2026-12-24T18:30')); // 37 WD; 16 December is off
      const { state } = run(REGISTRY_EIR_IS, s0, [
        ['2026-11-02T10:30', { type: 'register', actor: 'registrar', registrationNo: 'KSI-IN-2026-7781' }],
        ['2026-11-02T14:00', { type: 'assign_executor', actor: 'head', executorId: 'directorate-head' }],
        ['2026-11-02T17:00', { type: 'assign_executor', actor: 'head', executorId: 'chief-expert-1' }],
        ['2026-11-19T10:00', { type: 'record_finding', actor: 'executor', complies: true }], // A4: registers the IS (§5.2)
        ['2026-11-19T10:30', { type: 'record_finding', actor: 'registrar', complies: true }],
        ['2026-11-19T11:00', { type: 'record_finding', actor: 'registrar', complies: true }],
        ['2026-11-19T14:00', { type: 'assign_executor', actor: 'head', executorId: 'org-director' }],
        ['2026-11-19T15:00', { type: 'assign_executor', actor: 'head', executorId: 'org-deputy' }],
        ['2026-11-19T15:30', { type: 'assign_executor', actor: 'head', executorId: 'org-division-head' }],
        ['2026-11-19T15:40', { type: 'assign_executor', actor: 'head', executorId: 'org-lead-specialist' }],
        ['2026-11-24T10:00', { type: 'record_finding', actor: 'executor', complies: true }], // B11a: the register entry
        ['2026-11-24T12:00', { type: 'draft_result', actor: 'executor' }],
        ['2026-11-24T15:00', { type: 'record_finding', actor: 'head', complies: true }],
        ['2026-11-25T10:00', { type: 'record_finding', actor: 'registrar', complies: true }],
        ['2026-11-25T10:45', { type: 'record_finding', actor: 'registrar', complies: true }], // by courier the same morning
        ['2026-11-25T12:00', { type: 'assign_executor', actor: 'head', executorId: 'directorate-head' }],
        ['2026-11-25T14:00', { type: 'assign_executor', actor: 'head', executorId: 'chief-expert-1' }],
        ['2026-12-09T10:00', { type: 'draft_result', actor: 'executor' }],
        ['2026-12-09T12:00', { type: 'sign', actor: 'head' }],
      ]);
      expect(dues(state)).to.deep.equal([
        ['intake', at('2026-11-02T11:00')],
        ['committee_resolution', at('2026-11-02T14:30')],
        ['directorate_resolution', at('2026-11-02T18:00')],
        ['check', at('2026-11-20T18:30')], // A4: 14 WD
        ['send_to_organization', at('2026-11-19T11:00')],
        ['organization_intake', at('2026-11-19T11:30')],
        ['organization_resolution', at('2026-11-19T15:00')],
        ['organization_director_resolution', at('2026-11-19T18:00')],
        ['organization_deputy_resolution', at('2026-11-19T16:00')],
        ['organization_division_resolution', at('2026-11-19T15:45')], // 15 minutes
        ['register_entry', at('2026-11-25T18:30')], // B11a: 4 WD
        ['certificate_drafting', at('2026-11-24T14:00')], // B11b: 4 h after the entry
        ['organization_signature', at('2026-11-24T16:00')],
        ['organization_dispatch', at('2026-11-25T18:30')], // B13: 1 WD
        ['committee_intake', at('2026-11-25T11:00')],
        ['committee_resolution_certificate', at('2026-11-25T14:45')],
        ['directorate_resolution_certificate', at('2026-11-25T16:00')],
        ['certificate_check', at('2026-12-10T18:30')], // C17: 11 WD
        ['signature', at('2026-12-09T14:00')],
      ]);
      expect(state).to.include({ outcome: 'issued', executorId: 'chief-expert-1' });
      expect(calendar.deadline(state.closedAt!, AFTER_RESULT['registry.eir_is'].limit).dueAt).to.deep.equal(at('2026-12-10T18:30')); // C19
      expect(overdue(state, at('2027-01-10T12:00'))).to.deep.equal([]);
    });

    it('refusal at A4 after an objection, carried past the Organization to the Committee Head\'s signature', () => {
      const routed = run(REGISTRY_EIR_IS, start(REGISTRY_EIR_IS, at('2026-12-07T10:00')), [
        ['2026-12-07T10:30', { type: 'register', actor: 'registrar', registrationNo: 'KSI-IN-2026-8012' }],
        ['2026-12-07T12:00', { type: 'assign_executor', actor: 'head', executorId: 'directorate-head' }],
        ['2026-12-07T15:00', { type: 'assign_executor', actor: 'head', executorId: 'chief-expert-1' }],
      ]).state;
      const reasons = ['the information in the application is incomplete or incorrect (мәліметтер толық емес не дұрыс емес), step A4'];
      const noticed = ok(apply(REGISTRY_EIR_IS, routed, { type: 'preliminary_refusal', actor: 'executor', reasons }, at('2026-12-08T11:00'))).state;
      expect(noticed.hearing!.objectionUntil).to.deep.equal(at('2026-12-10T18:30'));
      const objected = ok(apply(REGISTRY_EIR_IS, noticed, { type: 'objection_received', actor: 'applicant', text: 'the owner field was filled in' }, at('2026-12-10T09:00')));
      expect(objected.audit.to.status).to.equal('in_progress');
      // The objection is heard at once; the chief expert still finds the application incomplete.
      const found = ok(apply(REGISTRY_EIR_IS, objected.state, { type: 'record_finding', actor: 'executor', complies: false, reasons }, at('2026-12-11T10:00'))).state;
      const atSignature = carry(REGISTRY_EIR_IS, found, '2026-12-11T10:05', reasons);
      expect(atSignature.steps.filter((r) => r.completedAt?.getTime() === at('2026-12-11T10:05').getTime())).to.have.length(14);
      const done = ok(apply(REGISTRY_EIR_IS, atSignature, { type: 'refuse', actor: 'head' }, at('2026-12-11T12:00'))).state;
      expect(done).to.deep.include({ outcome: 'refused', refusal: { reasons, signedBy: 'head' } });
      expect(done.hearing!.objection!.text).to.equal('the owner field was filled in');
      expect(overdue(done, at('2027-01-10T12:00'))).to.deep.equal([]);
    });
  });

  describe('conformity.kkm_computer_system (§2.3, portal channel)', () => {
    const APP = {
      applicantKind: 'legal_entity' as const,
      attachments: ['questionnaire_application', 'state_registration', 'functional_description', 'tax_inspector_module_guide', 'is_conformity_certificate'],
    };
    const toInspection = (): CaseState => {
      const s0 = start(CONFORMITY_KKM_COMPUTER_SYSTEM, at('2026-10-07T10:00'), calendar, { application: APP, registrationNo: 'EGOV-KKM-2026-0042' });
      expect(applicantStatus(s0)).to.equal('registered'); // P13: the portal registers the EDS-signed request on receipt
      expect(s0.dueAt).to.deep.equal(at('2026-10-30T18:30')); // 16 WD; Monday 26 October is off
      return run(CONFORMITY_KKM_COMPUTER_SYSTEM, s0, [
        ['2026-10-07T11:00', { type: 'assign_executor', actor: 'head', executorId: 'directorate-head' }],
        ['2026-10-07T12:00', { type: 'assign_executor', actor: 'head', executorId: 'chief-expert-2' }],
        ['2026-10-09T15:00', { type: 'record_finding', actor: 'executor', complies: true }],
        ['2026-10-09T16:00', { type: 'record_finding', actor: 'head', complies: true }],
        ['2026-10-12T09:30', { type: 'record_finding', actor: 'head', complies: true }],
        ['2026-10-12T11:00', { type: 'record_finding', actor: 'registrar', complies: true }], // P14: the notice goes out
      ]).state;
    };

    it('notice in working hours, the commission\'s 14 CD ending on a day off move to Tuesday 27 October, the Conclusion signed', () => {
      const s = toInspection();
      expect(dues(s)).to.deep.equal([
        ['committee_resolution', at('2026-10-07T14:00')],
        ['directorate_resolution', at('2026-10-07T15:00')],
        ['check', at('2026-10-09T18:30')], // placeholder 2 WD (untimed in the text)
        ['notice_agreement', at('2026-10-09T17:00')], // 2 h
        ['notice_signature', at('2026-10-12T10:30')], // 4 h: 2.5 on Friday, 1.5 on Monday
        ['notice_dispatch', at('2026-10-12T11:30')], // 2 working hours
        ['inspection', at('2026-10-27T18:30')], // 14 CD end Monday 26 October, a day off
      ]);
      const { state } = run(CONFORMITY_KKM_COMPUTER_SYSTEM, s, [
        ['2026-10-27T11:00', { type: 'record_finding', actor: 'commission_member', complies: true }],
        ['2026-10-28T10:00', { type: 'draft_result', actor: 'executor' }],
        ['2026-10-28T11:00', { type: 'record_finding', actor: 'head', complies: true }],
        ['2026-10-28T12:00', { type: 'sign', actor: 'head' }],
      ]);
      expect(dues(state).slice(7)).to.deep.equal([
        ['conclusion_drafting', at('2026-10-28T18:30')],
        ['conclusion_agreement', at('2026-10-28T12:00')],
        ['signature', at('2026-10-28T13:00')],
      ]);
      expect(state.outcome).to.equal('issued');
      expect(overdue(state, at('2026-12-01T12:00'))).to.deep.equal([]);
    });

    it('the commission finds the base does not match: the hearing, then the refusal signed by the Committee Head', () => {
      const s = toInspection();
      const reasons = ['the material and technical base does not match the questionnaire-application (step 8)'];
      expect(refused(apply(CONFORMITY_KKM_COMPUTER_SYSTEM, s, { type: 'record_finding', actor: 'commission_member', complies: false, reasons }, at('2026-10-19T15:00'))).reason).to.equal('HEARING_REQUIRED');
      const noticed = ok(apply(CONFORMITY_KKM_COMPUTER_SYSTEM, s, { type: 'preliminary_refusal', actor: 'commission_member', reasons }, at('2026-10-19T15:00'))).state;
      expect(noticed.hearing!.objectionUntil).to.deep.equal(at('2026-10-21T18:30'));
      const { state } = run(CONFORMITY_KKM_COMPUTER_SYSTEM, noticed, [
        ['2026-10-22T10:00', { type: 'record_finding', actor: 'commission_member', complies: false, reasons }],
        ['2026-10-22T10:30', { type: 'draft_result', actor: 'executor', result: 'refusal' }],
        ['2026-10-22T11:00', { type: 'record_finding', actor: 'head', complies: false, reasons }],
        ['2026-10-22T11:30', { type: 'refuse', actor: 'head' }],
      ]);
      expect(state).to.deep.include({ outcome: 'refused', refusal: { reasons, signedBy: 'head' } });
      expect(overdue(state, at('2026-12-01T12:00'))).to.deep.equal([]);
    });
  });
});
