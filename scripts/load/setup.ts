// Inputs a load scenario needs, made once by the coordinator against the target mesh the way a real
// caller gets them: an RA operator on an official letter (on trust's database), then certificates
// through flow A over gRPC, a signed permit recorded as the case flow's signing step records it.
import * as grpc from '@grpc/grpc-js';
import { execFileSync } from 'node:child_process';
import { createPrivateKey, randomBytes, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { pino } from 'pino';
import { parseCertificate, pemBlocks } from '../../core-wasm/src/index.ts';
import { loadConfig } from '../../services/kit/config.ts';
import { demoSettings, readDemoOperator } from '../demo/provision.ts';
import { PartyType, type SignedEnvelope } from '../../gen/ruqsat/common/v1/common.ts';
import { TrustServiceClient } from '../../gen/ruqsat/trust/v1/trust.ts';
import { ServiceDb } from '../../services/kit/db.ts';
import type { ServiceName } from '../../services/kit/config.ts';
import { clientFor } from '../../services/kit/grpc/client.ts';
import { Authorities } from '../../services/trust/authorities.ts';
import { issueOperatorCertificate } from '../../services/trust/operators.ts';
import { RegistrationStore } from '../../services/trust/registration-store.ts';
import { TrustStore } from '../../services/trust/store.ts';

/** The mesh under load as setup sees it: where each service listens, and its database when setup needs one. */
export interface SetupTarget {
  addresses: Partial<Record<ServiceName, string>>;
  /** The mesh's database (the one its services use), for what only an administrator can do. */
  knex?: Knex;
  schemaPrefix: string;
  caPassphrase?: string;
  /** Scratch directory for keys. */
  dir: string;
  /** The tool started this mesh itself (so it may seed test data into it). */
  own: boolean;
  /** Makes this run's names unique, so setup may run again against the same mesh. */
  runId: string;
}

export interface Key {
  privatePem: string;
  csrPem: string;
}

/** An Ed25519 key and a PKCS#10 request, made with openssl as an applicant's software would. */
export function makeKey(dir: string, name: string): Key {
  const path = join(dir, `${name}.key`);
  execFileSync('openssl', ['genpkey', '-algorithm', 'ed25519', '-out', path], { stdio: 'pipe' });
  const csrPem = execFileSync('openssl', ['req', '-new', '-key', path, '-subj', `/CN=${name}`], { stdio: 'pipe' }).toString();
  return { privatePem: readFileSync(path, 'utf8'), csrPem };
}

export function signJson(privatePem: string, act: object, chain: Uint8Array[]): SignedEnvelope {
  const payload = Buffer.from(JSON.stringify(act));
  return { payload, signature: sign(null, payload, createPrivateKey(privatePem)), certificateChain: chain.map((c) => Buffer.from(c)) };
}

type Unary<Req, Res> = (req: Req, metadata: grpc.Metadata, options: Partial<grpc.CallOptions>, cb: (err: grpc.ServiceError | null, res: Res) => void) => grpc.ClientUnaryCall;

export function unary<Req, Res>(client: grpc.Client, method: Unary<Req, Res>, req: Req, deadlineMs = 15_000): Promise<Res> {
  return new Promise((resolve, reject) => method.call(client, req, new grpc.Metadata(), { deadline: Date.now() + deadlineMs }, (err, res) => (err ? reject(err) : resolve(res))));
}

/** Retries `fn` while it fails UNAVAILABLE: a service's trust follower loads anchors and CRLs after start. */
export async function whileUnavailable<T>(what: string, fn: () => Promise<T>, ms = 20_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if ((err as grpc.ServiceError).code !== grpc.status.UNAVAILABLE || Date.now() > until) throw new Error(`${what}: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export interface Operator {
  key: Key;
  certificate: Uint8Array;
}

/** An RA operator, issued on a letter as `ruqsat ca operator issue` does: needs trust's database and the CA passphrase. */
export async function provisionOperator(t: SetupTarget): Promise<Operator> {
  // Without the target's database (npm start on the embedded one), the RA operator npm start's demo mode
  // appointed, whose key and certificate are on disk beside the data; with the database, a fresh one of its own.
  const demo = t.own || (t.knex && t.caPassphrase) ? undefined : readDemoOperator(demoSettings(process.env, loadConfig().pgliteDir).dir);
  if (demo) return { key: { privatePem: demo.keyPem, csrPem: '' }, certificate: new Uint8Array(pemBlocks(demo.certificatePem)[0]!.der) };
  if (!t.knex) throw new Error('this scenario needs an RA operator, which only the trust database can make: set DATABASE_URL (and DB_SCHEMA_PREFIX) as the target mesh has them');
  if (!t.caPassphrase) throw new Error('this scenario needs the CA passphrase of the target mesh (RUQSAT_CA_PASSPHRASE or RUQSAT_CA_PASSPHRASE_FILE)');
  const db = new ServiceDb(t.knex, t.schemaPrefix + 'trust');
  const store = new TrustStore(db);
  const authorities = new Authorities(store, t.caPassphrase, { publicUrl: 'http://127.0.0.1:1' });
  await authorities.open(pino({ level: 'silent' }));
  const key = makeKey(t.dir, 'load-operator');
  const { certificateDer } = await issueOperatorCertificate(store, new RegistrationStore(db), authorities, {
    person: { iin: '900315400215', surname: 'Omarova', givenName: 'Dana' },
    office: { bin: '010440001231', name: 'Public Service Centre of Astana' },
    letterReference: `load test ${t.runId}`,
    csr: key.csrPem,
  });
  return { key, certificate: certificateDer };
}

export interface Holder {
  key: Key;
  /** The holder's certificate, then the CA certificate that issued it. */
  chain: Uint8Array[];
}

/** Flow A for a person in the demo reference registry (with `bin`, acting for that organization). */
export async function issueCertificate(t: SetupTarget, operator: Operator, name: string, iin: string, profile = 'individual_sign', bin?: string): Promise<Holder> {
  const trust = clientFor(TrustServiceClient, t.addresses.trust!);
  const key = makeKey(t.dir, name);
  const app = await unary(trust, trust.submitCertificateApplication, {
    requestId: `load-${t.runId}-${name}`,
    applicant: bin ? { type: PartyType.PARTY_TYPE_LEGAL_ENTITY, identifier: bin, displayName: '' } : { type: PartyType.PARTY_TYPE_INDIVIDUAL, identifier: iin, displayName: '' },
    representativeIin: bin ? iin : '',
    email: 'load@example.kz',
    region: 'Astana',
    keyStorage: 'token',
    profile,
    csr: Buffer.from(key.csrPem),
  });
  const act = { act: 'confirm_certificate_application', application: app.name, csr_sha256: app.csrSha256 };
  const confirmed = await unary(trust, trust.confirmCertificateApplication, { name: app.name, confirmation: signJson(operator.key.privatePem, act, [operator.certificate]) });
  const cert = await unary(trust, trust.getCertificate, { name: confirmed.certificate });
  const leaf = parseCertificate(cert.certificateDer);
  const { authorities } = await unary(trust, trust.listAuthorities, { pageSize: 100, pageToken: '' });
  const issuer = authorities.find((a) => parseCertificate(a.certificateDer).subject.text === leaf.issuer.text);
  if (!issuer) throw new Error(`trust lists no authority named ${leaf.issuer.text}`);
  return { key, chain: [cert.certificateDer, issuer.certificateDer] };
}

export const newRunId = () => `${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}-${randomBytes(3).toString('hex')}`;
