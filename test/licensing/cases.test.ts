// A licence from application to signature over gRPC: each official's act EDS-signed, role by certificate and staff table.
import * as grpc from '@grpc/grpc-js';
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaseServiceClient } from '../../gen/ruqsat/cases/v1/cases.ts';
import { ApplicationStatus } from '../../gen/ruqsat/common/v1/common.ts';
import { LicenseStatus, LicensingServiceClient } from '../../gen/ruqsat/licensing/v1/licensing.ts';
import { TrustServiceClient } from '../../gen/ruqsat/trust/v1/trust.ts';
import { verifyChain } from '../../services/kit/audit.ts';
import { ServiceDb } from '../../services/kit/db.ts';
import { clientFor } from '../../services/kit/grpc/client.ts';
import { LicensingStore } from '../../services/licensing/store.ts';
import { bind, call, callFails } from '../helpers/grpc.ts';
import { startTestMesh, type TestMesh } from '../helpers/mesh.ts';
import { issueCertificate, makeKey, provisionOperator, signAct, signBytes, type TestKey } from '../trust/helpers.ts';

const STATE_BODY = '050940002344'; // the provider, in the demo reference registry
const FORM = createHash('sha256').update('qualification form').digest('hex');

interface Official {
  key: TestKey;
  cert: Uint8Array;
}

describe('licensing: the officials\u2019 CaseService on a licence', function () {
  this.timeout(90_000);
  let t: TestMesh;
  let dir: string;
  let licensing: InstanceType<typeof LicensingServiceClient>;
  let cases: InstanceType<typeof CaseServiceClient>;
  const officials: Record<string, Official> = {};
  let applicant: Official;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ruqsat-cases-'));
    t = await startTestMesh(['trust', 'licensing']);
    const trust = clientFor(TrustServiceClient, t.address('trust'));
    licensing = clientFor(LicensingServiceClient, t.address('licensing'));
    cases = clientFor(CaseServiceClient, t.address('licensing'));
    const operator = await provisionOperator(t, dir);
    const store = new LicensingStore(new ServiceDb(t.mesh.database.knex, t.config.schemaPrefix + 'licensing'));
    const staff: [string, string, string][] = [
      ['registrar', '900315400215', 'official_registrar'],
      ['executor', '851120300359', 'official_executor'],
      ['signatory', '920702400470', 'official_signatory'],
    ];
    for (const [role, iin, profile] of staff) {
      const key = makeKey(dir, role, 'ed25519');
      officials[role] = { key, cert: (await issueCertificate(trust, operator, key, `req-${role}`, iin, profile, STATE_BODY)).der };
      await store.addStaff(iin, role);
    }
    const key = makeKey(dir, 'applicant', 'ed25519');
    applicant = { key, cert: (await issueCertificate(trust, operator, key, 'req-applicant', '870601300126')).der };
    // Licensing loads trust's anchors and CRLs in the background: wait until it can verify.
    for (let i = 0; i < 100; i++) {
      const r = await call(bind(cases, 'listCases'), { pageSize: 1, pageToken: '', status: 0, overdueOnly: false, executor: '' }).catch((e: grpc.ServiceError) => e);
      const probe = await call(bind(cases, 'performAct'), { application: 'applications/probe', act: signAct(officials.registrar!.key, { act: 'register', application: 'applications/probe' }, [officials.registrar!.cert]) }).catch((e: grpc.ServiceError) => e);
      if (!(r instanceof Error) && (probe as grpc.ServiceError).code !== grpc.status.UNAVAILABLE) break;
      await new Promise((res) => setTimeout(res, 50));
    }
  });
  after(async () => {
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const act = (who: Official, application: string, body: object) => ({ application, act: signAct(who.key, { application, ...body }, [who.cert]) });

  it('runs submit → register → finding → draft → sign, refusing a wrong role and a step out of order', async () => {
    const submitted = (await call(bind(licensing, 'submitApplication'), {
      requestId: 'case-1',
      application: signAct(applicant.key, { act: 'submit_application', service: 'license.crypto_dev', variant: '', sub_kinds: ['development'], payment_reference: 'PAY-1', attachments: [{ id: 'qualification_requirements_form', sha256: FORM }] }, [applicant.cert]),
    })).response;
    const name = submitted.name;
    // The applicant's personal cabinet follows the case as the officials act.
    const seen: ApplicationStatus[] = [];
    const watch = licensing.watchApplication({ name });
    watch.on('data', (a: { status: ApplicationStatus }) => seen.push(a.status));
    watch.on('error', () => undefined);

    // Only the registrar registers; nothing is signed while the office registers.
    const wrong = await callFails(bind(cases, 'performAct'), act(officials.executor!, name, { act: 'register', registration_no: 'X' }), grpc.status.PERMISSION_DENIED);
    expect(wrong.status.errorInfo?.reason).to.equal('WRONG_ROLE');
    const early = await callFails(bind(cases, 'performAct'), act(officials.signatory!, name, { act: 'sign' }), grpc.status.FAILED_PRECONDITION);
    expect(early.status.errorInfo?.reason).to.equal('STEP_OUT_OF_ORDER');
    // The applicant is not staff.
    const outsider = await callFails(bind(cases, 'performAct'), act(applicant, name, { act: 'register', registration_no: 'X' }), grpc.status.PERMISSION_DENIED);
    expect(outsider.status.errorInfo?.reason).to.equal('NOT_STAFF');
    expect((await call(bind(licensing, 'getApplication'), { name })).response.status).to.equal(ApplicationStatus.APPLICATION_STATUS_DELIVERED);

    const registered = (await call(bind(cases, 'performAct'), act(officials.registrar!, name, { act: 'register', registration_no: 'NSC-L-2026-0001', executor_id: '851120300359' }))).response;
    expect(registered).to.include({ registrationNumber: 'NSC-L-2026-0001', executor: '851120300359', currentStep: 'review' });
    // A draft before the finding is a step out of order, and changes nothing.
    const outOfOrder = await callFails(bind(cases, 'performAct'), act(officials.executor!, name, { act: 'draft_result', result: 'issue' }), grpc.status.FAILED_PRECONDITION);
    expect(outOfOrder.status.errorInfo?.reason).to.equal('STEP_OUT_OF_ORDER');
    await call(bind(cases, 'performAct'), act(officials.executor!, name, { act: 'record_finding', complies: true }));
    const drafted = (await call(bind(cases, 'performAct'), act(officials.executor!, name, { act: 'draft_result', result: 'issue' }))).response;
    const draft = JSON.parse(Buffer.from(drafted.draftDocument).toString('utf8'));
    expect(draft).to.include({ document: 'ruqsat.licence', kind: 'license.crypto_dev', registration_number: 'NSC-L-2026-0001', reissue: false });
    expect(draft.number).to.match(/^NSC-LIC-\d{4}-\d{6}$/);
    // At the signature step the executor still may not sign.
    const executorSigns = await callFails(bind(cases, 'performAct'), act(officials.executor!, name, { act: 'sign', document_signature: signBytes(officials.executor!.key, drafted.draftDocument) }), grpc.status.PERMISSION_DENIED);
    expect(executorSigns.status.errorInfo?.reason).to.equal('WRONG_ROLE');
    // A signature over anything but the draft is refused, and the case stays where it was.
    const forged = await callFails(bind(cases, 'performAct'), act(officials.signatory!, name, { act: 'sign', document_signature: signBytes(officials.signatory!.key, Buffer.from('{}')) }), grpc.status.UNAUTHENTICATED);
    expect(forged.status.errorInfo?.reason).to.equal('BAD_DOCUMENT_SIGNATURE');
    const signed = (await call(bind(cases, 'performAct'), act(officials.signatory!, name, { act: 'sign', document_signature: signBytes(officials.signatory!.key, drafted.draftDocument) }))).response;
    expect(signed.status).to.equal(ApplicationStatus.APPLICATION_STATUS_ISSUED);
    expect((await call(bind(licensing, 'getApplication'), { name })).response.status).to.equal(ApplicationStatus.APPLICATION_STATUS_ISSUED);

    for (let i = 0; i < 100 && !seen.includes(ApplicationStatus.APPLICATION_STATUS_ISSUED); i++) await new Promise((r) => setTimeout(r, 20));
    watch.cancel();
    // One message per visible change (a new step keeps "in progress" but moves its deadline).
    const statuses = seen.filter((s, i) => s !== seen[i - 1]);
    expect(statuses).to.deep.equal([ApplicationStatus.APPLICATION_STATUS_DELIVERED, ApplicationStatus.APPLICATION_STATUS_REGISTERED, ApplicationStatus.APPLICATION_STATUS_IN_PROGRESS, ApplicationStatus.APPLICATION_STATUS_ISSUED]);
    // The signed licence is in the licence register, active, with its number and signatory.
    const licences = (await call(bind(licensing, 'listLicenses'), { pageSize: 10, pageToken: '', holderIdentifier: '870601300126' })).response.licenses;
    expect(licences).to.have.length(1);
    expect(licences[0]).to.include({ number: draft.number, kind: 'license.crypto_dev', status: LicenseStatus.LICENSE_STATUS_ACTIVE, application: name });
    expect(Buffer.from(licences[0]!.document!.payload).equals(Buffer.from(drafted.draftDocument))).to.equal(true);
    expect(licences[0]!.subKinds).to.deep.equal(['development']);
    expect(licences[0]!.signatory).to.include('IIN920702400470');
    const issued = (await call(bind(cases, 'listCases'), { pageSize: 10, pageToken: '', status: ApplicationStatus.APPLICATION_STATUS_ISSUED, overdueOnly: false, executor: '' })).response;
    expect(issued.cases.map((c) => c.application)).to.deep.equal([name]);
    const chain = await verifyChain(new ServiceDb(t.mesh.database.knex, t.config.schemaPrefix + 'licensing'));
    expect(chain).to.deep.include({ ok: true, entries: 5 });
  });

  it('refuses acts that are unsigned, about another case, or not an official\u2019s', async () => {
    const { response } = await call(bind(licensing, 'submitApplication'), {
      requestId: 'case-2',
      application: signAct(applicant.key, { act: 'submit_application', service: 'license.crypto_dev', variant: '', sub_kinds: ['development'], payment_reference: 'PAY-2', attachments: [{ id: 'qualification_requirements_form', sha256: FORM }] }, [applicant.cert]),
    });
    await callFails(bind(cases, 'performAct'), { application: response.name, act: undefined }, grpc.status.UNAUTHENTICATED);
    const other = await callFails(bind(cases, 'performAct'), { application: response.name, act: signAct(officials.registrar!.key, { act: 'register', application: 'applications/else', registration_no: 'X' }, [officials.registrar!.cert]) }, grpc.status.INVALID_ARGUMENT);
    expect(other.status.fieldViolations[0]).to.include({ field: 'act.payload' });
    const bogus = await callFails(bind(cases, 'performAct'), act(officials.registrar!, response.name, { act: 'approve_everything' }), grpc.status.INVALID_ARGUMENT);
    expect(bogus.status.fieldViolations[0]).to.include({ field: 'act.payload.act' });
    expect((await call(bind(licensing, 'getApplication'), { name: response.name })).response.status).to.equal(ApplicationStatus.APPLICATION_STATUS_DELIVERED);
  });
});
