// An accreditation test bench: trust, licensing and registry on loopback; the Committee's officials and a six-member
// commission with role certificates; a legal entity applying; and a real certifying centre built with openssl
// (its key and CSR, a self-signed CA certificate, a user certificate it issued and its CRL).
import * as grpc from '@grpc/grpc-js';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaseServiceClient, type Case } from '../../gen/ruqsat/cases/v1/cases.ts';
import { LicensingServiceClient, type Application } from '../../gen/ruqsat/licensing/v1/licensing.ts';
import { TrustServiceClient } from '../../gen/ruqsat/trust/v1/trust.ts';
import { ServiceDb } from '../../services/kit/db.ts';
import { clientFor } from '../../services/kit/grpc/client.ts';
import { isValidIinBin } from '../../services/kit/party.ts';
import { ACCREDITATION_CERTIFYING_CENTER, caseFromJson, caseToJson } from '../../services/kit/workflow/index.ts';
import { ONSITE_ITEMS } from '../../services/licensing/accreditation/inspection.ts';
import { AccreditationStore } from '../../services/licensing/accreditation/store.ts';
import { LicensingStore } from '../../services/licensing/store.ts';
import { bind, call, callFails } from '../helpers/grpc.ts';
import { startTestMesh, type TestMesh } from '../helpers/mesh.ts';
import { issueCertificate, makeKey, openssl, provisionOperator, signAct, signBytes, type TestKey } from '../trust/helpers.ts';

export const STATE_BODY = '050940002344';
export const CENTRE_BIN = '010440001231'; // Qorgau Security LLP in the reference registry
export const CENTRE_HEAD_IIN = '870601300126';
export const POLICY = '1.3.6.1.4.1.55555.1.9.7';

export interface Signer {
  key: TestKey;
  cert: Uint8Array;
  iin: string;
}

/** A certifying centre as the applicant runs it: key, CSR, self-signed CA certificate, a user certificate, a CRL. */
export interface Centre {
  csrPem: string;
  keyPath: string;
  caSelfSigned: Buffer;
  user: Buffer;
  crl: Buffer;
  dir: string;
}

/** A valid IIN from 11 digits (the check digit appended), for commission members added to the reference registry. */
export function iin(prefix11: string): string {
  for (let d = 0; d <= 9; d++) if (isValidIinBin(`${prefix11}${d}`)) return `${prefix11}${d}`;
  throw new Error(`no check digit for ${prefix11}`);
}

export function buildCentre(root: string, name: string): Centre {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const subject = `/C=KZ/O=Qorgau Security LLP/CN=${name} Accredited CA`;
  const key = makeKey(dir, 'ca', 'p256', subject);
  const w = (f: string, s: string) => writeFileSync(join(dir, f), s);
  w('ca.cnf', [
    '[req]', 'distinguished_name=dn', '[dn]',
    '[ca_ext]', 'basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign', 'subjectKeyIdentifier=hash',
    '[user_ext]', `certificatePolicies=${POLICY}`, 'basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature', 'subjectKeyIdentifier=hash', 'authorityKeyIdentifier=keyid',
    '[ca]', 'default_ca=centre', '[centre]', `database=${join(dir, 'index.txt')}`, `crlnumber=${join(dir, 'crlnumber')}`, 'default_md=sha256', 'default_crl_days=30', 'crl_extensions=crl_ext',
    '[crl_ext]', 'authorityKeyIdentifier=keyid',
  ].join('\n'));
  w('index.txt', '');
  w('crlnumber', '01\n');
  const run = (args: string[]) => {
    const r = openssl(args);
    if (r.status !== 0) throw new Error(`openssl ${args[0]}: ${r.output}`);
  };
  run(['req', '-x509', '-key', key.keyPath, '-subj', subject, '-days', '400', '-config', join(dir, 'ca.cnf'), '-extensions', 'ca_ext', '-out', join(dir, 'ca.pem')]);
  const user = makeKey(dir, 'user', 'p256', '/C=KZ/CN=Centre User/serialNumber=IIN900315400215');
  w('user.csr', user.csrPem);
  run(['x509', '-req', '-in', join(dir, 'user.csr'), '-CA', join(dir, 'ca.pem'), '-CAkey', key.keyPath, '-CAcreateserial', '-days', '60', '-extfile', join(dir, 'ca.cnf'), '-extensions', 'user_ext', '-out', join(dir, 'user.pem')]);
  run(['ca', '-gencrl', '-config', join(dir, 'ca.cnf'), '-keyfile', key.keyPath, '-cert', join(dir, 'ca.pem'), '-out', join(dir, 'crl.pem')]);
  return {
    csrPem: key.csrPem,
    keyPath: key.keyPath,
    caSelfSigned: pemToDer(readFileSync(join(dir, 'ca.pem'), 'utf8')),
    user: pemToDer(readFileSync(join(dir, 'user.pem'), 'utf8')),
    crl: pemToDer(readFileSync(join(dir, 'crl.pem'), 'utf8')),
    dir,
  };
}

export function pemToDer(pem: string): Buffer {
  return Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
}

export const ATTACHMENTS = ACCREDITATION_CERTIFYING_CENTER.requiredAttachments.map((a) => ({ id: a.id, sha256: createHash('sha256').update(a.id).digest('hex') }));

export type OfficialName = 'registrar' | 'executor' | 'head' | 'signatory';
export type MemberName = 'chair' | 'secretary' | 'provider2' | 'tech' | 'tech2' | 'ns';

export const MEMBERS: Record<MemberName, { iin: string; body: string; position: string }> = {
  chair: { iin: iin('75010230000'), body: 'provider', position: 'chair' },
  secretary: { iin: iin('80020340000'), body: 'provider', position: 'secretary' },
  provider2: { iin: iin('81030450000'), body: 'provider', position: 'member' },
  tech: { iin: iin('82040560000'), body: 'technical_regulation', position: 'member' },
  tech2: { iin: iin('83050670000'), body: 'technical_regulation', position: 'member' },
  ns: { iin: iin('84060780000'), body: 'national_security', position: 'member' },
};

export interface AccreditationBench {
  t: TestMesh;
  dir: string;
  licensing: InstanceType<typeof LicensingServiceClient>;
  cases: InstanceType<typeof CaseServiceClient>;
  trust: InstanceType<typeof TrustServiceClient>;
  store: LicensingStore;
  accreditations: AccreditationStore;
  officials: Record<OfficialName, Signer>;
  members: Record<MemberName, Signer>;
  /** The legal entity's head signing for it (certificate with its BIN). */
  applicant: Signer;
  /** A person, not a legal entity. */
  person: Signer;
  form(centre: Centre, extra?: object): object;
  submit(requestId: string, centre: Centre, extra?: object, who?: Signer): Promise<Application>;
  act(who: Signer, application: string, body: object): Promise<Case>;
  actFails(who: Signer, application: string, body: object, code: grpc.status): Promise<{ reason?: string; violations: string[] }>;
  signDraft(who: Signer, draft: Uint8Array): string;
  stop(): Promise<void>;
}

export async function startAccreditationBench(overrides: Record<string, string> = {}): Promise<AccreditationBench> {
  const dir = mkdtempSync(join(tmpdir(), 'ruqsat-accreditation-'));
  const t = await startTestMesh(['trust', 'licensing', 'registry'], overrides);
  const trust = clientFor(TrustServiceClient, t.address('trust'));
  const licensing = clientFor(LicensingServiceClient, t.address('licensing'));
  const cases = clientFor(CaseServiceClient, t.address('licensing'));
  const operator = await provisionOperator(t, dir);
  // The commission's members as the reference registry knows them.
  await operator.registration.loadReferenceParties(Object.entries(MEMBERS).map(([n, m]) => ({ identifier: m.iin, type: 'individual', name: `Member ${n}`, surname: 'Member', given_name: n, patronymic: null })));
  const db = new ServiceDb(t.mesh.database.knex, t.config.schemaPrefix + 'licensing');
  const store = new LicensingStore(db);
  const accreditations = new AccreditationStore(db);
  const official = async (name: string, iinValue: string, profile: string, bin?: string): Promise<Signer> => {
    const key = makeKey(dir, name, 'ed25519');
    return { key, iin: iinValue, cert: (await issueCertificate(trust, operator, key, `req-${name}`, iinValue, profile, bin)).der };
  };
  const officials = {
    registrar: await official('registrar', '900315400215', 'official_registrar', STATE_BODY),
    executor: await official('executor', '851120300359', 'official_executor', STATE_BODY),
    head: await official('head', '780103500569', 'official_head', STATE_BODY),
    signatory: await official('signatory', '920702400470', 'official_signatory', STATE_BODY),
  };
  for (const [role, s] of Object.entries(officials)) await store.addStaff(s.iin, role);
  const members = {} as Record<MemberName, Signer>;
  for (const [name, m] of Object.entries(MEMBERS) as [MemberName, (typeof MEMBERS)[MemberName]][]) {
    members[name] = await official(`member-${name}`, m.iin, 'official_commission_member', STATE_BODY);
    await store.addStaff(m.iin, 'commission_member');
    await accreditations.addCommissionMember({ iin: m.iin, body: m.body, position: m.position, full_name: `Member ${name}` });
  }
  const applicant = await official('centre-head', CENTRE_HEAD_IIN, 'legal_entity_sign', CENTRE_BIN);
  const person = await official('person', CENTRE_HEAD_IIN, 'individual_sign');

  const actRequest = (who: Signer, application: string, body: object) => ({ application, act: signAct(who.key, { application, ...body }, [who.cert]) });
  const act = async (who: Signer, application: string, body: object) => (await call(bind(cases, 'performAct'), actRequest(who, application, body))).response;
  for (let i = 0; i < 200; i++) {
    const probe = await call(bind(cases, 'performAct'), actRequest(officials.registrar, 'applications/probe', { act: 'register' })).catch((e: grpc.ServiceError) => e);
    if ((probe as grpc.ServiceError).code !== grpc.status.UNAVAILABLE) break;
    await new Promise((res) => setTimeout(res, 50));
  }
  const form = (centre: Centre, extra: object = {}) => ({
    act: 'submit_application',
    service: 'accreditation.certifying_center',
    attachments: ATTACHMENTS,
    ca_name: 'Qorgau Accredited CA',
    legal_address: 'Astana, Mangilik El 55/20',
    phone: '+7 7172 000000',
    head: 'Seitkali Aidar Nurlanuly, director',
    consent: true,
    integrates_with_state_is: false,
    ca_csr: centre.csrPem,
    policies: [POLICY],
    crl_distribution_points: ['http://crl.qorgau.kz/ca.crl'],
    cipf: [{ name: 'Qorgau HSM', certificate: 'KZ.7500.01.03.00042', level: 2 }],
    ...extra,
  });
  return {
    t,
    dir,
    licensing,
    cases,
    trust,
    store,
    accreditations,
    officials,
    members,
    applicant,
    person,
    form,
    async submit(requestId, centre, extra = {}, who = applicant) {
      return (await call(bind(licensing, 'submitApplication'), { requestId, application: signAct(who.key, form(centre, extra), [who.cert]) })).response;
    },
    act,
    async actFails(who, application, body, code) {
      const { status } = await callFails(bind(cases, 'performAct'), actRequest(who, application, body), code);
      return { reason: status.errorInfo?.reason, violations: status.fieldViolations.map((v) => v.field) };
    },
    signDraft: (who, draft) => signBytes(who.key, draft),
    async stop() {
      await t.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const COMMISSION = (Object.keys(MEMBERS) as MemberName[]).map((n) => ({ iin: MEMBERS[n].iin, body: MEMBERS[n].body, position: MEMBERS[n].position }));
export const allComply = (overrides: Record<string, { complies: boolean; note: string }> = {}) =>
  Object.fromEntries(ONSITE_ITEMS.map((i) => [i, overrides[i] ?? { complies: true, note: '' }]));
export const chainOf = (c: Centre) => ({ ca_certificate: c.caSelfSigned.toString('base64'), user_certificate: c.user.toString('base64'), crl: c.crl.toString('base64') });

/** The whole granting path to a signed certificate; returns the accreditation as the Root CA registered it. */
export async function grant(b: AccreditationBench, requestId: string, centre: Centre) {
  const app = await b.submit(requestId, centre);
  await b.act(b.officials.registrar, app.name, { act: 'register', registration_no: `ISC-AQ-${app.name.slice(-6)}`, executor_id: b.officials.executor.iin });
  await b.act(b.officials.executor, app.name, { act: 'record_finding', complies: true });
  await b.act(b.officials.executor, app.name, { act: 'convene_commission', members: COMMISSION, letter: 'ISC letter 04-1/77' });
  await b.act(b.members.chair, app.name, { act: 'record_finding', complies: true });
  await b.act(b.officials.executor, app.name, { act: 'record_finding', complies: true });
  await b.act(b.members.chair, app.name, { act: 'record_finding', complies: true, checklist: allComply(), chain_check: chainOf(centre), recommendations: 'none' });
  const act = (await call(bind(b.licensing, 'getInspectionAct'), { application: app.name })).response;
  for (const m of ['chair', 'secretary', 'tech', 'ns'] as MemberName[]) await b.act(b.members[m], app.name, { act: 'vote', act_sha256: act.sha256, signs: true });
  await b.act(b.members.chair, app.name, { act: 'record_finding', complies: true });
  const decided = await b.act(b.officials.head, app.name, { act: 'draft_result', role: 'head' });
  await b.act(b.officials.signatory, app.name, { act: 'sign', document_signature: b.signDraft(b.officials.signatory, decided.draftDocument) });
  return { app, draft: decided.draftDocument, accreditation: (await call(bind(b.licensing, 'getAccreditation'), { name: `accreditations/${app.name.split('/')[1]}` })).response };
}

/**
 * Lets the open step's period run out: every instant of the case moves back until the step's deadline is an hour
 * past (acts are timed by the server's clock, so the case goes back in time instead).
 */
export async function lapse(b: AccreditationBench, application: string): Promise<void> {
  const id = application.split('/')[1];
  const table = () => b.store.db.table('applications', undefined).where({ id });
  const row = await table().first();
  const state = caseFromJson(row.state);
  const open = state.steps.find((r) => r.step === state.step && !r.completedAt)!;
  const back = open.dueAt.getTime() - Date.now() + 3_600_000;
  const shifted = JSON.parse(caseToJson(state), (_k, v: unknown) => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(v) ? new Date(Date.parse(v) - back).toISOString() : v));
  await table().update({ state: JSON.stringify(shifted) });
}
