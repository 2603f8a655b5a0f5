// Keys, CSRs and EDS-signed acts for trust tests, made the way an applicant's software would.
import { execFile, execFileSync } from 'node:child_process';
import { createPrivateKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SignedEnvelope } from '../../gen/ruqsat/common/v1/common.ts';

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
