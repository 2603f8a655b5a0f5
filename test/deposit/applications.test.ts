// A deposit end to end over gRPC on the kit's case flow: the depositor uploads a project and applies, the office
// registers it, four resolutions reach the lead specialist, whose finding must agree with the computed check;
// the Head signs the certificate with the deposit number and Merkle root, and VerifyDeposit checks files by that
// number; the SLA monitor watches the cover letter and the dispatch after it. A non-conforming object goes down the
// refusal branch; an unknown or incomplete one is never received.
import * as grpc from '@grpc/grpc-js';
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { parseCertificate } from '../../core-wasm/src/index.ts';
import { CaseServiceClient } from '../../gen/ruqsat/cases/v1/cases.ts';
import { ApplicationStatus } from '../../gen/ruqsat/common/v1/common.ts';
import { DepositServiceClient, DispatchChannel, ObjectType } from '../../gen/ruqsat/deposit/v1/deposit.ts';
import { TrustServiceClient } from '../../gen/ruqsat/trust/v1/trust.ts';
import { decodeCertificate } from '../../services/deposit/domain/certificate.ts';
import { decodeCoverLetter } from '../../services/deposit/domain/cover-letter.ts';
import { merkleRoot } from '../../services/deposit/domain/merkle.ts';
import { migrations } from '../../services/deposit/migrations/index.ts';
import { definitions } from '../../services/deposit/server.ts';
import { AuditLog } from '../../services/kit/audit.ts';
import { MemoryBus } from '../../services/kit/bus.ts';
import { ApplicationChanges } from '../../services/kit/cases/changes.ts';
import { SlaMonitor } from '../../services/kit/cases/monitor.ts';
import { CaseStore } from '../../services/kit/cases/store.ts';
import { ServiceDb } from '../../services/kit/db.ts';
import { clientFor } from '../../services/kit/grpc/client.ts';
import { signatureMatches } from '../../services/kit/signed.ts';
import { bind, call, callFails } from '../helpers/grpc.ts';
import { startTestMesh, type TestMesh } from '../helpers/mesh.ts';
import { issueCertificate, makeKey, provisionOperator, signAct, signBytes, type TestKey, type TestOperator } from '../trust/helpers.ts';
import { chunksOf, manifestOf, project, sha, upload, type ProjectFile } from './helpers.ts';

const STATE_BODY = '050940002344'; // the provider's BIN in the demo reference registry
const hash = (s: string) => createHash('sha256').update(s).digest('hex');
const ATTACHMENTS = ['deposit_application', 'deposit_objects'].map((id) => ({ id, sha256: hash(id) }));

interface Signer {
  key: TestKey;
  chain: Uint8Array[];
  iin: string;
}

describe('deposit: applications on the case flow', function () {
  this.timeout(120_000);
  let t: TestMesh;
  let dir: string;
  let trust: InstanceType<typeof TrustServiceClient>;
  let operator: TestOperator;
  let deposits: InstanceType<typeof DepositServiceClient>;
  let cases: InstanceType<typeof CaseServiceClient>;
  let registrar: Signer;
  let head: Signer;
  let executor: Signer;
  let depositor: Signer;
  let other: Signer;
  let db: ServiceDb;

  async function signer(iin: string, profile: string): Promise<Signer> {
    const key = makeKey(dir, `signer-${iin}-${profile}`, 'ed25519');
    const cert = await issueCertificate(trust, operator, key, `req-${iin}-${profile}`, iin, profile, profile.startsWith('official_') ? STATE_BODY : undefined);
    const leaf = parseCertificate(cert.der);
    const { authorities } = (await call(bind(trust, 'listAuthorities'), { pageSize: 100, pageToken: '' })).response;
    const issuer = authorities.find((a) => parseCertificate(a.certificateDer).subject.text === leaf.issuer.text)!;
    return { key, chain: [cert.der, issuer.certificateDer], iin };
  }

  const submitRequest = (who: Signer, requestId: string, over: object) => ({
    requestId,
    application: signAct(who.key, { act: 'submit_application', service: 'deposit.software', attachments: ATTACHMENTS, ...over }, who.chain),
  });
  const submit = async (who: Signer, requestId: string, over: object) => (await call(bind(deposits, 'submitApplication'), submitRequest(who, requestId, over))).response;
  const act = async (who: Signer, application: string, body: object) => (await call(bind(cases, 'performAct'), { application, act: signAct(who.key, { application, ...body }, who.chain) })).response;
  const actFails = async (who: Signer, application: string, body: object, code: grpc.status) => callFails(bind(cases, 'performAct'), { application, act: signAct(who.key, { application, ...body }, who.chain) }, code);
  const get = async (name: string) => (await call(bind(deposits, 'getApplication'), { name })).response;
  const mine = async (who: Signer) => (await call(bind(deposits, 'listApplications'), { pageSize: 50, pageToken: '', applicantIdentifier: who.iin })).response.applications;

  /** Office registration and the four resolutions (steps 1–5), down to the lead specialist. */
  async function route(name: string, incoming: string) {
    await act(registrar, name, { act: 'register', registration_no: incoming });
    for (let i = 0; i < 3; i++) await act(head, name, { act: 'assign_executor', executor_id: head.iin });
    await act(head, name, { act: 'assign_executor', executor_id: executor.iin });
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ruqsat-deposit-flow-'));
    t = await startTestMesh(['trust', 'deposit'], { DEPOSIT_BLOB_DIR: join(dir, 'blobs') });
    trust = clientFor(TrustServiceClient, t.address('trust'));
    deposits = clientFor(DepositServiceClient, t.address('deposit'));
    cases = clientFor(CaseServiceClient, t.address('deposit'));
    operator = await provisionOperator(t, dir);
    registrar = await signer('780103500569', 'official_registrar');
    head = await signer('851120300359', 'official_head');
    executor = await signer('920702400470', 'official_executor');
    depositor = await signer('870601300126', 'individual_sign');
    other = await signer('900315400215', 'individual_sign');
    db = new ServiceDb(t.mesh.database.knex, t.config.schemaPrefix + 'deposit');
    const staff = new CaseStore(db);
    await staff.addStaff(registrar.iin, 'registrar', 'Omarova Dana');
    await staff.addStaff(head.iin, 'head', 'Kim Viktor');
    await staff.addStaff(executor.iin, 'executor', 'Zhaksybekov Yerlan');
    // The service loads trust's anchors in the background: until then a signed submission is UNAVAILABLE.
    for (let i = 0; ; i++) {
      const r = await call(bind(deposits, 'submitApplication'), submitRequest(depositor, 'probe', { object: 'objects/none' })).catch((e: grpc.ServiceError) => e);
      if ((r as grpc.ServiceError).code !== grpc.status.UNAVAILABLE) break;
      if (i > 200) throw new Error('deposit never loaded the trust anchors');
      await new Promise((res) => setTimeout(res, 50));
    }
  });
  after(async () => {
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('deposits a project: the certificate carries the number and Merkle root, and VerifyDeposit works by the number', async () => {
    const files = project(1);
    const { object } = await upload(deposits, [manifestOf('flow-1', files), ...chunksOf(files)]);
    const app = await submit(depositor, 'dep-1', { object: object!.name, sub_kinds: ['program_code'] });
    expect(app).to.include({ status: ApplicationStatus.APPLICATION_STATUS_DELIVERED, object: 'objects/flow-1', currentStep: 'registration' });
    // The same object is no one else's deposit.
    const taken = await callFails(bind(deposits, 'submitApplication'), submitRequest(other, 'dep-1-other', { object: object!.name, sub_kinds: ['program_code'] }), grpc.status.FAILED_PRECONDITION);
    expect(taken.status.fieldViolations.map((v) => v.field)).to.deep.equal(['application.payload.object']);

    await route(app.name, 'IN-2026-0001');
    for (const step of ['check', 'registry_entry', 'deposit_number']) {
      expect((await get(app.name)).currentStep).to.equal(step);
      await act(executor, app.name, { act: 'record_finding', complies: true });
    }
    const draft = await act(executor, app.name, { act: 'draft_result' });
    const doc = decodeCertificate(draft.draftDocument)!;
    expect(doc.deposit_number).to.match(/^DEP-\d{4}-\d{6}$/);
    const root = merkleRoot(files.map((f) => ({ path: f.path, size: f.data.length, sha256: sha(f.data) })));
    expect(doc).to.deep.include({ document: 'ruqsat.deposit', register: 'registers/deposited-software', registration_number: 'IN-2026-0001', application: app.name });
    expect(doc.object).to.deep.equal({ name: 'objects/flow-1', type: 'program_code', title: 'Test project', version: '1.0', merkle_root: root.toString('hex'), file_count: 5, total_size_bytes: files.reduce((n, f) => n + f.data.length, 0) });
    expect(doc.depositor.identifier).to.equal(depositor.iin);

    // The executor cannot sign; the Head signs exactly the draft's bytes.
    await actFails(executor, app.name, { act: 'sign', document_signature: signBytes(executor.key, draft.draftDocument) }, grpc.status.PERMISSION_DENIED);
    const signedCase = await act(head, app.name, { act: 'sign', document_signature: signBytes(head.key, draft.draftDocument) });
    const issued = await get(app.name);
    expect(issued).to.include({ status: ApplicationStatus.APPLICATION_STATUS_ISSUED, depositNumber: doc.deposit_number, deposit: `deposits/${app.name.split('/')[1]}` });
    expect(Buffer.from(issued.resultDocument!.payload).equals(Buffer.from(draft.draftDocument))).to.equal(true);
    expect(decodeCertificate(issued.resultDocument!.payload)!.object.merkle_root).to.equal(root.toString('hex'));

    // Step 10's other half: the cover letter for this certificate is the next draft; the applicant sees its clock.
    const letter = decodeCoverLetter(signedCase.draftDocument)!;
    expect(letter).to.deep.include({ deposit_number: doc.deposit_number, merkle_root: root.toString('hex'), application: app.name, registration_number: 'IN-2026-0001' });
    expect(letter.registry_entry).to.deep.equal({ register: 'registers/deposited-software', deposit: issued.deposit });
    expect(letter.certificate_sha256).to.equal(sha(issued.resultDocument!.payload).toString('hex'));
    expect(issued.coverLetter).to.equal(undefined);
    expect(issued.currentStep).to.equal('cover_letter');
    const letterClock = issued.steps.find((c) => c.step === 'cover_letter')!;
    expect(letterClock.completeTime).to.equal(undefined);
    expect(issued.stepDueTime!.getTime()).to.equal(letterClock.dueTime!.getTime()).and.be.greaterThan(letterClock.startTime!.getTime());
    // The officials see the same step, and the SLA monitor watches it: unsigned past its 4 working hours, the case is overdue.
    expect(signedCase).to.include({ currentStep: 'cover_letter', overdue: false });
    expect(signedCase.stepDueTime!.getTime()).to.equal(letterClock.dueTime!.getTime());
    const id = app.name.split('/')[1]!;
    const row = () => db.table<{ id: string; overdue: boolean; next_check_at: Date | null }>('applications').where({ id }).first();
    expect((await row())!.next_check_at!.getTime()).to.equal(letterClock.dueTime!.getTime());
    const monitor = new SlaMonitor({ service: 'deposit', store: new CaseStore(db), audit: new AuditLog(db), changes: new ApplicationChanges(new MemoryBus(), 'deposit'), definitions, logger: pino({ level: 'silent' }) });
    await monitor.scan(new Date(letterClock.dueTime!.getTime() - 60_000));
    expect((await row())!.overdue).to.equal(false);
    await monitor.scan(new Date(letterClock.dueTime!.getTime() + 60_000));
    expect((await row())!.overdue).to.equal(true);

    // Out of order, by the wrong role, or over other bytes: refused, nothing recorded.
    const early = await actFails(registrar, app.name, { act: 'dispatch', channel: 'post' }, grpc.status.FAILED_PRECONDITION);
    expect(early.status.errorInfo?.reason).to.equal('STEP_OUT_OF_ORDER');
    await actFails(registrar, app.name, { act: 'sign_cover_letter', document_signature: signBytes(registrar.key, signedCase.draftDocument) }, grpc.status.PERMISSION_DENIED);
    await actFails(head, app.name, { act: 'sign_cover_letter', document_signature: signBytes(head.key, draft.draftDocument) }, grpc.status.UNAUTHENTICATED);
    const letterSigned = await act(head, app.name, { act: 'sign_cover_letter', document_signature: signBytes(head.key, signedCase.draftDocument) });
    expect(letterSigned.draftDocument).to.have.length(0);
    const again2 = await actFails(head, app.name, { act: 'sign_cover_letter', document_signature: signBytes(head.key, signedCase.draftDocument) }, grpc.status.FAILED_PRECONDITION);
    expect(again2.status.errorInfo?.reason).to.equal('ALREADY_DONE');
    const withLetter = await get(app.name);
    expect(Buffer.from(withLetter.coverLetter!.payload).equals(Buffer.from(signedCase.draftDocument))).to.equal(true);
    expect(signatureMatches(parseCertificate(withLetter.coverLetter!.certificateChain[0]!).spki, withLetter.coverLetter!.payload, withLetter.coverLetter!.signature)).to.equal(true);
    expect(withLetter.currentStep).to.equal('dispatch');
    // Signed, the letter's lateness is history; the monitor now waits for the dispatch's deadline.
    const dispatchDue = withLetter.steps.find((c) => c.step === 'dispatch')!.dueTime!;
    expect(await row()).to.deep.include({ overdue: false, next_check_at: dispatchDue });
    expect(letterSigned).to.include({ currentStep: 'dispatch', overdue: false });

    // Step 11: the office sends both by post or courier; the channel and the reference are the applicant's to see.
    const pigeon = await actFails(registrar, app.name, { act: 'dispatch', channel: 'pigeon' }, grpc.status.INVALID_ARGUMENT);
    expect(pigeon.status.fieldViolations.map((v) => v.field)).to.deep.equal(['act.payload.channel']);
    await actFails(head, app.name, { act: 'dispatch', channel: 'post' }, grpc.status.PERMISSION_DENIED);
    await act(registrar, app.name, { act: 'dispatch', channel: 'post', reference: 'KZ123456789KZ' });
    expect(await row()).to.deep.include({ overdue: false, next_check_at: null });
    const sent = await get(app.name);
    expect(sent.dispatch).to.deep.include({ channel: DispatchChannel.DISPATCH_CHANNEL_POST, reference: 'KZ123456789KZ' });
    expect(sent.currentStep).to.equal('');
    expect(sent.steps.find((c) => c.step === 'dispatch')!.completeTime!.getTime()).to.equal(sent.dispatch!.dispatchTime!.getTime());
    await actFails(registrar, app.name, { act: 'dispatch', channel: 'courier' }, grpc.status.FAILED_PRECONDITION);
    // The certificate itself is unchanged by what followed it, and still verifies under the Head's key.
    expect(Buffer.from(sent.resultDocument!.payload).equals(Buffer.from(draft.draftDocument))).to.equal(true);
    expect(signatureMatches(parseCertificate(sent.resultDocument!.certificateChain[0]!).spki, sent.resultDocument!.payload, sent.resultDocument!.signature)).to.equal(true);

    const entry = (await call(bind(deposits, 'getDeposit'), { name: issued.deposit })).response;
    expect(entry).to.include({ depositNumber: doc.deposit_number, title: 'Test project', fileCount: 5, objectType: ObjectType.OBJECT_TYPE_PROGRAM_CODE });
    expect(entry.merkleRoot.toString('hex')).to.equal(root.toString('hex'));
    const listed = (await call(bind(deposits, 'listDeposits'), { pageSize: 10, pageToken: '', depositorIdentifier: depositor.iin })).response.deposits;
    expect(listed.map((d) => d.depositNumber)).to.deep.equal([doc.deposit_number]);

    // The registry entry waits in the outbox (registry is not running here), written with the deposit.
    const queued = await db.table('outbox').where({ source_resource: issued.deposit }).select('source_resource');
    expect(queued).to.have.length(1);

    const digests = (fs: ProjectFile[]) => fs.map((f) => ({ path: f.path, sha256: sha(f.data), sizeBytes: f.data.length }));
    const same = (await call(bind(deposits, 'verifyDeposit'), { deposit: doc.deposit_number, files: digests(files) })).response;
    expect(same).to.include({ matches: true, object: 'objects/flow-1' });
    const changed = files.map((f) => (f.path === 'src/main.c' ? { ...f, data: Buffer.from('int main(void) { return 2; }\n') } : f));
    const differs = (await call(bind(deposits, 'verifyDeposit'), { deposit: doc.deposit_number, files: digests(changed) })).response;
    expect(differs.matches).to.equal(false);
    expect(differs.differingPaths).to.deep.equal(['src/main.c']);

    // One object, one deposit number: applying for it again stops at the lead specialist's finding.
    const again = await submit(depositor, 'dep-1-again', { object: object!.name, sub_kinds: ['program_code'] });
    await route(again.name, 'IN-2026-0003');
    const twice = await actFails(executor, again.name, { act: 'record_finding', complies: true }, grpc.status.FAILED_PRECONDITION);
    expect(twice.status.errorInfo?.reason).to.equal('ALREADY_DEPOSITED');
    await call(bind(deposits, 'withdrawApplication'), { name: again.name, withdrawal: signAct(depositor.key, { act: 'withdraw_application', application: again.name }, depositor.chain) });
  });

  it('refuses a finding of compliance on a failed check; the refusal runs through the Head', async () => {
    // Complete, but a program code with no source file: not conforming.
    const files = [{ path: 'data.bin', data: Buffer.from('not source code') }];
    const { object } = await upload(deposits, [manifestOf('flow-2', files), ...chunksOf(files)]);
    expect(object!.check).to.include({ complete: true, conformant: false });
    const app = await submit(depositor, 'dep-2', { object: object!.name, sub_kinds: ['program_code'] });
    await route(app.name, 'IN-2026-0002');

    const contradicts = await actFails(executor, app.name, { act: 'record_finding', complies: true }, grpc.status.FAILED_PRECONDITION);
    expect(contradicts.status.errorInfo?.reason).to.equal('FINDING_CONTRADICTS_CHECK');
    expect(contradicts.error.details).to.contain('no source file');

    const reasons = ['the materials do not conform to the application (6.4): no source file among the stored files'];
    await act(executor, app.name, { act: 'preliminary_refusal', reasons });
    await call(bind(deposits, 'submitDocuments'), { name: app.name, answer: signAct(depositor.key, { act: 'submit_documents', application: app.name, text: 'the binary is the program' }, depositor.chain) });
    for (const step of ['check', 'registry_entry', 'deposit_number']) {
      expect((await get(app.name)).currentStep).to.equal(step);
      await act(executor, app.name, { act: 'record_finding', complies: false, reasons });
    }
    const draft = await act(executor, app.name, { act: 'draft_result' });
    expect(JSON.parse(Buffer.from(draft.draftDocument).toString())).to.include({ document: 'ruqsat.refusal' });
    await act(head, app.name, { act: 'refuse', document_signature: signBytes(head.key, draft.draftDocument) });
    const refused = await get(app.name);
    expect(refused).to.include({ status: ApplicationStatus.APPLICATION_STATUS_REFUSED, depositNumber: '', deposit: '' });
    expect(refused.refusalReasons).to.deep.equal(reasons);
    // A refusal has no cover letter to sign: the office posts the reasoned refusal itself.
    expect(refused.currentStep).to.equal('dispatch');
    const id = app.name.split('/')[1]!;
    const watched = () => db.table<{ id: string; next_check_at: Date | null }>('applications').where({ id }).first();
    const dispatchDue = refused.steps.find((c) => c.step === 'dispatch')!.dueTime!;
    expect((await watched())!.next_check_at!.getTime()).to.equal(dispatchDue.getTime());
    // A case refused before the monitor watched the dispatch (no next look): the migration has the monitor look at it.
    await db.table('applications').where({ id }).update({ next_check_at: null });
    await db.table('knex_migrations').where({ name: '006_after_result_watch' }).delete();
    await db.migrate(migrations);
    const monitor = new SlaMonitor({ service: 'deposit', store: new CaseStore(db), audit: new AuditLog(db), changes: new ApplicationChanges(new MemoryBus(), 'deposit'), definitions, logger: pino({ level: 'silent' }) });
    await monitor.scan();
    expect((await watched())!.next_check_at!.getTime()).to.equal(dispatchDue.getTime());
    const noLetter = await actFails(head, app.name, { act: 'sign_cover_letter', document_signature: signBytes(head.key, draft.draftDocument) }, grpc.status.FAILED_PRECONDITION);
    expect(noLetter.status.errorInfo?.reason).to.equal('STEP_OUT_OF_ORDER');
    await act(registrar, app.name, { act: 'dispatch', channel: 'courier' });
    expect((await get(app.name)).dispatch).to.deep.include({ channel: DispatchChannel.DISPATCH_CHANNEL_COURIER, reference: '' });
  });

  it('never receives an application for an unknown or incomplete object, registering nothing', async () => {
    const unknown = await callFails(bind(deposits, 'submitApplication'), submitRequest(depositor, 'dep-3', { object: 'objects/never-uploaded', sub_kinds: ['program_code'] }), grpc.status.INVALID_ARGUMENT);
    expect(unknown.status.fieldViolations.map((v) => v.field)).to.deep.equal(['application.payload.object']);

    const files = project(3);
    const { object } = await upload(deposits, [manifestOf('flow-3', files), ...chunksOf(files.slice(0, 2)), { finish: {} }]);
    expect(object!.check?.complete).to.equal(false);
    const incomplete = await callFails(bind(deposits, 'submitApplication'), submitRequest(depositor, 'dep-4', { object: object!.name, sub_kinds: ['program_code'] }), grpc.status.FAILED_PRECONDITION);
    expect(incomplete.status.fieldViolations[0]!.description).to.contain('incomplete');

    expect((await mine(depositor)).map((a) => a.object).sort()).to.deep.equal(['objects/flow-1', 'objects/flow-1', 'objects/flow-2']);
    const registered = (await call(bind(deposits, 'listDeposits'), { pageSize: 10, pageToken: '', depositorIdentifier: '' })).response.deposits;
    expect(registered).to.have.length(1);
    expect(await db.table('outbox').select('source_resource')).to.have.length(1);
  });
});
