// A licence's whole life over gRPC: the refusal with a hearing, re-issue, appeals, suspension and termination.
import * as grpc from '@grpc/grpc-js';
import { expect } from 'chai';
import { AppealRecipient, ApplicationStatus } from '../../gen/ruqsat/common/v1/common.ts';
import { LicenseStatus } from '../../gen/ruqsat/licensing/v1/licensing.ts';
import { verifyChain } from '../../services/kit/audit.ts';
import { bind, call, callFails } from '../helpers/grpc.ts';
import { signAct } from '../trust/helpers.ts';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { exportSignedDocument } from '../../services/kit/documents/export.ts';
import { testEnv } from '../helpers/mesh.ts';
import { APPLICANT_IIN, startBench, type Bench } from './fixture.ts';

const exec = promisify(execFile);

describe('licensing: refusal with a hearing, re-issue, appeals, licence status', function () {
  this.timeout(120_000);
  let b: Bench;
  before(async () => {
    b = await startBench();
  });
  after(async () => b?.stop());

  const get = async (name: string) => (await call(bind(b.licensing, 'getApplication'), { name })).response;

  /** Issues a licence end to end and returns its resource name and number. */
  async function issue(requestId: string, subKinds = ['development']) {
    const app = await b.submit(requestId, { sub_kinds: subKinds });
    const draft = await b.toSignature(app.name);
    await b.act(b.officials.signatory, app.name, { act: 'sign', document_signature: b.signDraft(b.officials.signatory, draft.draftDocument) });
    const done = await get(app.name);
    return { application: app.name, license: done.license, number: JSON.parse(Buffer.from(draft.draftDocument).toString()).number as string };
  }

  it('issues each of the three NSC licences end to end, with the sub-kinds chosen, in 15 working days', async () => {
    const kinds: [string, string[]][] = [['license.sts_ors', ['development', 'sale']], ['license.crypto_dev', ['development']], ['license.leak_detection', ['leak_channels']]];
    for (const [service, subKinds] of kinds) {
      const app = await b.submit(`each-${service}`, { service, sub_kinds: subKinds });
      expect(app.service).to.equal(service);
      // 15 WD is at least three calendar weeks.
      expect((app.dueTime!.getTime() - app.createTime!.getTime()) / 86_400_000, service).to.be.within(19, 35);
      const draft = await b.toSignature(app.name);
      await b.act(b.officials.signatory, app.name, { act: 'sign', document_signature: b.signDraft(b.officials.signatory, draft.draftDocument) });
      const done = await get(app.name);
      expect(done.status, service).to.equal(ApplicationStatus.APPLICATION_STATUS_ISSUED);
      const licence = (await call(bind(b.licensing, 'getLicense'), { name: done.license })).response;
      expect(licence, service).to.include({ kind: service, status: LicenseStatus.LICENSE_STATUS_ACTIVE });
      expect(licence.subKinds).to.deep.equal(subKinds);
    }
    // A sub-kind another licence offers is refused (A9: a subset of this licence's own).
    await callFails(bind(b.licensing, 'submitApplication'), { requestId: 'each-bad', application: signAct(b.applicant.key, { act: 'submit_application', service: 'license.crypto_dev', sub_kinds: ['repair'], payment_reference: 'P', attachments: [{ id: 'qualification_requirements_form', sha256: 'a'.repeat(64) }] }, [b.applicant.cert]) }, grpc.status.INVALID_ARGUMENT);
  });

  it('gives every racing retry of one request_id the same application', async () => {
    const tries = await Promise.all(Array.from({ length: 8 }, () => b.submit('race-1', { payment_reference: 'EGOV-RACE' })));
    expect(new Set(tries.map((a) => a.name)).size).to.equal(1);
    const mine = (await call(bind(b.licensing, 'listApplications'), { pageSize: 1000, pageToken: '', applicantIdentifier: APPLICANT_IIN })).response.applications;
    expect(mine.filter((a) => a.paymentReference === 'EGOV-RACE')).to.have.length(1);
  });

  it('refuses only after a hearing: notice, objection, reasoned refusal signed by the head of the Licensing Department', async () => {
    const app = await b.submit('refuse-1');
    await b.act(b.officials.registrar, app.name, { act: 'register', registration_no: 'REG-R1' });
    // A finding of non-compliance before the applicant was heard changes nothing.
    const early = await callFails(bind(b.cases, 'performAct'), b.actRequest(b.officials.executor, app.name, { act: 'record_finding', complies: false, reasons: ['no premises'] }), grpc.status.FAILED_PRECONDITION);
    expect(early.status.errorInfo?.reason).to.equal('HEARING_REQUIRED');
    await b.act(b.officials.executor, app.name, { act: 'preliminary_refusal', reasons: ['no certified premises'] });
    const noticed = await get(app.name);
    expect(noticed.status).to.equal(ApplicationStatus.APPLICATION_STATUS_AWAITING_APPLICANT);
    expect(noticed.notice).to.include({ kind: 'preliminary_refusal' });
    expect(noticed.notice!.details).to.deep.equal(['no certified premises']);
    expect(noticed.notice!.respondUntil!.getTime()).to.be.greaterThan(Date.now());

    // Only the applicant answers the notice.
    const answer = (who = b.applicant) => ({ name: app.name, answer: signAct(who.key, { act: 'submit_documents', application: app.name, text: 'the premises were certified last week' }, [who.cert]) });
    const stranger = await callFails(bind(b.licensing, 'submitDocuments'), answer(b.stranger), grpc.status.PERMISSION_DENIED);
    expect(stranger.status.errorInfo?.reason).to.equal('NOT_THE_APPLICANT');
    const objected = (await call(bind(b.licensing, 'submitDocuments'), answer())).response;
    expect(objected.status).to.equal(ApplicationStatus.APPLICATION_STATUS_IN_PROGRESS);
    expect(objected.notice).to.equal(undefined);
    const twice = await callFails(bind(b.licensing, 'submitDocuments'), answer(), grpc.status.FAILED_PRECONDITION);
    expect(twice.status.errorInfo?.reason).to.equal('OBJECTION_ALREADY_RECEIVED');

    await b.act(b.officials.executor, app.name, { act: 'record_finding', complies: false, reasons: ['the certificate of the premises is not valid'] });
    const draft = await b.act(b.officials.executor, app.name, { act: 'draft_result' });
    const doc = JSON.parse(Buffer.from(draft.draftDocument).toString());
    expect(doc).to.include({ document: 'ruqsat.refusal', application: app.name, registration_number: 'REG-R1' });
    expect(doc.reasons).to.deep.equal(['the certificate of the premises is not valid']);
    // The signatory signs licences, not refusals (A8).
    const wrong = await callFails(bind(b.cases, 'performAct'), b.actRequest(b.officials.signatory, app.name, { act: 'refuse', document_signature: b.signDraft(b.officials.signatory, draft.draftDocument) }), grpc.status.PERMISSION_DENIED);
    expect(wrong.status.errorInfo?.reason).to.equal('WRONG_ROLE');
    await b.act(b.officials.head, app.name, { act: 'refuse', role: 'head_of_licensing_department', document_signature: b.signDraft(b.officials.head, draft.draftDocument) });

    const refused = await get(app.name);
    expect(refused.status).to.equal(ApplicationStatus.APPLICATION_STATUS_REFUSED);
    expect(refused.refusalReasons).to.deep.equal(['the certificate of the premises is not valid']);
    expect(Buffer.from(refused.resultDocument!.payload).equals(Buffer.from(draft.draftDocument))).to.equal(true);
    expect(refused.history.map((h) => h.action)).to.deep.equal(['submit_application', 'register', 'preliminary_refusal', 'objection_received', 'record_finding', 'draft_result', 'refuse']);
    expect(refused.license).to.equal('');
  });

  it('files appeals with their legal terms, once per signed appeal, answered by the head', async () => {
    const app = await b.submit('appeal-1');
    const appeal = (to: string, who = b.applicant, text = 'the registration was late') => ({ name: app.name, appeal: signAct(who.key, { act: 'file_appeal', application: app.name, to, text }, [who.cert]) });
    const filed = (await call(bind(b.licensing, 'fileAppeal'), appeal('head_of_provider'))).response;
    expect(filed.recipient).to.equal(AppealRecipient.APPEAL_RECIPIENT_HEAD_OF_PROVIDER);
    // 5 working days: at least a calendar week minus a weekend, never less than 5 days.
    const days = (filed.dueTime!.getTime() - filed.fileTime!.getTime()) / 86_400_000;
    expect(days).to.be.within(5, 12);
    // The same signed appeal again is the same appeal, not a second one.
    expect((await call(bind(b.licensing, 'fileAppeal'), appeal('head_of_provider'))).response.name).to.equal(filed.name);
    const quality = (await call(bind(b.licensing, 'fileAppeal'), appeal('quality_body', b.applicant, 'a second complaint'))).response;
    expect((quality.dueTime!.getTime() - quality.fileTime!.getTime()) / 86_400_000).to.be.within(15, 30);

    const bad = await callFails(bind(b.licensing, 'fileAppeal'), appeal('the_president'), grpc.status.INVALID_ARGUMENT);
    expect(bad.status.fieldViolations.map((v) => v.field)).to.include('appeal.payload.to');
    await callFails(bind(b.licensing, 'fileAppeal'), appeal('head_of_provider', b.stranger), grpc.status.PERMISSION_DENIED);

    // Only the head answers; the answer shows in the personal cabinet.
    const byExecutor = await callFails(bind(b.cases, 'performAct'), b.actRequest(b.officials.executor, app.name, { act: 'answer_appeal', appeal: filed.name, decision: 'dismissed', text: 'on time' }), grpc.status.PERMISSION_DENIED);
    expect(byExecutor.status.errorInfo?.reason).to.equal('WRONG_ROLE');
    const answered = await b.act(b.officials.head, app.name, { act: 'answer_appeal', role: 'head', appeal: filed.name, decision: 'dismissed', text: 'registered on the day of receipt' });
    expect(answered.pendingAppeals.map((a) => a.name)).to.deep.equal([quality.name]);
    await callFails(bind(b.cases, 'performAct'), b.actRequest(b.officials.head, app.name, { act: 'answer_appeal', role: 'head', appeal: filed.name, decision: 'upheld', text: 'again' }), grpc.status.FAILED_PRECONDITION);
    const seen = await get(app.name);
    expect(seen.appeals.map((a) => [a.name, a.decision])).to.deep.equal([[filed.name, 'dismissed'], [quality.name, '']]);
  });

  it('re-issues a licence in 3 WD under the same number, with a new signed document', async () => {
    const first = await issue('reissue-base');
    const reissue = await b.submit('reissue-1', { variant: 'reissue', license: first.license, sub_kinds: ['development'] });
    expect(reissue.variant).to.equal('reissue');
    expect(reissue.license).to.equal(first.license);
    const days = (reissue.dueTime!.getTime() - reissue.createTime!.getTime()) / 86_400_000;
    expect(days).to.be.within(2, 8);
    const draft = await b.toSignature(reissue.name);
    const doc = JSON.parse(Buffer.from(draft.draftDocument).toString());
    expect(doc).to.include({ number: first.number, reissue: true });
    await b.act(b.officials.signatory, reissue.name, { act: 'sign', document_signature: b.signDraft(b.officials.signatory, draft.draftDocument) });
    const licence = (await call(bind(b.licensing, 'getLicense'), { name: first.license })).response;
    expect(licence).to.include({ number: first.number, application: reissue.name, status: LicenseStatus.LICENSE_STATUS_ACTIVE });
    expect(JSON.parse(Buffer.from(licence.document!.payload).toString())).to.include({ reissue: true });

    // A re-issue of a licence that is not the applicant's, or of nothing, is refused and registers nothing.
    const notHis = await callFails(bind(b.licensing, 'submitApplication'), { requestId: 'reissue-2', application: signAct(b.stranger.key, { act: 'submit_application', service: 'license.crypto_dev', variant: 'reissue', license: first.license, sub_kinds: ['development'], payment_reference: 'P', attachments: [{ id: 'qualification_requirements_form', sha256: 'a'.repeat(64) }] }, [b.stranger.cert]) }, grpc.status.INVALID_ARGUMENT);
    expect(notHis.status.fieldViolations.map((v) => v.field)).to.include('application.payload.license');
    await callFails(bind(b.licensing, 'submitApplication'), { requestId: 'reissue-3', application: signAct(b.applicant.key, { act: 'submit_application', service: 'license.crypto_dev', variant: 'reissue', sub_kinds: ['development'], payment_reference: 'P', attachments: [{ id: 'qualification_requirements_form', sha256: 'a'.repeat(64) }] }, [b.applicant.cert]) }, grpc.status.INVALID_ARGUMENT);
  });

  it('verify-document checks an exported licence offline: signature, chain, CRLs and the signatory\u2019s role', async () => {
    const { license, number } = await issue('verify-doc-1');
    const licence = (await call(bind(b.licensing, 'getLicense'), { name: license })).response;
    const dir = mkdtempSync(join(tmpdir(), 'ruqsat-licence-doc-'));
    const file = join(dir, `licence-${number}.json`);
    writeFileSync(file, exportSignedDocument(licence.document!));
    const env = testEnv({ TRUST_ADDRESS: b.t.address('trust') });
    const run = (f: string) => exec('node', ['bin/ruqsat.js', 'verify-document', f], { env }).then((r) => ({ code: 0, ...r }), (e: { code: number; stdout: string; stderr: string }) => e);
    const ok = await run(file);
    expect(ok.code, ok.stderr).to.equal(0);
    expect(ok.stdout).to.include(`OK licence ${number} (license.crypto_dev: development) held by`);
    // The same bytes signed by an executor are not a licence; altered bytes are not what was signed.
    const byExecutor = join(dir, `licence-${number}-executor.json`);
    writeFileSync(byExecutor, exportSignedDocument({ ...licence.document!, signature: Buffer.from(b.signDraft(b.officials.executor, licence.document!.payload), 'base64'), certificateChain: [Buffer.from(b.officials.executor.cert)] }));
    expect((await run(byExecutor)).stdout).to.include('FAIL NOT_SIGNATORY');
    const tampered = join(dir, `licence-${number}-tampered.json`);
    writeFileSync(tampered, exportSignedDocument({ ...licence.document!, payload: Buffer.from(Buffer.from(licence.document!.payload).toString().replace('"development"', '"production"')) }));
    const bad = await run(tampered);
    expect(bad.code).to.equal(2);
    expect(bad.stdout).to.include('FAIL BAD_SIGNATURE');
  });

  it('suspends, resumes and terminates a licence by the head of the Licensing Department only', async () => {
    const { license } = await issue('status-1');
    const change = (rpc: 'suspendLicense' | 'resumeLicense' | 'terminateLicense', act: string, who = b.officials.head, extra: object = { role: 'head_of_licensing_department' }) =>
      ({ name: license, act: signAct(who.key, { act, license, reason: 'inspection found a breach', ...extra }, [who.cert]) });
    const byExecutor = await callFails(bind(b.licensing, 'suspendLicense'), change('suspendLicense', 'suspend_license', b.officials.executor, {}), grpc.status.PERMISSION_DENIED);
    expect(byExecutor.status.errorInfo?.reason).to.equal('WRONG_ROLE');
    await callFails(bind(b.licensing, 'resumeLicense'), change('resumeLicense', 'resume_license'), grpc.status.FAILED_PRECONDITION);
    // The signed act must say which act it is.
    await callFails(bind(b.licensing, 'suspendLicense'), change('suspendLicense', 'terminate_license'), grpc.status.INVALID_ARGUMENT);
    expect((await call(bind(b.licensing, 'getLicense'), { name: license })).response.status).to.equal(LicenseStatus.LICENSE_STATUS_ACTIVE);

    const suspended = (await call(bind(b.licensing, 'suspendLicense'), change('suspendLicense', 'suspend_license'))).response;
    expect(suspended).to.include({ status: LicenseStatus.LICENSE_STATUS_SUSPENDED, statusReason: 'inspection found a breach' });
    expect((await call(bind(b.licensing, 'resumeLicense'), change('resumeLicense', 'resume_license'))).response.status).to.equal(LicenseStatus.LICENSE_STATUS_ACTIVE);
    expect((await call(bind(b.licensing, 'terminateLicense'), change('terminateLicense', 'terminate_license'))).response.status).to.equal(LicenseStatus.LICENSE_STATUS_TERMINATED);
    await callFails(bind(b.licensing, 'resumeLicense'), change('resumeLicense', 'resume_license'), grpc.status.FAILED_PRECONDITION);
    // A terminated licence cannot be re-issued.
    await callFails(bind(b.licensing, 'submitApplication'), { requestId: 'reissue-term', application: signAct(b.applicant.key, { act: 'submit_application', service: 'license.crypto_dev', variant: 'reissue', license, sub_kinds: ['development'], payment_reference: 'P', attachments: [{ id: 'qualification_requirements_form', sha256: 'a'.repeat(64) }] }, [b.applicant.cert]) }, grpc.status.INVALID_ARGUMENT);
    const chain = await verifyChain(b.store.db);
    expect(chain.ok).to.equal(true);
  });

  it('withdraws an application in progress; nothing more can happen to it', async () => {
    const app = await b.submit('withdraw-1');
    await b.act(b.officials.registrar, app.name, { act: 'register', registration_no: 'REG-W1' });
    const withdrawn = (await call(bind(b.licensing, 'withdrawApplication'), { name: app.name, withdrawal: signAct(b.applicant.key, { act: 'withdraw_application', application: app.name }, [b.applicant.cert]) })).response;
    expect(withdrawn.status).to.equal(ApplicationStatus.APPLICATION_STATUS_WITHDRAWN);
    const late = await callFails(bind(b.cases, 'performAct'), b.actRequest(b.officials.executor, app.name, { act: 'record_finding', complies: true }), grpc.status.FAILED_PRECONDITION);
    expect(late.status.errorInfo?.reason).to.equal('CASE_CLOSED');
    // The executor's worklist: cases assigned to him, not closed ones filtered by status.
    const mine = (await call(bind(b.cases, 'listCases'), { pageSize: 100, pageToken: '', status: 0, overdueOnly: false, executor: '851120300359' })).response.cases;
    expect(mine.length).to.be.greaterThan(0);
    expect(mine.every((c) => c.executor === '851120300359')).to.equal(true);
    const nobody = (await call(bind(b.cases, 'listCases'), { pageSize: 100, pageToken: '', status: 0, overdueOnly: false, executor: '870601300126' })).response.cases;
    expect(nobody).to.deep.equal([]);
    await callFails(bind(b.cases, 'listCases'), { pageSize: 10, pageToken: '', status: 0, overdueOnly: false, executor: '123' }, grpc.status.INVALID_ARGUMENT);
    const list = (await call(bind(b.licensing, 'listApplications'), { pageSize: 50, pageToken: '', applicantIdentifier: APPLICANT_IIN })).response;
    expect(list.applications.find((a) => a.name === app.name)?.status).to.equal(ApplicationStatus.APPLICATION_STATUS_WITHDRAWN);
  });
});
