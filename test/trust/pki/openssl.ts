// Test helper: the openssl CLI in a throwaway directory, with what it printed and how it exited.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toPem } from '../../../services/trust/domain/pki/der.ts';

export interface Run { status: number | null; stdout: string; stderr: string; out: string }

export class OpenSslDir {
  readonly dir = mkdtempSync(join(tmpdir(), 'ruqsat-trust-pki-'));

  path(name: string): string { return join(this.dir, name); }

  write(name: string, data: Uint8Array | string): string {
    writeFileSync(this.path(name), data);
    return this.path(name);
  }

  writePem(name: string, der: Uint8Array, label = 'CERTIFICATE'): string {
    return this.write(name, toPem(der, label));
  }

  read(name: string): Uint8Array { return new Uint8Array(readFileSync(this.path(name))); }

  readText(name: string): string { return readFileSync(this.path(name), 'utf8'); }

  run(...args: string[]): Run {
    const r = spawnSync('openssl', args, { cwd: this.dir, encoding: 'utf8' });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, out: r.stdout + r.stderr };
  }

  /** Runs and throws with openssl's own words when it exits non-zero. */
  ok(...args: string[]): string {
    const r = this.run(...args);
    if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} exited ${r.status}:\n${r.out}`);
    return r.out;
  }

  /** A PKCS#10 request from `openssl req -new` for a fresh key of the given kind. */
  csr(kind: 'ed25519' | 'p256' | 'p384' | 'rsa', subj: string, name = kind): Uint8Array {
    const keygen: Record<typeof kind, string[]> = {
      ed25519: ['-algorithm', 'ed25519'],
      p256: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
      p384: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'],
      rsa: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
    };
    this.ok('genpkey', ...keygen[kind], '-out', `${name}.key`);
    this.ok('req', '-new', '-key', `${name}.key`, '-subj', subj, '-utf8', '-outform', 'DER', '-out', `${name}.csr.der`);
    return this.read(`${name}.csr.der`);
  }

  /** Set RUQSAT_KEEP_PKI_TMP=1 to keep the files for a look with openssl after a failure. */
  remove(): void {
    if (process.env.RUQSAT_KEEP_PKI_TMP) console.log(`kept ${this.dir}`);
    else rmSync(this.dir, { recursive: true, force: true });
  }
}
