// Accreditation of a certifying centre over gRPC (2022 Rules): a real CA built by the test, the commission's act
// adopted by two thirds including the national-security member, the certificate, the Root CA's certificate of the
// centre (its users validate only after the grant), the register, and revocation and expiry felt in another core.
import * as grpc from '@grpc/grpc-js';
import { expect } from 'chai';
import { pino } from 'pino';
import { parseCertificate } from '../../core-wasm/src/index.ts';
import { ApplicationStatus } from '../../gen/ruqsat/common/v1/common.ts';
import { AccreditationStatus } from '../../gen/ruqsat/licensing/v1/licensing.ts';
import { EntryStatus, RegistryServiceClient } from '../../gen/ruqsat/registry/v1/registry.ts';
import { verifyChain } from '../../services/kit/audit.ts';
import { calendar } from '../../services/kit/calendar/index.ts';
import { wallClock } from '../../services/kit/calendar/zone.ts';
import { clientFor } from '../../services/kit/grpc/client.ts';
import { TrustFollower } from '../../services/kit/trust-follower.ts';
import { bind, call, callFails } from '../helpers/grpc.ts';
import { eventually } from '../registry/helpers.ts';
import { signAct } from '../trust/helpers.ts';
import { allComply, buildCentre, CENTRE_BIN, chainOf, COMMISSION, grant, MEMBERS, POLICY, startAccreditationBench, type AccreditationBench, type Centre, type MemberName } from './accreditation-fixture.ts';


describe('licensing: accreditation of certifying centres', function () {
  this.timeout(180_000);
  let b: AccreditationBench;
  let follower: TrustFollower;

  before(async () => {
    b = await startAccreditationBench({ SLA_SCAN_MS: '300' });
    // Another service's core: the Root CA and the revocation feed from trust, as every service keeps them.
    follower = new TrustFollower(b.trust, pino({ level: 'silent' }));
    await follower.start();
  });
  after(async () => {
    follower?.stop();
    await b?.stop();
  });

  const get = async (name: string) => (await call(bind(b.licensing, 'getApplication'), { name })).response;
  const step = async (name: string) => (await get(name)).currentStep;

  /** Registration, completeness, the commission convened, the documentary stage, the on-site notice. */
  async function toOnsite(name: string) {
    await b.act(b.officials.registrar, name, { act: 'register', registration_no: `ISC-AQ-${name.slice(-6)}`, executor_id: b.officials.executor.iin });
    await b.act(b.officials.executor, name, { act: 'record_finding', complies: true });
    await b.act(b.officials.executor, name, { act: 'convene_commission', members: COMMISSION, letter: 'ISC letter 04-1/77' });
    await b.act(b.members.chair, name, { act: 'record_finding', complies: true });
    await b.act(b.officials.executor, name, { act: 'record_finding', complies: true });
  }

  async function inspect(name: string, centre: Centre) {
    await b.act(b.members.chair, name, { act: 'record_finding', complies: true, checklist: allComply(), chain_check: chainOf(centre), recommendations: 'none' });
    return (await call(bind(b.licensing, 'getInspectionAct'), { application: name })).response;
  }

  const vote = (who: MemberName, name: string, sha: string, signs = true, reasons?: string[]) =>
    b.act(b.members[who], name, { act: 'vote', act_sha256: sha, signs, ...(reasons ? { reasons } : {}) });

  it('grants over the whole path: the act adopted only with the national-security signature, the CA certified by the Root CA, the register fed', async () => {
    const centre = buildCentre(b.dir, 'alpha');
    // Legal entities only; the form is checked before a case starts.
    const person = await callFails(bind(b.licensing, 'submitApplication'), { requestId: 'acc-person', application: signAct(b.person.key, b.form(centre), [b.person.cert]) }, grpc.status.INVALID_ARGUMENT);
    expect(person.status.fieldViolations.map((v) => v.field)).to.include('applicant_kind');
    const weak = await callFails(bind(b.licensing, 'submitApplication'), { requestId: 'acc-weak', application: signAct(b.applicant.key, b.form(centre, { cipf: [{ name: 'Old token', certificate: 'KZ-1', level: 1 }], ca_csr: 'nope', integrates_with_state_is: true }), [b.applicant.cert]) }, grpc.status.INVALID_ARGUMENT);
    expect(weak.status.fieldViolations.map((v) => v.field)).to.include.members(['application.payload.cipf', 'application.payload.ca_csr', 'application.payload.attachments']);

    const app = await b.submit('acc-1', centre, { legal_entity_name: 'Anything the applicant types' });
    expect(app.applicant).to.include({ identifier: CENTRE_BIN, displayName: 'Qorgau Security LLP' }); // from the reference registry
    expect(app.status).to.equal(ApplicationStatus.APPLICATION_STATUS_DELIVERED);
    await b.act(b.officials.registrar, app.name, { act: 'register', registration_no: 'ISC-AQ-0001', executor_id: b.officials.executor.iin });
    await b.act(b.officials.executor, app.name, { act: 'record_finding', complies: true });
    // The letter names the members the provider's order appointed; a stranger or a commission without national security is refused.
    const stranger = await b.actFails(b.officials.executor, app.name, { act: 'convene_commission', members: [...COMMISSION, { iin: '851120300359', body: 'national_security', position: 'member' }] }, grpc.status.INVALID_ARGUMENT);
    expect(stranger.violations).to.include('act.payload.members');
    await b.actFails(b.officials.executor, app.name, { act: 'convene_commission', members: COMMISSION.filter((m) => m.body !== 'national_security') }, grpc.status.INVALID_ARGUMENT);
    await b.act(b.officials.executor, app.name, { act: 'convene_commission', members: COMMISSION, letter: 'ISC letter 04-1/77' });
    await b.act(b.members.chair, app.name, { act: 'record_finding', complies: true });
    await b.act(b.officials.executor, app.name, { act: 'record_finding', complies: true });
    expect(await step(app.name)).to.equal('onsite_inspection');

    // On site: the 15 items as findings; the chain-building check is the trust core's, and the act cannot contradict it.
    const missing = await b.actFails(b.members.chair, app.name, { act: 'record_finding', complies: true, checklist: { server_room: { complies: true } } }, grpc.status.INVALID_ARGUMENT);
    expect(missing.violations).to.include.members(['act.payload.chain_check', 'act.payload.checklist.hsm']);
    const other = buildCentre(b.dir, 'impostor');
    const wrongKey = await b.actFails(b.members.chair, app.name, { act: 'record_finding', complies: true, checklist: allComply(), chain_check: chainOf(other) }, grpc.status.INVALID_ARGUMENT);
    expect(wrongKey.violations).to.include('act.payload.checklist.chain_building');
    const contradicts = await b.actFails(b.members.chair, app.name, { act: 'record_finding', complies: true, checklist: allComply({ server_room_requirements: { complies: false, note: 'ceiling 2.30 m' } }), chain_check: chainOf(centre) }, grpc.status.INVALID_ARGUMENT);
    expect(contradicts.violations).to.include('act.payload.complies');
    const act = await inspect(app.name, centre);
    const doc = JSON.parse(Buffer.from(act.document).toString('utf8'));
    expect(doc.chain_check).to.include({ ok: true, code: 'OK', crl_ok: true });
    expect(Object.keys(doc.checklist)).to.have.length(15);

    // The act: a dissent with reasons is recorded; four of six sign without the national-security member — not adopted.
    await vote('tech2', app.name, act.sha256, false, ['item 7: the backup channel was not demonstrated']);
    const unreasoned = await b.actFails(b.members.provider2, app.name, { act: 'vote', act_sha256: act.sha256, signs: false }, grpc.status.INVALID_ARGUMENT);
    expect(unreasoned.violations).to.include('reasons');
    const wrongAct = await b.actFails(b.members.chair, app.name, { act: 'vote', act_sha256: '0'.repeat(64), signs: true }, grpc.status.INVALID_ARGUMENT);
    expect(wrongAct.violations).to.include('act.payload.act_sha256');
    for (const m of ['chair', 'secretary', 'provider2', 'tech'] as MemberName[]) await vote(m, app.name, act.sha256);
    const before = await get(app.name);
    const noNs = await b.actFails(b.members.chair, app.name, { act: 'record_finding', complies: true }, grpc.status.FAILED_PRECONDITION);
    expect(noNs.reason).to.equal('REQUIRED_SIGNATURE_MISSING');
    expect(await get(app.name)).to.deep.include({ currentStep: 'act', status: before.status });
    expect((await call(bind(b.licensing, 'getInspectionAct'), { application: app.name })).response.adopted).to.equal(false);
    // Only the head decides; the act must be adopted first.
    await b.actFails(b.officials.head, app.name, { act: 'draft_result', role: 'head' }, grpc.status.FAILED_PRECONDITION);
    await vote('ns', app.name, act.sha256);
    await b.act(b.members.chair, app.name, { act: 'record_finding', complies: true });
    const adopted = (await call(bind(b.licensing, 'getInspectionAct'), { application: app.name })).response;
    expect(adopted.adopted).to.equal(true);
    expect(adopted.votes.filter((v) => !v.signs)).to.deep.equal([{ member: MEMBERS.tech2.iin, body: 'technical_regulation', signs: false, reasons: ['item 7: the backup channel was not demonstrated'] }]);

    // Before the grant a certificate from the centre does not validate anywhere.
    expect(follower.core.verifyBytes(centre.user, { intermediates: [centre.caSelfSigned] }).code).to.equal('UNKNOWN_ISSUER');

    const decided = await b.act(b.officials.head, app.name, { act: 'draft_result', role: 'head' });
    const certificate = JSON.parse(Buffer.from(decided.draftDocument).toString('utf8'));
    expect(certificate).to.include({ document: 'ruqsat.accreditation', ca_name: 'Qorgau Accredited CA', act_sha256: act.sha256 });
    expect(certificate.number).to.match(/^ACC-\d{4}-\d{6}$/);
    expect(certificate.legal_entity).to.include({ bin: CENTRE_BIN, name: 'Qorgau Security LLP' });
    expect(Number(certificate.valid_until.slice(0, 4)) - Number(certificate.date.slice(0, 4))).to.equal(3);
    const signed = await b.act(b.officials.signatory, app.name, { act: 'sign', document_signature: b.signDraft(b.officials.signatory, decided.draftDocument) });
    expect(signed.status).to.equal(ApplicationStatus.APPLICATION_STATUS_ISSUED);

    // The Root CA certified the centre from its CSR with its policy; the chain check ran again from the Root CA.
    const acc = (await call(bind(b.licensing, 'getAccreditation'), { name: `accreditations/${app.name.split('/')[1]}` })).response;
    expect(acc).to.include({ status: AccreditationStatus.ACCREDITATION_STATUS_ACTIVE, number: certificate.number, rootChainCheck: 'OK', caName: 'Qorgau Accredited CA' });
    expect(acc.policies).to.deep.equal([POLICY]);
    const authority = (await call(bind(b.trust, 'getAuthority'), { name: acc.authority })).response;
    const ca = parseCertificate(authority.certificateDer);
    expect(ca.serialHex.toLowerCase()).to.equal(acc.rootCertificateSerial);
    expect(ca.policies!.map((p) => p.oid)).to.deep.equal([POLICY]);
    expect(ca.notAfter * 1000).to.be.at.most(acc.expireTime!.getTime());
    // Trust knows where the centre publishes its own CRL (the form's), to fetch it and feed it to every service.
    expect(authority.crlDistributionPoints).to.deep.equal(['http://crl.qorgau.kz/ca.crl']);
    // Now the centre's user certificate validates in another service's core, through the Root CA, every CRL checked
    // (the centre's own CRL as a relying party fetches it from the centre's distribution point).
    follower.core.addCrl(centre.crl);
    const verify = () => follower.core.verifyBytes(centre.user, { intermediates: [authority.certificateDer], crlCheck: 'all', policies: [POLICY] });
    expect(verify()).to.include({ ok: true, code: 'OK' });

    // The register in the registry service, through the outbox.
    const registry = clientFor(RegistryServiceClient, b.t.address('registry'));
    const entryOf = async (status: EntryStatus) => {
      const r = await call(bind(registry, 'searchEntries'), { parent: 'registers/accreditation-certificates', query: '', holder: CENTRE_BIN, number: '', kind: '', status: 0, filter: '', pageSize: 10, pageToken: '' });
      const e = r.response.entries.find((x) => x.sourceResource === acc.name);
      return e?.status === status ? e : undefined;
    };
    const entry = await eventually(() => entryOf(EntryStatus.ENTRY_STATUS_ACTIVE), 20_000);
    expect(entry).to.include({ number: certificate.number });
    expect(entry.attributes).to.include({ ca_name: 'Qorgau Accredited CA', act_sha256: act.sha256, root_certificate_serial: acc.rootCertificateSerial, root_certificate_sha256: acc.rootCertificateSha256, policies: POLICY, crl_distribution_points: 'http://crl.qorgau.kz/ca.crl', decision: acc.decisionReference });
    expect(Buffer.from(entry.document!.payload).equals(Buffer.from(decided.draftDocument))).to.equal(true);

    // Procedure A: the legal entity terminates; the head revokes; the Root CA revokes the centre, felt within a second.
    const revokeAct = (who = b.officials.head, body: object = {}) => ({ name: acc.name, act: signAct(who.key, { act: 'revoke_accreditation', accreditation: acc.name, role: 'head', ground: 'termination', reason: 'notification of 12 Nov: liquidation, 20 WD needed', ...body }, [who.cert]) });
    await callFails(bind(b.licensing, 'revokeAccreditation'), revokeAct(b.officials.head, { ground: 'dislike' }), grpc.status.INVALID_ARGUMENT);
    await callFails(bind(b.licensing, 'revokeAccreditation'), revokeAct(b.officials.executor, { role: 'executor' }), grpc.status.PERMISSION_DENIED);
    expect(verify().ok).to.equal(true);
    const revoked = (await call(bind(b.licensing, 'revokeAccreditation'), revokeAct())).response;
    const acknowledged = Date.now();
    expect(revoked).to.include({ status: AccreditationStatus.ACCREDITATION_STATUS_REVOKED, revocationGround: 'termination' });
    while (verify().ok && Date.now() - acknowledged < 1_000) await new Promise((r) => setTimeout(r, 10));
    expect(verify()).to.deep.include({ ok: false, code: 'REVOKED' });
    expect(verify().revocation).to.include({ reasonCode: 5 });
    await callFails(bind(b.licensing, 'revokeAccreditation'), revokeAct(), grpc.status.FAILED_PRECONDITION);
    await eventually(() => entryOf(EntryStatus.ENTRY_STATUS_REVOKED), 20_000);
  });

  it('expires after its 3 years with the same effect: the Root CA revokes the centre', async () => {
    const centre = buildCentre(b.dir, 'beta');
    const { accreditation } = await grant(b, 'acc-2', centre);
    expect(accreditation.status).to.equal(AccreditationStatus.ACCREDITATION_STATUS_ACTIVE);
    const caDer = (await call(bind(b.trust, 'getAuthority'), { name: accreditation.authority })).response.certificateDer;
    follower.core.addCrl(centre.crl);
    const verify = () => follower.core.verifyBytes(centre.user, { intermediates: [caDer], crlCheck: 'all' });
    expect(verify().ok).to.equal(true);
    // Three years on: the scan finds the certificate past its end.
    await b.accreditations.db.table('accreditations', undefined).where({ id: accreditation.name.split('/')[1] }).update({ expires_at: new Date(Date.now() - 1000) });
    const expired = await eventually(async () => {
      const a = (await call(bind(b.licensing, 'getAccreditation'), { name: accreditation.name })).response;
      return a.status === AccreditationStatus.ACCREDITATION_STATUS_EXPIRED && !verify().ok ? a : undefined;
    }, 10_000);
    expect(expired.revocationGround).to.equal('expiry');
    expect(verify()).to.deep.include({ code: 'REVOKED' });
  });

  it('refuses early: incomplete documents (2 WD) and the documentary stage\u2019s minutes (3 WD), each after the hearing', async () => {
    const centre = buildCentre(b.dir, 'gamma');
    const app = await b.submit('acc-3', centre);
    await b.act(b.officials.registrar, app.name, { act: 'register', registration_no: 'ISC-AQ-0003' });
    const reasons = ['List item 10: the CIPF conformity certificates are for another product'];
    expect((await b.actFails(b.officials.executor, app.name, { act: 'refuse', reasons }, grpc.status.FAILED_PRECONDITION)).reason).to.equal('HEARING_REQUIRED');
    await b.act(b.officials.executor, app.name, { act: 'preliminary_refusal', reasons });
    await call(bind(b.licensing, 'submitDocuments'), { name: app.name, answer: signAct(b.applicant.key, { act: 'submit_documents', application: app.name, text: 'the certificates cover the HSM firmware' }, [b.applicant.cert]) });
    const refused = await b.act(b.officials.executor, app.name, { act: 'refuse', reasons });
    expect(refused.status).to.equal(ApplicationStatus.APPLICATION_STATUS_REFUSED);
    const result = (await get(app.name)).resultDocument!;
    expect(JSON.parse(Buffer.from(result.payload).toString())).to.include({ act: 'refuse' });
    // The refusal is appealed to the head of the provider (5 WD) or the quality body (15 WD), on the calendar.
    for (const [to, days] of [['head_of_provider', 5], ['quality_body', 15]] as const) {
      const appeal = (await call(bind(b.licensing, 'fileAppeal'), { name: app.name, appeal: signAct(b.applicant.key, { act: 'file_appeal', application: app.name, to, text: 'the certificates do cover the HSM' }, [b.applicant.cert]) })).response;
      expect(appeal.dueTime!.getTime()).to.equal(calendar.deadline(appeal.fileTime!, { unit: 'working_days', amount: days }).dueAt.getTime());
    }

    const second = await b.submit('acc-4', centre);
    await b.act(b.officials.registrar, second.name, { act: 'register', registration_no: 'ISC-AQ-0004' });
    await b.act(b.officials.executor, second.name, { act: 'record_finding', complies: true });
    await b.act(b.officials.executor, second.name, { act: 'convene_commission', members: COMMISSION });
    const minutesReasons = ['the certificate policy does not name the registered OIDs'];
    await b.act(b.members.chair, second.name, { act: 'preliminary_refusal', reasons: minutesReasons });
    await call(bind(b.licensing, 'submitDocuments'), { name: second.name, answer: signAct(b.applicant.key, { act: 'submit_documents', application: second.name, text: 'we will amend the CP' }, [b.applicant.cert]) });
    // The executor cannot refuse for the commission, and the commission's refusal names its minutes.
    expect((await b.actFails(b.officials.executor, second.name, { act: 'refuse', reasons: minutesReasons }, grpc.status.PERMISSION_DENIED)).reason).to.equal('WRONG_ROLE');
    expect((await b.actFails(b.members.chair, second.name, { act: 'refuse', reasons: minutesReasons }, grpc.status.INVALID_ARGUMENT)).violations).to.include('act.payload.minutes');
    const byMinutes = await b.act(b.members.chair, second.name, { act: 'refuse', reasons: minutesReasons, minutes: 'minutes No. 7 of the commission' });
    expect(byMinutes.status).to.equal(ApplicationStatus.APPLICATION_STATUS_REFUSED);
    expect(await b.accreditations.accreditation(second.name.split('/')[1]!)).to.equal(undefined);
  });

  it('refuses after the act (para 14): an on-site non-compliance, heard, adopted by its quorum, decided and signed as a reasoned refusal', async () => {
    const centre = buildCentre(b.dir, 'epsilon');
    const app = await b.submit('acc-6', centre);
    await toOnsite(app.name);
    const reasons = ['item 15: no automatic fire-suppression system in the server room'];
    const finding = { act: 'record_finding', complies: false, reasons, checklist: allComply({ server_room_requirements: { complies: false, note: 'no fire suppression' } }), chain_check: chainOf(centre) };
    // Unfavourable: the hearing first (APPC art. 73).
    expect((await b.actFails(b.members.chair, app.name, finding, grpc.status.FAILED_PRECONDITION)).reason).to.equal('HEARING_REQUIRED');
    await b.act(b.members.chair, app.name, { act: 'preliminary_refusal', reasons });
    await call(bind(b.licensing, 'submitDocuments'), { name: app.name, answer: signAct(b.applicant.key, { act: 'submit_documents', application: app.name, text: 'a system is on order' }, [b.applicant.cert]) });
    await b.act(b.members.chair, app.name, finding);
    const act = (await call(bind(b.licensing, 'getInspectionAct'), { application: app.name })).response;
    expect(JSON.parse(Buffer.from(act.document).toString())).to.include({ complies: false });
    for (const m of ['chair', 'secretary', 'tech', 'ns'] as MemberName[]) await vote(m, app.name, act.sha256);
    // The act says what the inspection found.
    expect((await b.actFails(b.members.chair, app.name, { act: 'record_finding', complies: true }, grpc.status.FAILED_PRECONDITION)).reason).to.equal('ACT_CONTRADICTS_FINDING');
    await b.act(b.members.chair, app.name, { act: 'record_finding', complies: false, reasons });
    expect((await b.actFails(b.officials.head, app.name, { act: 'draft_result', role: 'head', result: 'issue' }, grpc.status.FAILED_PRECONDITION)).reason).to.equal('DRAFT_CONTRADICTS_FINDING');
    const decided = await b.act(b.officials.head, app.name, { act: 'draft_result', role: 'head' });
    expect(JSON.parse(Buffer.from(decided.draftDocument).toString())).to.include({ document: 'ruqsat.refusal' });
    const refused = await b.act(b.officials.signatory, app.name, { act: 'refuse', document_signature: b.signDraft(b.officials.signatory, decided.draftDocument) });
    expect(refused.status).to.equal(ApplicationStatus.APPLICATION_STATUS_REFUSED);
    expect((await get(app.name)).refusalReasons).to.deep.equal(reasons);
    expect(await b.accreditations.accreditation(app.name.split('/')[1]!)).to.equal(undefined);
  });

  it('revokes on a complaint (procedure B): disagreement without grounds, the examination act of ≥ 3 of ≥ 5 without the secretary, the objections answered; REVOKED in another core', async () => {
    const centre = buildCentre(b.dir, 'delta');
    const { accreditation } = await grant(b, 'acc-5', centre);
    const caDer = (await call(bind(b.trust, 'getAuthority'), { name: accreditation.authority })).response.certificateDer;
    follower.core.addCrl(centre.crl);
    const verify = () => follower.core.verifyBytes(centre.user, { intermediates: [caDer], crlCheck: 'all' });
    expect(verify().ok).to.equal(true);

    // A user of the centre complains (an individual); the complaint names a certificate in force.
    const complain = (extra: object) => signAct(b.person.key, { act: 'submit_application', service: 'accreditation.revocation', complaint: 'my certificate was issued without identification', ...extra }, [b.person.cert]);
    const bad = await callFails(bind(b.licensing, 'submitApplication'), { requestId: 'complaint-0', application: complain({ accreditation: 'accreditations/nope' }) }, grpc.status.INVALID_ARGUMENT);
    expect(bad.status.fieldViolations.map((v) => v.field)).to.include('application.payload.accreditation');
    const complaint = (await call(bind(b.licensing, 'submitApplication'), { requestId: 'complaint-1', application: complain({ accreditation: accreditation.name }) })).response;
    const name = complaint.name;
    await b.act(b.officials.registrar, name, { act: 'register', registration_no: 'ISC-C-0001' });
    await b.act(b.officials.executor, name, { act: 'record_finding', complies: true }); // request for explanations sent
    // The centre disagrees without grounds: straight to the on-site examination, its date and subject in the notice (para 21).
    await b.act(b.officials.executor, name, { act: 'record_finding', complies: true, exit: 'disagreement', reasons: ['the centre disagrees without grounds'], explanation: 'we identify everyone', answer: 'the registration journal shows otherwise' });
    await b.act(b.officials.executor, name, { act: 'convene_commission', members: COMMISSION, examination_date: wallClock(calendar.nextWorkingDayStart(new Date())).date, subject: 'identification of applicants' });
    await b.act(b.members.chair, name, { act: 'record_finding', complies: true, reasons: ['item 11: the registration centre does not identify applicants'] });
    const exam = (await call(bind(b.licensing, 'getInspectionAct'), { application: name })).response;
    expect(JSON.parse(Buffer.from(exam.document).toString())).to.include({ document: 'ruqsat.accreditation_examination_act', violations_found: true });
    for (const m of ['secretary', 'chair', 'ns'] as MemberName[]) await vote(m, name, exam.sha256);
    // The secretary's signature does not count: two are not three (para 22).
    expect((await b.actFails(b.members.chair, name, { act: 'record_finding', complies: true, reasons: ['x'] }, grpc.status.FAILED_PRECONDITION)).reason).to.equal('QUORUM_NOT_MET');
    await vote('tech', name, exam.sha256);
    await b.act(b.members.chair, name, { act: 'record_finding', complies: true, reasons: ['item 11: the registration centre does not identify applicants'] });
    // The objections to the act answered; the provider revokes now rather than recommend and wait (§6.8).
    await b.act(b.officials.executor, name, { act: 'record_finding', complies: true, exit: 'revoke', reasons: ['objections not founded'], objections: 'none received', answer: 'none to answer' });
    expect((await b.actFails(b.officials.head, name, { act: 'draft_result', role: 'head' }, grpc.status.INVALID_ARGUMENT)).violations).to.include('act.payload.damage_to_users');
    const decided = await b.act(b.officials.head, name, { act: 'draft_result', role: 'head', damage_to_users: '12 certificates issued to persons never identified' });
    expect(JSON.parse(Buffer.from(decided.draftDocument).toString())).to.include({ document: 'ruqsat.accreditation_revocation', accreditation: accreditation.name });

    // Every step's clock on the working-day calendar: 3, 6, 30, 1 WD (the 30 WD explanation and 60 WD remediation: accreditation-revocation.test.ts).
    const clocks = (await get(name)).steps;
    const due = (step: string, days: number) => {
      const c = clocks.find((x) => x.step === step)!;
      return c.dueTime!.getTime() === calendar.deadline(c.startTime!, { unit: 'working_days', amount: days }).dueAt.getTime();
    };
    expect([due('explanations_request', 3), due('examination', 6), due('objections', 30), due('decision', 1)]).to.deep.equal([true, true, true, true]);

    await b.act(b.officials.head, name, { act: 'sign', role: 'head', document_signature: b.signDraft(b.officials.head, decided.draftDocument) });
    const acknowledged = Date.now();
    const revoked = (await call(bind(b.licensing, 'getAccreditation'), { name: accreditation.name })).response;
    expect(revoked).to.include({ status: AccreditationStatus.ACCREDITATION_STATUS_REVOKED, revocationGround: 'violations' });
    while (verify().ok && Date.now() - acknowledged < 1_000) await new Promise((r) => setTimeout(r, 10));
    expect(verify()).to.deep.include({ ok: false, code: 'REVOKED' });
  });

  it('keeps every act in an unbroken audit log', async () => {
    expect(await verifyChain(b.store.db)).to.include({ ok: true });
  });
});
