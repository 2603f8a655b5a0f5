// The registry's own state services end to end over gRPC on the kit's case flow (MTC Order 209, App. 2 and 3):
// an EIR/IS registration through the Committee, the Organization and back, signed by the Committee Head and then
// found in the State Register; a refusal after the hearing; a KKM conformity conclusion; bad input refused.
import * as grpc from '@grpc/grpc-js';
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCertificate } from '../../core-wasm/src/index.ts';
import { CaseServiceClient, type Case } from '../../gen/ruqsat/cases/v1/cases.ts';
import { ApplicationStatus, PartyType, ResultDispatchChannel } from '../../gen/ruqsat/common/v1/common.ts';
import { RegistryServiceClient, type EntryChange } from '../../gen/ruqsat/registry/v1/registry.ts';
import { TrustServiceClient } from '../../gen/ruqsat/trust/v1/trust.ts';
import { CaseStore } from '../../services/kit/cases/store.ts';
import { ServiceDb } from '../../services/kit/db.ts';
import { migrations } from '../../services/registry/migrations/index.ts';
import { clientFor } from '../../services/kit/grpc/client.ts';
import { CONFORMITY_KKM_COMPUTER_SYSTEM, REGISTRY_EIR_IS, type ServiceDefinition } from '../../services/kit/workflow/index.ts';
import { bind, call, callFails } from '../helpers/grpc.ts';
import { startTestMesh, type TestMesh } from '../helpers/mesh.ts';
import { issueCertificate, makeKey, provisionOperator, signAct, signBytes, type TestKey, type TestOperator } from '../trust/helpers.ts';
import { calendar } from '../../services/kit/calendar/index.ts';
import { collectUntil, COMPANY } from './helpers.ts';

const STATE_BODY = '050940002344';
const hash = (s: string) => createHash('sha256').update(s).digest('hex');
const EIR_ATTACHMENTS = [{ id: 'registration_application', sha256: hash('application') }];
const KKM_ATTACHMENTS = CONFORMITY_KKM_COMPUTER_SYSTEM.requiredAttachments.map((a) => ({ id: a.id, sha256: hash(a.id) }));
const A4 = 'the information in the application is incomplete or incorrect (мәліметтер толық емес не дұрыс емес), step A4';

interface Signer {
  key: TestKey;
  chain: Uint8Array[];
  iin: string;
}

async function makeSigner(trust: InstanceType<typeof TrustServiceClient>, operator: TestOperator, dir: string, iin: string, profile: string): Promise<Signer> {
  const key = makeKey(dir, `signer-${iin}-${profile}`, 'ed25519');
  const cert = await issueCertificate(trust, operator, key, `req-${iin}-${profile}`, iin, profile, profile.startsWith('official_') ? STATE_BODY : undefined);
  const leaf = parseCertificate(cert.der);
  const { authorities } = (await call(bind(trust, 'listAuthorities'), { pageSize: 100, pageToken: '' })).response;
  const issuer = authorities.find((a) => parseCertificate(a.certificateDer).subject.text === leaf.issuer.text)!;
  return { key, chain: [cert.der, issuer.certificateDer], iin };
}

describe('registry: EIR/IS registration and KKM conformity on the case flow', function () {
  this.timeout(180_000);
  let t: TestMesh;
  let dir: string;
  let registry: InstanceType<typeof RegistryServiceClient>;
  let cases: InstanceType<typeof CaseServiceClient>;
  let registrar: Signer;
  let head: Signer;
  let executor: Signer;
  let commission: Signer;
  let owner: Signer;
  const byRole = () => ({ registrar, head, executor, commission_member: commission }) as Record<string, Signer>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ruqsat-registry-flow-'));
    t = await startTestMesh(['trust', 'registry']);
    const trust = clientFor(TrustServiceClient, t.address('trust'));
    registry = clientFor(RegistryServiceClient, t.address('registry'));
    cases = clientFor(CaseServiceClient, t.address('registry'));
    const operator = await provisionOperator(t, dir);
    registrar = await makeSigner(trust, operator, dir, '851120300359', 'official_registrar');
    head = await makeSigner(trust, operator, dir, '780103500569', 'official_head');
    executor = await makeSigner(trust, operator, dir, '920702400470', 'official_executor');
    commission = await makeSigner(trust, operator, dir, '900315400215', 'official_commission_member');
    owner = await makeSigner(trust, operator, dir, '870601300126', 'individual_sign');
    const staff = new CaseStore(new ServiceDb(t.mesh.database.knex, t.config.schemaPrefix + 'registry'));
    await staff.addStaff(registrar.iin, 'registrar', 'Zhaksybekov Yerlan');
    await staff.addStaff(head.iin, 'head', 'Kim Viktor');
    await staff.addStaff(executor.iin, 'executor', 'Abenova Aigerim');
    await staff.addStaff(commission.iin, 'commission_member', 'Omarova Dana');
  });
  after(async () => {
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Submits, retrying while the registry's trust follower is still loading the anchors. */
  async function submit(requestId: string, body: object) {
    for (let i = 0; i < 200; i++) {
      const r = await call(bind(registry, 'submitApplication'), { requestId, application: signAct(owner.key, { act: 'submit_application', ...body }, owner.chain) }).catch((e: grpc.ServiceError) => e);
      if (!(r instanceof Error)) return r.response;
      if ((r as grpc.ServiceError).code !== grpc.status.UNAVAILABLE) throw r;
      await new Promise((res) => setTimeout(res, 50));
    }
    throw new Error('registry never loaded the trust anchors');
  }
  const act = async (who: Signer, application: string, body: object): Promise<Case> => (await call(bind(cases, 'performAct'), { application, act: signAct(who.key, { application, ...body }, who.chain) })).response;
  const actFails = (who: Signer, application: string, body: object, code: grpc.status) => callFails(bind(cases, 'performAct'), { application, act: signAct(who.key, { application, ...body }, who.chain) }, code);
  const get = async (name: string) => (await call(bind(registry, 'getApplication'), { name })).response;

  /** Runs every step up to (not including) `until` as its role would: resolutions, findings, drafts. */
  async function walk(def: ServiceDefinition, name: string, c: Case, until: string, finding: { complies: boolean; reasons?: string[] }): Promise<Case> {
    let current = c;
    while (current.currentStep !== until) {
      const step = def.steps.find((s) => s.id === current.currentStep)!;
      const who = byRole()[step.role]!;
      if (step.actions.includes('register')) current = await act(who, name, { act: 'register', registration_no: `KSI-IN-2026-${name.slice(-4)}` });
      else if (step.actions.includes('assign_executor')) current = await act(who, name, { act: 'assign_executor', executor_id: executor.iin });
      else if (step.actions.includes('draft_result')) current = await act(who, name, finding.complies ? { act: 'draft_result', signatory_iin: head.iin } : { act: 'draft_result', result: 'refusal' });
      else current = await act(who, name, { act: 'record_finding', ...finding });
    }
    return current;
  }

  const EIR = { service: 'registry.eir_is', sub_kinds: ['information_system'], owner: { type: 'legal_entity', identifier: COMPANY, name: 'Ақпарат Жүйелері ЖШС' }, resource_name: 'Qoima warehouse accounting system', resource_class: 'information_system', purpose: 'accounting of goods in state reserve warehouses', attachments: EIR_ATTACHMENTS };

  it('registers an information system: Committee, Organization, Committee; the Committee Head signs; the entry is in the State Register', async () => {
    const app = await submit('eir-1', EIR);
    expect(app).to.include({ service: 'registry.eir_is', resourceName: EIR.resource_name, resourceClass: 'information_system', purpose: EIR.purpose });
    expect(app.owner).to.include({ identifier: COMPANY, type: PartyType.PARTY_TYPE_LEGAL_ENTITY });
    // On the mesh calendar: the definition's 37 working days from receipt, and A1's one office hour.
    expect(Math.abs(app.dueTime!.getTime() - calendar.deadline(app.createTime!, REGISTRY_EIR_IS.deadline).dueAt.getTime())).to.be.below(1000);
    expect(app.currentStep).to.equal('intake');
    const first = await act(registrar, app.name, { act: 'register', registration_no: 'KSI-IN-2026-0001' });
    // The Organization's draft (B11b) takes the number; the Committee's (C17) keeps it.
    const atB11b = await walk(REGISTRY_EIR_IS, app.name, first, 'certificate_drafting', { complies: true });
    const b11b = await act(executor, app.name, { act: 'draft_result', signatory_iin: head.iin });
    const number = JSON.parse(Buffer.from(b11b.draftDocument).toString()).number as string;
    expect(number).to.match(/^EIR-IS-\d{4}-\d{6}$/);
    expect(atB11b.currentStep).to.equal('certificate_drafting');
    const atSignature = await walk(REGISTRY_EIR_IS, app.name, b11b, 'signature', { complies: true });
    const draft = atSignature.draftDocument;
    const doc = JSON.parse(Buffer.from(draft).toString());
    expect(doc).to.deep.include({ document: 'ruqsat.eir-is-registration', number, name: EIR.resource_name, class: 'information_system', purpose: EIR.purpose, signatory: { iin: head.iin, name: 'Kim Viktor' } });
    expect(doc.owner).to.deep.equal(EIR.owner);
    expect(Object.keys(doc).sort()).to.deep.equal(['class', 'date', 'document', 'name', 'number', 'owner', 'purpose', 'signatory']);

    // The signature must be over exactly the draft's bytes.
    const forged = await callFails(bind(cases, 'performAct'), { application: app.name, act: signAct(head.key, { application: app.name, act: 'sign', document_signature: signBytes(head.key, Buffer.from('something else')) }, head.chain) }, grpc.status.UNAUTHENTICATED);
    expect(forged.status.errorInfo?.reason).to.equal('BAD_DOCUMENT_SIGNATURE');
    const watch = registry.watchRegister({ parent: 'registers/eir-is', afterSequence: 0 });
    const watched = collectUntil<EntryChange>(watch, (got) => got.some((ch) => ch.entry?.number === number), 15_000);
    const signedCase = await act(head, app.name, { act: 'sign', document_signature: signBytes(head.key, draft) });
    const [change] = (await watched).filter((ch) => ch.entry?.number === number);
    watch.cancel();
    expect(change).to.include({ created: true });

    const issued = await get(app.name);
    expect(issued.status).to.equal(ApplicationStatus.APPLICATION_STATUS_ISSUED);
    expect(issued.resultNumber).to.equal(number);
    expect(issued.entry).to.match(/^registers\/eir-is\/entries\//);
    expect(Buffer.from(issued.resultDocument!.payload).equals(Buffer.from(draft))).to.equal(true);

    const found = (await call(bind(registry, 'searchEntries'), { parent: 'registers/eir-is', query: 'Qoima', holder: '', number: '', kind: '', status: 0, filter: '', pageSize: 10, pageToken: '' })).response.entries;
    expect(found).to.have.length(1);
    expect(found[0]).to.include({ name: issued.entry, number, title: EIR.resource_name, sourceService: 'registry', sourceResource: app.name });
    expect(found[0]!.holder).to.include({ identifier: COMPANY });
    expect(found[0]!.attributes).to.include({ kind: 'information_system', application: app.name });
    expect(Buffer.from(found[0]!.document!.payload).equals(Buffer.from(draft))).to.equal(true);
    expect(found[0]!.document!.signature.length).to.be.greaterThan(0);
    const byNumber = (await call(bind(registry, 'searchEntries'), { parent: '', query: '', holder: COMPANY, number, kind: '', status: 0, filter: '', pageSize: 10, pageToken: '' })).response.entries;
    expect(byNumber.map((e) => e.name)).to.deep.equal([issued.entry]);

    // C19 after the signature: the Committee office sends the paper Certificate within a working day, by post or courier.
    expect(signedCase).to.include({ currentStep: 'dispatch', overdue: false });
    expect(signedCase.stepDueTime!.getTime()).to.be.greaterThan(Date.now());
    const letter = await actFails(head, app.name, { act: 'sign_cover_letter', document_signature: signBytes(head.key, draft) }, grpc.status.FAILED_PRECONDITION);
    expect(letter.status.errorInfo?.reason).to.equal('STEP_OUT_OF_ORDER'); // EIR/IS has no cover-letter step of its own after C18
    await actFails(executor, app.name, { act: 'dispatch', channel: 'post' }, grpc.status.PERMISSION_DENIED);
    const pigeon = await actFails(registrar, app.name, { act: 'dispatch', channel: 'pigeon' }, grpc.status.INVALID_ARGUMENT);
    expect(pigeon.status.fieldViolations.map((v) => v.field)).to.deep.equal(['act.payload.channel']);
    // The applicant sees the step running, then done.
    const awaiting = await get(app.name);
    expect(awaiting.currentStep).to.equal('dispatch');
    expect(awaiting.stepDueTime).to.deep.equal(signedCase.stepDueTime);
    expect(awaiting.dispatch).to.equal(undefined);
    const sent = await act(registrar, app.name, { act: 'dispatch', channel: 'courier', reference: 'WB-2026-0001' });
    expect(sent).to.include({ currentStep: '', overdue: false });
    const posted = await get(app.name);
    expect(posted.currentStep).to.equal('');
    expect(posted.steps.find((c) => c.step === 'dispatch')!.completeTime!.getTime()).to.be.at.most(Date.now());
    // How and when it went, as the office recorded it.
    expect(posted.dispatch).to.deep.include({ channel: ResultDispatchChannel.RESULT_DISPATCH_CHANNEL_COURIER, reference: 'WB-2026-0001' });
    expect(posted.dispatch!.dispatchTime!.getTime()).to.equal(posted.steps.find((c) => c.step === 'dispatch')!.completeTime!.getTime());
    const again = await actFails(registrar, app.name, { act: 'dispatch', channel: 'post' }, grpc.status.FAILED_PRECONDITION);
    expect(again.status.errorInfo?.reason).to.equal('ALREADY_DONE');
    expect((await get(app.name)).status).to.equal(ApplicationStatus.APPLICATION_STATUS_ISSUED);
  });

  it('refuses after the hearing: preliminary refusal, objection, negative finding, refusal drafted and signed by the Committee Head', async () => {
    const app = await submit('eir-2', { ...EIR, resource_name: 'Incomplete portal', purpose: 'unclear' });
    let c = await act(registrar, app.name, { act: 'register', registration_no: 'KSI-IN-2026-0002' });
    c = await walk(REGISTRY_EIR_IS, app.name, c, 'check', { complies: true });
    // No refusal without the hearing first.
    await callFails(bind(cases, 'performAct'), { application: app.name, act: signAct(executor.key, { application: app.name, act: 'record_finding', complies: false, reasons: [A4] }, executor.chain) }, grpc.status.FAILED_PRECONDITION);
    await act(executor, app.name, { act: 'preliminary_refusal', reasons: [A4] });
    const noticed = await get(app.name);
    expect(noticed.status).to.equal(ApplicationStatus.APPLICATION_STATUS_AWAITING_APPLICANT);
    // While the window runs, no negative finding.
    await callFails(bind(cases, 'performAct'), { application: app.name, act: signAct(executor.key, { application: app.name, act: 'record_finding', complies: false, reasons: [A4] }, executor.chain) }, grpc.status.FAILED_PRECONDITION);
    const objected = (await call(bind(registry, 'submitDocuments'), { name: app.name, answer: signAct(owner.key, { act: 'submit_documents', application: app.name, text: 'the purpose was stated' }, owner.chain) })).response;
    expect(objected.status).to.equal(ApplicationStatus.APPLICATION_STATUS_IN_PROGRESS);
    c = await act(executor, app.name, { act: 'record_finding', complies: false, reasons: [A4] });
    // The engine's one chain: the refusal is carried through the later steps at once (INFORMATIZATION_GAPS).
    c = await walk(REGISTRY_EIR_IS, app.name, c, 'signature', { complies: false, reasons: [A4] });
    const refusal = JSON.parse(Buffer.from(c.draftDocument).toString());
    expect(refusal).to.include({ document: 'ruqsat.refusal', service: 'registry.eir_is' });
    expect(refusal.reasons).to.deep.equal([A4]);
    // The refusal is the Committee Head's, with the signature over the refusal's bytes.
    await callFails(bind(cases, 'performAct'), { application: app.name, act: signAct(executor.key, { application: app.name, act: 'refuse', document_signature: signBytes(executor.key, c.draftDocument) }, executor.chain) }, grpc.status.PERMISSION_DENIED);
    await callFails(bind(cases, 'performAct'), { application: app.name, act: signAct(head.key, { application: app.name, act: 'refuse' }, head.chain) }, grpc.status.INVALID_ARGUMENT);
    await act(head, app.name, { act: 'refuse', document_signature: signBytes(head.key, c.draftDocument) });
    const refused = await get(app.name);
    expect(refused.status).to.equal(ApplicationStatus.APPLICATION_STATUS_REFUSED);
    expect(refused.refusalReasons).to.deep.equal([A4]);
    expect(refused.entry).to.equal('');
    // A case refused before the monitor watched C19 (no next look): the migration has the monitor look at it now.
    const db = new ServiceDb(t.mesh.database.knex, t.config.schemaPrefix + 'registry');
    const id = app.name.split('/')[1]!;
    const nextLook = async () => (await db.table<{ id: string; next_check_at: Date | null }>('applications').where({ id }).first())!.next_check_at;
    expect(await nextLook()).to.not.equal(null);
    await db.table('applications').where({ id }).update({ next_check_at: null });
    await db.table('knex_migrations').where({ name: '007_after_result_watch' }).delete();
    await db.migrate(migrations);
    expect((await nextLook())!.getTime()).to.be.at.most(Date.now());
    // The paper refusal goes out by C19 too.
    expect((await act(registrar, app.name, { act: 'dispatch', channel: 'post', reference: 'KZ000000001KZ' })).currentStep).to.equal('');
    const none = (await call(bind(registry, 'searchEntries'), { parent: 'registers/eir-is', query: '', holder: '', number: '', kind: '', status: 0, filter: `source_resource = "${app.name}"`, pageSize: 10, pageToken: '' })).response.entries;
    expect(none).to.deep.equal([]);
  });

  it('refuses bad input and registers nothing', async () => {
    const bad = await callFails(
      bind(registry, 'submitApplication'),
      { requestId: 'eir-bad', application: signAct(owner.key, { act: 'submit_application', ...EIR, owner: { type: 'company', identifier: '123', name: '' }, resource_name: '', resource_class: 'website', purpose: 'x'.repeat(3000) }, owner.chain) },
      grpc.status.INVALID_ARGUMENT,
    );
    const fields = bad.status.fieldViolations.map((v) => v.field);
    expect(fields).to.include.members(['application.payload.owner.type', 'application.payload.owner.identifier', 'application.payload.owner.name', 'application.payload.resource_name', 'application.payload.resource_class', 'application.payload.purpose']);
    const noAttachments = await callFails(bind(registry, 'submitApplication'), { requestId: 'eir-bad-2', application: signAct(owner.key, { act: 'submit_application', ...EIR, attachments: [] }, owner.chain) }, grpc.status.INVALID_ARGUMENT);
    expect(noAttachments.status.fieldViolations.length).to.be.greaterThan(0);
    const mine = (await call(bind(registry, 'listApplications'), { pageSize: 50, pageToken: '', applicantIdentifier: owner.iin })).response.applications;
    expect(mine.map((a) => a.name).length).to.equal(2); // the two of the tests before
    const all = (await call(bind(registry, 'listEntries'), { parent: 'registers/eir-is', pageSize: 50, pageToken: '' })).response.entries;
    expect(all).to.have.length(1);
  });

  it('issues a KKM conformity conclusion after the inspection, into the register of computer systems', async () => {
    const app = await submit('kkm-1', { service: 'conformity.kkm_computer_system', model: 'Kassa Online', manufacturer: 'Tenge Soft LLP', software_version: '4.2.1', attachments: KKM_ATTACHMENTS });
    expect(app).to.include({ model: 'Kassa Online', manufacturer: 'Tenge Soft LLP', softwareVersion: '4.2.1' });
    expect(app.status).to.equal(ApplicationStatus.APPLICATION_STATUS_REGISTERED);
    const first = await act(head, app.name, { act: 'assign_executor', executor_id: executor.iin });
    const c = await walk(CONFORMITY_KKM_COMPUTER_SYSTEM, app.name, first, 'signature', { complies: true });
    const doc = JSON.parse(Buffer.from(c.draftDocument).toString());
    expect(doc).to.deep.include({ document: 'ruqsat.kkm-conformity-conclusion', model: 'Kassa Online', manufacturer: 'Tenge Soft LLP', software_version: '4.2.1', conclusion: 'conforms' });
    expect(doc.number).to.match(/^KKM-CS-\d{4}-\d{6}$/);
    const signed = await act(head, app.name, { act: 'sign', document_signature: signBytes(head.key, c.draftDocument) });
    // The portal channel delivers the conclusion at once: nothing is left to dispatch (INFORMATIZATION_GAPS).
    expect(signed.currentStep).to.equal('');
    const dispatch = await actFails(registrar, app.name, { act: 'dispatch', channel: 'post' }, grpc.status.FAILED_PRECONDITION);
    expect(dispatch.status.errorInfo?.reason).to.equal('STEP_OUT_OF_ORDER');
    const issued = await get(app.name);
    expect(issued.status).to.equal(ApplicationStatus.APPLICATION_STATUS_ISSUED);
    expect(issued.entry).to.match(/^registers\/kkm-computer-systems\/entries\//);
    const found = (await call(bind(registry, 'searchEntries'), { parent: 'registers/kkm-computer-systems', query: '', holder: '', number: doc.number, kind: '', status: 0, filter: '', pageSize: 10, pageToken: '' })).response.entries;
    expect(found).to.have.length(1);
    expect(found[0]!.attributes).to.include({ model: 'Kassa Online', software_version: '4.2.1', conclusion: 'conforms' });
  });

  it('refuses a KKM conclusion at the inspection after the hearing, signed by the Committee Head, writing no entry', async () => {
    const ground = CONFORMITY_KKM_COMPUTER_SYSTEM.refusalPoints[0]!.grounds[1]!;
    const app = await submit('kkm-2', { service: 'conformity.kkm_computer_system', model: 'Kassa Lite', manufacturer: 'Tenge Soft LLP', software_version: '0.9', attachments: KKM_ATTACHMENTS });
    let c = await act(head, app.name, { act: 'assign_executor', executor_id: executor.iin });
    c = await walk(CONFORMITY_KKM_COMPUTER_SYSTEM, app.name, c, 'inspection', { complies: true });
    await act(commission, app.name, { act: 'preliminary_refusal', reasons: [ground] });
    await call(bind(registry, 'submitDocuments'), { name: app.name, answer: signAct(owner.key, { act: 'submit_documents', application: app.name, text: 'the second server room was shown to the commission' }, owner.chain) });
    c = await act(commission, app.name, { act: 'record_finding', complies: false, reasons: [ground] });
    c = await walk(CONFORMITY_KKM_COMPUTER_SYSTEM, app.name, c, 'signature', { complies: false, reasons: [ground] });
    expect(JSON.parse(Buffer.from(c.draftDocument).toString())).to.include({ document: 'ruqsat.refusal', service: 'conformity.kkm_computer_system' });
    await act(head, app.name, { act: 'refuse', document_signature: signBytes(head.key, c.draftDocument) });
    const refused = await get(app.name);
    expect(refused.status).to.equal(ApplicationStatus.APPLICATION_STATUS_REFUSED);
    expect(refused.refusalReasons).to.deep.equal([ground]);
    const none = (await call(bind(registry, 'searchEntries'), { parent: 'registers/kkm-computer-systems', query: '', holder: '', number: '', kind: '', status: 0, filter: `source_resource = "${app.name}"`, pageSize: 10, pageToken: '' })).response.entries;
    expect(none).to.deep.equal([]);
  });
});
