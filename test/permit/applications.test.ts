// A customs conclusion for importing encryption means, end to end over gRPC on the kit's case flow: the
// importer applies, the head assigns, the executor asks for samples (the clock stops), the importer delivers,
// the draft names its signatory, the signatory signs — and customs can check and consume the permit.
import * as grpc from '@grpc/grpc-js';
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaseServiceClient } from '../../gen/ruqsat/cases/v1/cases.ts';
import { ApplicationStatus } from '../../gen/ruqsat/common/v1/common.ts';
import { MovementType } from '../../gen/ruqsat/permit/v1/permit.ts';
import { CONCLUSION_TECH_RESEARCH, DefinitionRegistry, NSC_PERMITS, PERMIT_CRYPTO_SALE, PERMIT_CUSTOMS_COVERT_STS } from '../../services/kit/workflow/index.ts';
import { pino } from 'pino';
import { AuditLog } from '../../services/kit/audit.ts';
import { MemoryBus } from '../../services/kit/bus.ts';
import { ApplicationChanges } from '../../services/kit/cases/changes.ts';
import { SlaMonitor } from '../../services/kit/cases/monitor.ts';
import { calendar } from '../../services/kit/calendar/index.ts';
import { CaseStore } from '../../services/kit/cases/store.ts';
import { clientFor } from '../../services/kit/grpc/client.ts';
import { bind, call, callFails } from '../helpers/grpc.ts';
import { startTestMesh, type TestMesh } from '../helpers/mesh.ts';
import { signAct, signBytes } from '../trust/helpers.ts';
import { checkRequest, HS, IMPORTER, makeSigner, permitWorld, trustReady, type PermitWorld, type Signer } from './helpers.ts';

const hash = (s: string) => createHash('sha256').update(s).digest('hex');
const GOODS = [{ name: 'VPN gateway with AES-256', hs_code: HS, quantity: '10', unit: 'pcs', manufacturer: 'Example Networks', origin_country: 'CN', destination_country: 'KZ' }];
const ATTACHMENTS = ['foreign_trade_contract', 'technical_documentation', 'goods_list'].map((id) => ({ id, sha256: hash(id) }));
const attachments = (def: { requiredAttachments: { id: string }[] }) => def.requiredAttachments.map((a) => ({ id: a.id, sha256: hash(a.id) }));

describe('permit: a customs conclusion on the case flow', function () {
  this.timeout(120_000);
  let t: TestMesh;
  let dir: string;
  let w: PermitWorld;
  let cases: InstanceType<typeof CaseServiceClient>;
  let head: Signer;
  let executor: Signer;
  let signatory: Signer;
  let importer: Signer;
  let registrar: Signer;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ruqsat-permit-flow-'));
    t = await startTestMesh(['trust', 'permit']);
    w = await permitWorld(t, dir);
    cases = clientFor(CaseServiceClient, t.address('permit'));
    head = await makeSigner(w, dir, '780103500569', 'official_head');
    executor = await makeSigner(w, dir, '851120300359', 'official_executor');
    signatory = await makeSigner(w, dir, '920702400470', 'official_signatory');
    importer = await makeSigner(w, dir, '870601300126', 'individual_sign');
    registrar = await makeSigner(w, dir, '900315400215', 'official_registrar');
    const staff = new CaseStore(w.store.db);
    await staff.addStaff(head.iin, 'head_of_licensing_department', 'Kim Viktor');
    await staff.addStaff(executor.iin, 'executor', 'Zhaksybekov Yerlan');
    await staff.addStaff(signatory.iin, 'signatory', 'Abenova Aigerim');
    await staff.addStaff(registrar.iin, 'registrar', 'Omarova Dana');
    await trustReady(w);
  });
  after(async () => {
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const submit = (requestId: string, over: object = {}) =>
    call(bind(w.permits, 'submitApplication'), { requestId, application: signAct(importer.key, { act: 'submit_application', service: 'permit.customs_crypto', variant: 'import', contract_reference: 'CTR-2026/114', goods: GOODS, attachments: ATTACHMENTS, ...over }, importer.chain) });
  const act = async (who: Signer, application: string, body: object) => (await call(bind(cases, 'performAct'), { application, act: signAct(who.key, { application, ...body }, who.chain) })).response;
  const get = async (name: string) => (await call(bind(w.permits, 'getApplication'), { name })).response;
  /** The executor drafts the result for the signatory, who signs it: the application as issued. */
  const issue = async (name: string) => {
    const draft = await act(executor, name, { act: 'draft_result', signatory_iin: signatory.iin });
    await act(signatory, name, { act: 'sign', document_signature: signBytes(signatory.key, draft.draftDocument) });
    return get(name);
  };

  it('issues the conclusion after a samples pause, and customs can rely on it', async () => {
    const app = (await submit('flow-1')).response;
    // No office registration in these regulations (A12): registered on receipt.
    expect(app.status).to.equal(ApplicationStatus.APPLICATION_STATUS_REGISTERED);
    expect(app).to.include({ variant: 'import', contractReference: 'CTR-2026/114' });
    expect(app.goods[0]).to.include({ hsCode: HS, quantity: 10 });

    await act(head, app.name, { act: 'assign_executor', executor_id: executor.iin });
    await act(executor, app.name, { act: 'request_samples', what: 'two units of the gateway' });
    const waiting = await get(app.name);
    expect(waiting.status).to.equal(ApplicationStatus.APPLICATION_STATUS_AWAITING_APPLICANT);
    expect(waiting.notice).to.include({ kind: 'request_samples' });
    expect(waiting.notice!.details).to.deep.equal(['two units of the gateway']);
    const delivered = (await call(bind(w.permits, 'submitDocuments'), { name: app.name, answer: signAct(importer.key, { act: 'submit_documents', application: app.name, attachments: [{ id: 'samples_receipt', sha256: hash('receipt') }] }, importer.chain) })).response;
    expect(delivered.status).to.equal(ApplicationStatus.APPLICATION_STATUS_IN_PROGRESS);
    expect(delivered.pausedIntervals).to.have.length(1);
    // The stopped clock moved the deadline later (or left it, when the pause fell outside office hours).
    expect(delivered.dueTime!.getTime()).to.be.at.least(app.dueTime!.getTime());

    // The draft must name the authorized person it goes to.
    await callFails(bind(cases, 'performAct'), { application: app.name, act: signAct(executor.key, { application: app.name, act: 'draft_result' }, executor.chain) }, grpc.status.INVALID_ARGUMENT);
    const draft = await act(executor, app.name, { act: 'draft_result', signatory_iin: signatory.iin });
    const doc = JSON.parse(Buffer.from(draft.draftDocument).toString());
    expect(doc).to.include({ document: 'ruqsat.permit', kind: 'permit.customs_crypto', movement_type: 'import', contract_reference: 'CTR-2026/114' });
    expect(doc.signatory).to.deep.equal({ iin: signatory.iin, name: 'Abenova Aigerim' });
    expect(doc.goods).to.deep.equal(GOODS);

    const byHead = await callFails(bind(cases, 'performAct'), { application: app.name, act: signAct(head.key, { application: app.name, act: 'sign', document_signature: signBytes(head.key, draft.draftDocument) }, head.chain) }, grpc.status.PERMISSION_DENIED);
    expect(byHead.status.errorInfo?.reason).to.equal('WRONG_ROLE');
    await act(signatory, app.name, { act: 'sign', document_signature: signBytes(signatory.key, draft.draftDocument) });

    const issued = await get(app.name);
    expect(issued.status).to.equal(ApplicationStatus.APPLICATION_STATUS_ISSUED);
    expect(issued.permit).to.match(/^permits\//);
    expect(issued.history.map((h) => h.action)).to.deep.equal(['submit_application', 'assign_executor', 'request_samples', 'documents_received', 'draft_result', 'sign']);
    const check = (await call(bind(w.permits, 'checkPermit'), checkRequest(doc.number, { declarantIdentifier: importer.iin, quantity: 4, movementType: MovementType.MOVEMENT_TYPE_IMPORT }))).response;
    expect(check).to.include({ valid: true, remainingQuantity: 10, permit: issued.permit });
    // The exported document verifies offline in the service too.
    const verdict = (await call(bind(w.permits, 'verifyPermitDocument'), { document: issued.resultDocument, time: undefined })).response;
    expect(verdict.ok, verdict.verification?.message).to.equal(true);
  });

  it('issues a sale permit (15 WD, office registration) and a technical-research conclusion after a sample', async () => {
    const sale = (await call(bind(w.permits, 'submitApplication'), { requestId: 'sale-1', application: signAct(importer.key, { act: 'submit_application', service: 'permit.crypto_sale', goods: GOODS, attachments: attachments(PERMIT_CRYPTO_SALE) }, importer.chain) })).response;
    expect(sale.status).to.equal(ApplicationStatus.APPLICATION_STATUS_DELIVERED);
    await act(registrar, sale.name, { act: 'register', registration_no: 'NSC-S-1' });
    await act(executor, sale.name, { act: 'record_finding', complies: true });
    const saleDraft = await act(executor, sale.name, { act: 'draft_result', signatory_iin: signatory.iin });
    expect(JSON.parse(Buffer.from(saleDraft.draftDocument).toString())).to.include({ kind: 'permit.crypto_sale' }).and.not.have.property('movement_type');
    await act(signatory, sale.name, { act: 'sign', document_signature: signBytes(signatory.key, saleDraft.draftDocument) });
    expect((await get(sale.name)).status).to.equal(ApplicationStatus.APPLICATION_STATUS_ISSUED);

    const research = (await call(bind(w.permits, 'submitApplication'), { requestId: 'research-1', application: signAct(importer.key, { act: 'submit_application', service: 'conclusion.tech_research', variant: 'with_sample', goods: GOODS, attachments: attachments(CONCLUSION_TECH_RESEARCH) }, importer.chain) })).response;
    // With a sample, the review runs 30 WD: the term is at least six calendar weeks.
    expect((research.dueTime!.getTime() - research.createTime!.getTime()) / 86_400_000).to.be.greaterThan(40);
    await act(head, research.name, { act: 'assign_executor', executor_id: executor.iin });
    await act(executor, research.name, { act: 'request_samples', what: 'one unit for laboratory research' });
    expect((await get(research.name)).status).to.equal(ApplicationStatus.APPLICATION_STATUS_AWAITING_APPLICANT);
    await call(bind(w.permits, 'submitDocuments'), { name: research.name, answer: signAct(importer.key, { act: 'submit_documents', application: research.name }, importer.chain) });
    const done = await issue(research.name);
    expect(done.status).to.equal(ApplicationStatus.APPLICATION_STATUS_ISSUED);
    expect(done.pausedIntervals).to.have.length(1);
    expect(JSON.parse(Buffer.from(done.resultDocument!.payload).toString())).to.include({ kind: 'conclusion.tech_research' });
  });

  it('a covert-STS export conclusion: the samples never come, and the SLA monitor resumes the clock after 5 calendar days', async () => {
    const goods = [{ name: 'Miniature audio recorder', hs_code: HS, quantity: '3', unit: 'pcs', manufacturer: 'Example Devices', origin_country: 'KZ', destination_country: 'TR' }];
    const app = (await call(bind(w.permits, 'submitApplication'), { requestId: 'covert-1', application: signAct(importer.key, { act: 'submit_application', service: 'permit.customs_covert_sts', variant: 'export', contract_reference: 'LOI-2026/7', goods, attachments: attachments(PERMIT_CUSTOMS_COVERT_STS) }, importer.chain) })).response;
    expect(app).to.include({ service: 'permit.customs_covert_sts', variant: 'export' });
    await act(head, app.name, { act: 'assign_executor', executor_id: executor.iin });
    await act(executor, app.name, { act: 'request_samples', what: 'one recorder' });
    const waiting = await get(app.name);
    expect(waiting.status).to.equal(ApplicationStatus.APPLICATION_STATUS_AWAITING_APPLICANT);
    // 5 calendar days from the notice on the mesh calendar (a last day off moves to the next working day): the importer's deadline for the samples.
    expect(waiting.notice!.respondUntil).to.deep.equal(calendar.deadline(waiting.notice!.sendTime!, { unit: 'calendar_days', amount: 5 }).dueAt);
    expect(waiting.notice!.respondUntil!.getTime() - waiting.notice!.sendTime!.getTime()).to.be.at.least(4 * 86_400_000);

    // No samples by then: the SLA monitor lapses the pause (A14/A5: not a refusal ground), the clock runs again.
    const monitor = new SlaMonitor({ service: 'permit', store: new CaseStore(w.store.db), audit: new AuditLog(w.store.db), changes: new ApplicationChanges(new MemoryBus(), 'permit'), definitions: new DefinitionRegistry(NSC_PERMITS), logger: pino({ level: 'silent' }) });
    await monitor.scan(new Date(waiting.notice!.respondUntil!.getTime() - 60_000));
    expect((await get(app.name)).status, 'before the 5 days are out').to.equal(ApplicationStatus.APPLICATION_STATUS_AWAITING_APPLICANT);
    await monitor.scan(new Date(waiting.notice!.respondUntil!.getTime() + 60_000));
    const lapsed = await get(app.name);
    expect(lapsed.status).to.equal(ApplicationStatus.APPLICATION_STATUS_IN_PROGRESS);
    expect(lapsed.pausedIntervals).to.have.length(1);
    expect(lapsed.pausedIntervals[0]!.endTime!.getTime()).to.equal(waiting.notice!.respondUntil!.getTime());
    expect(lapsed.history.map((h) => h.action)).to.include('pause_expired');
    // The monitor stamped the lapse at its own (future) instant, so this case now waits for the executor then.
    expect(lapsed.dueTime!.getTime()).to.be.greaterThan(waiting.notice!.respondUntil!.getTime());
  });

  it('a covert-STS transit conclusion refused by the signatory after the hearing', async () => {
    const goods = [{ name: 'Miniature audio recorder', hs_code: HS, quantity: '3', unit: 'pcs', manufacturer: 'Example Devices', origin_country: 'CN', destination_country: 'TR' }];
    const app = (await call(bind(w.permits, 'submitApplication'), { requestId: 'covert-2', application: signAct(importer.key, { act: 'submit_application', service: 'permit.customs_covert_sts', variant: 'transit', contract_reference: 'LOI-2026/8', goods, attachments: attachments(PERMIT_CUSTOMS_COVERT_STS) }, importer.chain) })).response;
    await act(head, app.name, { act: 'assign_executor', executor_id: executor.iin });
    // A refusal goes through the hearing first.
    const reasons = ['the technical documentation does not identify the goods as declared'];
    await act(executor, app.name, { act: 'preliminary_refusal', reasons });
    expect((await get(app.name)).status).to.equal(ApplicationStatus.APPLICATION_STATUS_AWAITING_APPLICANT);
    await call(bind(w.permits, 'submitDocuments'), { name: app.name, answer: signAct(importer.key, { act: 'submit_documents', application: app.name, text: 'the documentation is complete' }, importer.chain) });
    const draft = await act(executor, app.name, { act: 'draft_result', result: 'refusal' });
    const refusal = JSON.parse(Buffer.from(draft.draftDocument).toString());
    expect(refusal).to.include({ document: 'ruqsat.refusal', service: 'permit.customs_covert_sts' });
    await callFails(bind(cases, 'performAct'), { application: app.name, act: signAct(head.key, { application: app.name, act: 'refuse', document_signature: signBytes(head.key, draft.draftDocument) }, head.chain) }, grpc.status.PERMISSION_DENIED);
    // No finding step in these regulations: the signatory states the reasons the refusal is signed on (A5).
    await act(signatory, app.name, { act: 'refuse', reasons, document_signature: signBytes(signatory.key, draft.draftDocument) });
    const refused = await get(app.name);
    expect(refused.status).to.equal(ApplicationStatus.APPLICATION_STATUS_REFUSED);
    expect(refused.refusalReasons).to.deep.equal(reasons);
    expect(refused.permit).to.equal('');
  });

  it('issues a technical-research conclusion without a sample within 5 working days', async () => {
    const research = (await call(bind(w.permits, 'submitApplication'), { requestId: 'research-2', application: signAct(importer.key, { act: 'submit_application', service: 'conclusion.tech_research', variant: 'without_sample', goods: GOODS, attachments: attachments(CONCLUSION_TECH_RESEARCH) }, importer.chain) })).response;
    // 5 WD: at most a calendar week and a half, whatever the weekday.
    expect((research.dueTime!.getTime() - research.createTime!.getTime()) / 86_400_000).to.be.below(12);
    await act(head, research.name, { act: 'assign_executor', executor_id: executor.iin });
    const done = await issue(research.name);
    expect(done.status).to.equal(ApplicationStatus.APPLICATION_STATUS_ISSUED);
    expect(done.pausedIntervals).to.have.length(0);
    expect(JSON.parse(Buffer.from(done.resultDocument!.payload).toString())).to.include({ kind: 'conclusion.tech_research' });
  });

  it('refuses a submission whose goods or contract a permit could not carry, registering nothing', async () => {
    const bad = await callFails(bind(w.permits, 'submitApplication'), { requestId: 'flow-bad', application: signAct(importer.key, { act: 'submit_application', service: 'permit.customs_crypto', variant: 'import', goods: [{ ...GOODS[0], hs_code: '8543', quantity: '-1' }], attachments: ATTACHMENTS }, importer.chain) }, grpc.status.INVALID_ARGUMENT);
    const fields = bad.status.fieldViolations.map((v) => v.field);
    expect(fields).to.include.members(['application.payload.goods[0].hs_code', 'application.payload.goods[0].quantity', 'application.payload.contract_reference']);
    // Only the good applications of the tests before are on the importer's list.
    const mine = (await call(bind(w.permits, 'listApplications'), { pageSize: 50, pageToken: '', applicantIdentifier: importer.iin })).response.applications;
    expect(mine.map((a) => a.service).sort()).to.deep.equal(['conclusion.tech_research', 'conclusion.tech_research', 'permit.crypto_sale', 'permit.customs_covert_sts', 'permit.customs_covert_sts', 'permit.customs_crypto']);
  });
});
