// An NSC licence application over gRPC: EDS-signed by the applicant, verified by the in-process trust core.
import * as grpc from '@grpc/grpc-js';
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApplicationStatus } from '../../gen/ruqsat/common/v1/common.ts';
import { LicensingServiceClient } from '../../gen/ruqsat/licensing/v1/licensing.ts';
import { TrustServiceClient } from '../../gen/ruqsat/trust/v1/trust.ts';
import { verifyChain } from '../../services/kit/audit.ts';
import { ServiceDb } from '../../services/kit/db.ts';
import { clientFor } from '../../services/kit/grpc/client.ts';
import { bind, call, callFails } from '../helpers/grpc.ts';
import { startTestMesh, type TestMesh } from '../helpers/mesh.ts';
import { issueCertificate, makeKey, provisionOperator, signAct, type TestKey } from '../trust/helpers.ts';

const APPLICANT = '870601300126';
const OTHER = '851120300359';
const FORM = createHash('sha256').update('qualification form').digest('hex');

describe('licensing: applications for NSC licences', function () {
  this.timeout(60_000);
  let t: TestMesh;
  let dir: string;
  let licensing: InstanceType<typeof LicensingServiceClient>;
  let trust: InstanceType<typeof TrustServiceClient>;
  let key: TestKey;
  let cert: { name: string; der: Uint8Array };

  const act = (extra: object = {}) => ({ act: 'submit_application', service: 'license.crypto_dev', variant: '', sub_kinds: ['development'], payment_reference: 'EGOV-PAY-2026-0001', attachments: [{ id: 'qualification_requirements_form', sha256: FORM }], ...extra });
  const submit = (requestId: string, a: object = act(), k = key, c = cert.der) => call(bind(licensing, 'submitApplication'), { requestId, application: signAct(k, a, [c]) });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ruqsat-licensing-'));
    t = await startTestMesh(['trust', 'licensing']);
    trust = clientFor(TrustServiceClient, t.address('trust'));
    licensing = clientFor(LicensingServiceClient, t.address('licensing'));
    const operator = await provisionOperator(t, dir);
    key = makeKey(dir, 'applicant', 'ed25519');
    cert = await issueCertificate(trust, operator, key, 'req-lic-1', APPLICANT);
    // Licensing loads trust's anchors and CRLs in the background after it starts: wait until it has.
    for (let i = 0; i < 100; i++) {
      const r = await call(bind(licensing, 'getApplication'), { name: 'applications/probe' }).catch((e: grpc.ServiceError) => e);
      if ((r as grpc.ServiceError).code === grpc.status.NOT_FOUND && (await ready())) break;
      await new Promise((res) => setTimeout(res, 50));
    }
  });

  async function ready(): Promise<boolean> {
    const r = await call(bind(licensing, 'withdrawApplication'), { name: 'applications/probe', withdrawal: signAct(key, { act: 'withdraw_application', application: 'applications/probe' }, [cert.der]) }).catch((e: grpc.ServiceError) => e);
    return (r as grpc.ServiceError).code !== grpc.status.UNAVAILABLE;
  }
  after(async () => {
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('registers a signed application on its definition, with a deadline the applicant can read, idempotently', async () => {
    const { response } = await submit('lic-req-1');
    expect(response).to.include({ service: 'license.crypto_dev', status: ApplicationStatus.APPLICATION_STATUS_DELIVERED });
    expect(response.applicant?.identifier).to.equal(APPLICANT);
    expect(response.subKinds).to.deep.equal(['development']);
    expect(response.dueDisplay).to.match(/^\d{4}-\d{2}-\d{2} 18:30 \(Asia\/Almaty\)$/);
    expect(response.dueTime!.getTime()).to.be.greaterThan(Date.now() + 14 * 86_400_000);
    expect((await submit('lic-req-1')).response.name).to.equal(response.name);
    const reused = await callFails(bind(licensing, 'submitApplication'), { requestId: 'lic-req-1', application: signAct(key, act({ sub_kinds: ['development', 'development'] }), [cert.der]) }, grpc.status.ALREADY_EXISTS);
    expect(reused.status.errorInfo?.reason).to.equal('REQUEST_ID_REUSED');
    const list = (await call(bind(licensing, 'listApplications'), { pageSize: 10, pageToken: '', applicantIdentifier: APPLICANT })).response;
    expect(list.applications.map((a) => a.name)).to.deep.equal([response.name]);
  });

  it('refuses unsigned, malformed and incomplete applications, registering nothing', async () => {
    const unsigned = await callFails(bind(licensing, 'submitApplication'), { requestId: 'lic-bad-1', application: undefined }, grpc.status.UNAUTHENTICATED);
    expect(unsigned.status.errorInfo?.reason).to.equal('UNSIGNED');
    const unknown = await callFails(bind(licensing, 'submitApplication'), { requestId: 'lic-bad-2', application: signAct(key, act({ service: 'license.nope' }), [cert.der]) }, grpc.status.INVALID_ARGUMENT);
    expect(unknown.status.fieldViolations[0]).to.include({ field: 'application.payload.service' });
    const incomplete = await callFails(bind(licensing, 'submitApplication'), { requestId: 'lic-bad-3', application: signAct(key, act({ payment_reference: '', attachments: [], sub_kinds: ['sale'] }), [cert.der]) }, grpc.status.INVALID_ARGUMENT);
    expect(incomplete.status.fieldViolations.map((v) => v.field)).to.include.members(['payment_reference', 'attachments', 'sub_kinds']);
    const forged = signAct(key, act(), [cert.der]);
    forged.payload = Buffer.from(JSON.stringify(act({ service: 'license.sts_ors' })));
    expect((await callFails(bind(licensing, 'submitApplication'), { requestId: 'lic-bad-4', application: forged }, grpc.status.UNAUTHENTICATED)).status.errorInfo?.reason).to.equal('BAD_SIGNATURE');
    const list = (await call(bind(licensing, 'listApplications'), { pageSize: 10, pageToken: '', applicantIdentifier: '' })).response;
    expect(list.applications).to.have.length(1);
  });

  it('lets only the applicant withdraw, and records every act in the audit chain', async () => {
    const { response } = await submit('lic-req-2');
    const otherKey = makeKey(dir, 'other', 'ed25519');
    const operator = await provisionOperator(t, dir, '920702400470');
    const other = await issueCertificate(trust, operator, otherKey, 'req-lic-other', OTHER);
    const withdrawal = (k: TestKey, c: Uint8Array) => ({ name: response.name, withdrawal: signAct(k, { act: 'withdraw_application', application: response.name }, [c]) });
    const denied = await callFails(bind(licensing, 'withdrawApplication'), withdrawal(otherKey, other.der), grpc.status.PERMISSION_DENIED);
    expect(denied.status.errorInfo?.reason).to.equal('NOT_THE_APPLICANT');
    const done = (await call(bind(licensing, 'withdrawApplication'), withdrawal(key, cert.der))).response;
    expect(done.status).to.equal(ApplicationStatus.APPLICATION_STATUS_WITHDRAWN);
    const again = await callFails(bind(licensing, 'withdrawApplication'), withdrawal(key, cert.der), grpc.status.FAILED_PRECONDITION);
    expect(again.status.errorInfo?.reason).to.equal('CASE_CLOSED');
    const chain = await verifyChain(new ServiceDb(t.mesh.database.knex, t.config.schemaPrefix + 'licensing'));
    expect(chain).to.deep.include({ ok: true, entries: 3 });
  });

  it('refuses a revoked signer within a second of the revocation', async () => {
    await call(bind(trust, 'revokeCertificate'), { name: cert.name, reason: 1, request: signAct(key, { act: 'revoke_certificate', certificate: cert.name, reason: 1 }, [cert.der]) });
    const started = Date.now();
    let last: grpc.ServiceError | undefined;
    while (Date.now() - started < 1_000) {
      try {
        await submit(`lic-after-revoke-${Date.now()}`);
      } catch (err) {
        last = err as grpc.ServiceError;
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(last?.code).to.equal(grpc.status.PERMISSION_DENIED);
    expect(last?.details).to.match(/revoked/i);
  });
});
