// Keys, CSRs and EDS-signed acts for trust tests, made the way an applicant's software would.
import { execFile, execFileSync } from 'node:child_process';
import { createPrivateKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { PartyType, type SignedEnvelope } from '../../gen/ruqsat/common/v1/common.ts';
import type { TrustServiceClient } from '../../gen/ruqsat/trust/v1/trust.ts';
import { ServiceDb } from '../../services/kit/db.ts';
import { Authorities } from '../../services/trust/authorities.ts';
import { issueOperatorCertificate } from '../../services/trust/operators.ts';
import { RegistrationStore } from '../../services/trust/registration-store.ts';
import { TrustStore } from '../../services/trust/store.ts';
import { bind, call } from '../helpers/grpc.ts';
import type { TestMesh } from '../helpers/mesh.ts';

export type KeyType = 'ed25519' | 'p256' | 'rsa';

export interface TestKey {
  keyPath: string;
  csrPem: string;
  privatePem: string;
}

/** A key pair and a PKCS#10 request made with the openssl command line. */
export function makeKey(dir: string, name: string, type: KeyType, subject = `/CN=${name}`): TestKey {
  const keyPath = join(dir, `${name}.key`);
  const args = type === 'ed25519' ? ['-algorithm', 'ed25519'] : type === 'p256' ? ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'] : ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'];
  execFileSync('openssl', ['genpkey', ...args, '-out', keyPath], { stdio: 'pipe' });
  const csrPem = execFileSync('openssl', ['req', '-new', '-key', keyPath, '-subj', subject], { stdio: 'pipe' }).toString();
  return { keyPath, csrPem, privatePem: readFileSync(keyPath, 'utf8') };
}

/** Signs a JSON act with the key, carrying the signer's certificate (and any intermediates). */
export function signAct(key: TestKey, act: object, chain: Uint8Array[]): SignedEnvelope {
  const payload = Buffer.from(JSON.stringify(act));
  const privateKey = createPrivateKey(key.privatePem);
  const hash = privateKey.asymmetricKeyType === 'ed25519' ? null : 'sha256';
  return { payload, signature: sign(hash, payload, privateKey), certificateChain: chain.map((c) => Buffer.from(c)) };
}

/** A detached signature (base64) over exact bytes, e.g. a draft result document the official signs. */
export function signBytes(key: TestKey, bytes: Uint8Array): string {
  const privateKey = createPrivateKey(key.privatePem);
  return sign(privateKey.asymmetricKeyType === 'ed25519' ? null : 'sha256', bytes, privateKey).toString('base64');
}

export function pem(der: Uint8Array, label = 'CERTIFICATE'): string {
  const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN ${label}-----\n${b64.replace(/\n$/, '')}\n-----END ${label}-----\n`;
}

/** Runs openssl; returns its exit status and everything it printed. */
export function openssl(args: string[]): { status: number; output: string } {
  try {
    const out = execFileSync('openssl', args, { stdio: 'pipe' });
    return { status: 0, output: out.toString() };
  } catch (err) {
    const e = err as { status: number; stdout: Buffer; stderr: Buffer };
    return { status: e.status, output: `${e.stdout}${e.stderr}` };
  }
}

/** openssl without blocking the event loop: for commands that talk to a server in this process. */
export function opensslAsync(args: string[]): Promise<{ status: number; output: string }> {
  return new Promise((resolve) => {
    execFile('openssl', args, { timeout: 20_000 }, (err, stdout, stderr) => {
      resolve({ status: err ? ((err as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}

/** An RA operator with its certificate, issued on a letter as `ruqsat ca operator issue` would. */
export interface TestOperator {
  key: TestKey;
  certificate: Uint8Array;
  id: string;
  registration: RegistrationStore;
}

export async function provisionOperator(t: TestMesh, dir: string, iin = '900315400215', issuedAt = new Date()): Promise<TestOperator> {
  const db = new ServiceDb(t.mesh.database.knex, t.config.schemaPrefix + 'trust');
  const store = new TrustStore(db);
  const registration = new RegistrationStore(db);
  const authorities = new Authorities(store, t.config.env.RUQSAT_CA_PASSPHRASE!, { publicUrl: 'http://127.0.0.1:1' });
  await authorities.open(pino({ level: 'silent' }));
  const key = makeKey(dir, `operator-${iin}-${issuedAt.getTime()}`, 'ed25519');
  const issued = await issueOperatorCertificate(store, registration, authorities, {
    person: { iin, surname: 'Omarova', givenName: 'Dana' },
    office: { bin: '010440001231', name: 'Public Service Centre of Astana' },
    letterReference: 'PSC Astana letter 14-2/118, order 45-k',
    csr: key.csrPem,
  }, issuedAt);
  return { key, certificate: issued.certificateDer, id: issued.operator.id, registration };
}

/**
 * Flow A start to finish for a person in the demo registry (or, with `bin`, for a person acting for
 * that organization, e.g. an official's role certificate): the issued certificate's name and DER.
 */
export async function issueCertificate(client: InstanceType<typeof TrustServiceClient>, operator: TestOperator, key: TestKey, requestId: string, iin: string, profile = 'individual_sign', bin?: string): Promise<{ name: string; der: Uint8Array }> {
  const { response: app } = await call(bind(client, 'submitCertificateApplication'), {
    requestId,
    applicant: bin ? { type: PartyType.PARTY_TYPE_LEGAL_ENTITY, identifier: bin, displayName: '' } : { type: PartyType.PARTY_TYPE_INDIVIDUAL, identifier: iin, displayName: '' },
    representativeIin: bin ? iin : '',
    email: 'holder@example.kz',
    region: 'Astana',
    keyStorage: 'token',
    profile,
    csr: Buffer.from(key.csrPem),
  });
  const act = { act: 'confirm_certificate_application', application: app.name, csr_sha256: app.csrSha256 };
  const { response } = await call(bind(client, 'confirmCertificateApplication'), { name: app.name, confirmation: signAct(operator.key, act, [operator.certificate]) });
  const cert = await call(bind(client, 'getCertificate'), { name: response.certificate });
  return { name: response.certificate, der: cert.response.certificateDer };
}
