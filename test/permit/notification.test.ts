// The EAEU notification (registration.crypto_notification) end to end over gRPC, in its minimal honest shape (A17):
// submitted, assigned, the ¶4/¶6 document asked for (3 WD, the clock keeps running), drafted, signed on the draft's
// day, verified offline and published to the permits register through the outbox; and a reasoned refusal after
// the hearing, which publishes nothing.
import * as grpc from '@grpc/grpc-js';
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaseServiceClient } from '../../gen/ruqsat/cases/v1/cases.ts';
import { ApplicationStatus } from '../../gen/ruqsat/common/v1/common.ts';
import { RegistryServiceClient } from '../../gen/ruqsat/registry/v1/registry.ts';
import { CaseStore } from '../../services/kit/cases/store.ts';
import { clientFor } from '../../services/kit/grpc/client.ts';
import { bind, call, callFails } from '../helpers/grpc.ts';
import { startTestMesh, type TestMesh } from '../helpers/mesh.ts';
import { issueCertificate, makeKey, signAct, signBytes } from '../trust/helpers.ts';
import { HS, IMPORTER, makeSigner, permitWorld, trustReady, type PermitWorld, type Signer } from './helpers.ts';

const hash = (s: string) => createHash('sha256').update(s).digest('hex');
const PRODUCT = { name: 'Secure router SR-9 with IPsec (AES-256)', hs_code: HS, quantity: '1', unit: 'product type', manufacturer: 'Example Networks Ltd', origin_country: 'CN', destination_country: 'KZ' };
const PARA_4 = 'the Standard para 9 ¶4 document: the notification was drawn up by a manufacturer outside the EAEU';

describe('permit: the EAEU notification on the case flow', function () {
  this.timeout(120_000);
  let t: TestMesh;
  let dir: string;
  let w: PermitWorld;
  let cases: InstanceType<typeof CaseServiceClient>;
  let registry: InstanceType<typeof RegistryServiceClient>;
  let head: Signer;
  let executor: Signer;
  let signatory: Signer;
  let applicant: Signer;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ruqsat-notification-'));
    t = await startTestMesh(['trust', 'permit', 'registry']);
    w = await permitWorld(t, dir);
    cases = clientFor(CaseServiceClient, t.address('permit'));
    registry = clientFor(RegistryServiceClient, t.address('registry'));
    head = await makeSigner(w, dir, '780103500569', 'official_head');
    executor = await makeSigner(w, dir, '851120300359', 'official_executor');
    signatory = await makeSigner(w, dir, '920702400470', 'official_signatory');
    // The manufacturer's authorised representative in Kazakhstan, signing for the company.
    const key = makeKey(dir, 'representative', 'ed25519');
    const cert = await issueCertificate(w.trust, w.operator, key, 'req-representative', '870601300126', 'legal_entity_sign', IMPORTER);
    applicant = { key, chain: [cert.der], name: cert.name, iin: '870601300126' };
    const staff = new CaseStore(w.store.db);
    await staff.addStaff(head.iin, 'head_of_licensing_department', 'Kim Viktor');
    await staff.addStaff(executor.iin, 'executor', 'Zhaksybekov Yerlan');
    await staff.addStaff(signatory.iin, 'signatory', 'Abenova Aigerim');
    await trustReady(w);
  });
  after(async () => {
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const submit = (requestId: string) =>
    call(bind(w.permits, 'submitApplication'), { requestId, application: signAct(applicant.key, { act: 'submit_application', service: 'registration.crypto_notification', goods: [PRODUCT], attachments: [{ id: 'notification', sha256: hash('notification form') }] }, applicant.chain) });
  const act = async (who: Signer, application: string, body: object) => (await call(bind(cases, 'performAct'), { application, act: signAct(who.key, { application, ...body }, who.chain) })).response;
  const get = async (name: string) => (await call(bind(w.permits, 'getApplication'), { name })).response;
  const answer = (name: string, body: object) => call(bind(w.permits, 'submitDocuments'), { name, answer: signAct(applicant.key, { act: 'submit_documents', application: name, ...body }, applicant.chain) });
  const entries = async (filter: string) => (await call(bind(registry, 'searchEntries'), { parent: 'registers/nsc-permits', query: '', holder: '', number: '', kind: '', status: 0, filter, pageSize: 10, pageToken: '' })).response.entries;

  it('registers a notification: the ¶4 document asked for without stopping the clock, signed, published', async () => {
    const app = (await submit('notification-1')).response;
    expect(app.status).to.equal(ApplicationStatus.APPLICATION_STATUS_REGISTERED);
    expect(app.applicant).to.include({ identifier: IMPORTER });
    await act(head, app.name, { act: 'assign_executor', executor_id: executor.iin });

    await act(executor, app.name, { act: 'request_documents', what: PARA_4 });
    const waiting = await get(app.name);
    expect(waiting.status).to.equal(ApplicationStatus.APPLICATION_STATUS_AWAITING_APPLICANT);
    expect(waiting.notice).to.include({ kind: 'request_documents' });
    expect(waiting.notice!.details).to.deep.equal([PARA_4]);
    // 3 WD to answer (at least three calendar days away).
    expect(waiting.notice!.respondUntil!.getTime() - Date.now()).to.be.greaterThan(3 * 86_400_000 - 60_000);
    const answered = (await answer(app.name, { attachments: [{ id: 'standard_para_9_4', sha256: hash('power of attorney from the manufacturer') }] })).response;
    expect(answered.status).to.equal(ApplicationStatus.APPLICATION_STATUS_IN_PROGRESS);
    // Not declared excluded from the term: the due date does not move.
    expect(answered.dueTime!.getTime()).to.equal(app.dueTime!.getTime());

    const draft = await act(executor, app.name, { act: 'draft_result', signatory_iin: signatory.iin });
    const doc = JSON.parse(Buffer.from(draft.draftDocument).toString());
    expect(doc).to.include({ document: 'ruqsat.permit', kind: 'registration.crypto_notification' }).and.not.have.property('movement_type');
    expect(doc.holder).to.include({ identifier: IMPORTER });
    expect(doc.goods).to.deep.equal([PRODUCT]);
    // The signature is due on the draft's day (same day).
    expect(draft.currentStep).to.equal('signature');
    await act(signatory, app.name, { act: 'sign', document_signature: signBytes(signatory.key, draft.draftDocument) });

    const done = await get(app.name);
    expect(done.status).to.equal(ApplicationStatus.APPLICATION_STATUS_ISSUED);
    expect(done.history.map((h) => h.action)).to.deep.equal(['submit_application', 'assign_executor', 'request_documents', 'documents_received', 'draft_result', 'sign']);
    const verdict = (await call(bind(w.permits, 'verifyPermitDocument'), { document: done.resultDocument, time: undefined })).response;
    expect(verdict.ok, verdict.verification?.message).to.equal(true);
    let published: Awaited<ReturnType<typeof entries>> = [];
    for (let i = 0; i < 100 && published.length === 0; i++) {
      published = await entries(`attributes.application = "${app.name}"`);
      if (published.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(published).to.have.length(1);
    expect(published[0]).to.include({ number: doc.number, sourceResource: done.permit });
    expect(published[0]!.holder).to.include({ identifier: IMPORTER });
    expect(Buffer.from(published[0]!.document!.payload).equals(Buffer.from(done.resultDocument!.payload))).to.equal(true);
  });

  it('refuses only after the hearing, with reasons, signed by the authorised person; nothing is published', async () => {
    const app = (await submit('notification-2')).response;
    await act(head, app.name, { act: 'assign_executor', executor_id: executor.iin });
    const early = await callFails(bind(cases, 'performAct'), { application: app.name, act: signAct(executor.key, { application: app.name, act: 'draft_result', result: 'refusal' }, executor.chain) }, grpc.status.FAILED_PRECONDITION);
    expect(early.status.errorInfo?.reason).to.equal('HEARING_REQUIRED');
    const reasons = ['the notification does not describe the cryptographic functions of the product'];
    await act(executor, app.name, { act: 'preliminary_refusal', reasons });
    expect((await get(app.name)).notice).to.include({ kind: 'preliminary_refusal' });
    await answer(app.name, { text: 'the functions are in the technical description' });
    const draft = await act(executor, app.name, { act: 'draft_result', result: 'refusal' });
    const refusal = JSON.parse(Buffer.from(draft.draftDocument).toString());
    expect(refusal).to.include({ document: 'ruqsat.refusal', service: 'registration.crypto_notification' });
    await act(signatory, app.name, { act: 'refuse', reasons, document_signature: signBytes(signatory.key, draft.draftDocument) });
    const refused = await get(app.name);
    expect(refused.status).to.equal(ApplicationStatus.APPLICATION_STATUS_REFUSED);
    expect(refused.refusalReasons).to.deep.equal(reasons);
    expect(refused.permit).to.equal('');
    await new Promise((r) => setTimeout(r, 1_500)); // one outbox relay round
    expect(await entries(`attributes.application = "${app.name}"`)).to.deep.equal([]);
  });
});
