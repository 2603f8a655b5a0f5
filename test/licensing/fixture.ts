// A licensing test bench: trust and licensing on loopback, the Licensing Department's officials with role
// certificates and staff rows, an applicant, and the calls a case needs.
import * as grpc from '@grpc/grpc-js';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaseServiceClient, type Case } from '../../gen/ruqsat/cases/v1/cases.ts';
import { LicensingServiceClient, type Application } from '../../gen/ruqsat/licensing/v1/licensing.ts';
import { TrustServiceClient } from '../../gen/ruqsat/trust/v1/trust.ts';
import { ServiceDb } from '../../services/kit/db.ts';
import { clientFor } from '../../services/kit/grpc/client.ts';
import { LicensingStore } from '../../services/licensing/store.ts';
import { bind, call } from '../helpers/grpc.ts';
import { startTestMesh, type TestMesh } from '../helpers/mesh.ts';
import { issueCertificate, makeKey, provisionOperator, signAct, signBytes, type TestKey } from '../trust/helpers.ts';

export const STATE_BODY = '050940002344';
export const APPLICANT_IIN = '870601300126';
export const FORM = createHash('sha256').update('qualification form').digest('hex');

export interface Signer {
  key: TestKey;
  cert: Uint8Array;
}

export interface Bench {
  t: TestMesh;
  licensing: InstanceType<typeof LicensingServiceClient>;
  cases: InstanceType<typeof CaseServiceClient>;
  store: LicensingStore;
  officials: Record<'registrar' | 'executor' | 'signatory' | 'head', Signer>;
  applicant: Signer;
  /** Another person, who holds nothing here. */
  stranger: Signer;
  submit(requestId: string, extra?: object, who?: Signer): Promise<Application>;
  act(who: Signer, application: string, body: object): Promise<Case>;
  actRequest(who: Signer, application: string, body: object): { application: string; act: ReturnType<typeof signAct> };
  /** register → finding → draft: the case waits for the signature; returns the draft. */
  toSignature(name: string, complies?: boolean): Promise<Case>;
  signDraft(who: Signer, draft: Uint8Array): string;
  stop(): Promise<void>;
}

export async function startBench(overrides: Record<string, string> = {}): Promise<Bench> {
  const dir = mkdtempSync(join(tmpdir(), 'ruqsat-licensing-bench-'));
  const t = await startTestMesh(['trust', 'licensing'], overrides);
  const trust = clientFor(TrustServiceClient, t.address('trust'));
  const licensing = clientFor(LicensingServiceClient, t.address('licensing'));
  const cases = clientFor(CaseServiceClient, t.address('licensing'));
  const operator = await provisionOperator(t, dir);
  const store = new LicensingStore(new ServiceDb(t.mesh.database.knex, t.config.schemaPrefix + 'licensing'));
  const officials = {} as Bench['officials'];
  const staff: [keyof Bench['officials'], string, string, string[]][] = [
    ['registrar', '900315400215', 'official_registrar', ['registrar']],
    ['executor', '851120300359', 'official_executor', ['executor']],
    ['signatory', '920702400470', 'official_signatory', ['signatory']],
    // One person heads both the provider and its Licensing Department; the act names the role.
    ['head', '780103500569', 'official_head', ['head', 'head_of_licensing_department']],
  ];
  for (const [who, iin, profile, roles] of staff) {
    const key = makeKey(dir, who, 'ed25519');
    officials[who] = { key, cert: (await issueCertificate(trust, operator, key, `req-${who}`, iin, profile, STATE_BODY)).der };
    for (const role of roles) await store.addStaff(iin, role);
  }
  const person = async (name: string, iin: string): Promise<Signer> => {
    const key = makeKey(dir, name, 'ed25519');
    return { key, cert: (await issueCertificate(trust, operator, key, `req-${name}`, iin)).der };
  };
  const applicant = await person('applicant', APPLICANT_IIN);
  const stranger = await person('stranger', '851120300359');

  const actRequest = (who: Signer, application: string, body: object) => ({ application, act: signAct(who.key, { application, ...body }, [who.cert]) });
  const act = async (who: Signer, application: string, body: object) => (await call(bind(cases, 'performAct'), actRequest(who, application, body))).response;
  const signDraft = (who: Signer, draft: Uint8Array) => signBytes(who.key, draft);
  // Licensing loads trust's anchors and CRLs in the background: wait until it verifies.
  for (let i = 0; i < 200; i++) {
    const probe = await call(bind(cases, 'performAct'), actRequest(officials.registrar, 'applications/probe', { act: 'register' })).catch((e: grpc.ServiceError) => e);
    if ((probe as grpc.ServiceError).code !== grpc.status.UNAVAILABLE) break;
    await new Promise((res) => setTimeout(res, 50));
  }
  return {
    t,
    licensing,
    cases,
    store,
    officials,
    applicant,
    stranger,
    actRequest,
    act,
    signDraft,
    async submit(requestId, extra = {}, who = applicant) {
      const body = { act: 'submit_application', service: 'license.crypto_dev', sub_kinds: ['development'], payment_reference: 'EGOV-PAY-1', attachments: [{ id: 'qualification_requirements_form', sha256: FORM }], ...extra };
      return (await call(bind(licensing, 'submitApplication'), { requestId, application: signAct(who.key, body, [who.cert]) })).response;
    },
    async toSignature(name, complies = true) {
      await act(officials.registrar, name, { act: 'register', registration_no: `REG-${name.slice(-8)}`, executor_id: '851120300359' });
      await act(officials.executor, name, complies ? { act: 'record_finding', complies: true } : { act: 'record_finding', complies: false, reasons: ['no qualified staff'] });
      return act(officials.executor, name, { act: 'draft_result' });
    },
    async stop() {
      await t.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
