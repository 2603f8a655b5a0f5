// Test PKI built with the openssl command line at test time, plus an `openssl verify` oracle.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type KeyAlg = 'ed25519' | 'p256' | 'p384' | 'rsa' | 'rsa-pss' | 'p521' | 'ed448' | 'secp256k1' | 'brainpool256' | 'dsa' | 'rsa-sha224';

export interface Issued {
  name: string;
  subject: string;
  key: string;
  cert: string;
  alg: KeyAlg;
  pem: string;
  serial: string;
}

export interface IssueOptions {
  alg?: KeyAlg;
  /** Extension lines for the v3 section (basicConstraints etc.); SKI/AKI are added unless noKeyIds. */
  ext?: string[];
  days?: number;
  serial?: string;
  noKeyIds?: boolean;
  /** Reuse this key file instead of generating one. */
  key?: string;
}

export interface CrlEntry {
  serial: string;
  reason?: string;
  /** Revocation time as YYMMDDHHMMSSZ. */
  date?: string;
}

export interface CrlOptions {
  entries?: CrlEntry[];
  hours?: number;
  crlNumber?: number;
  deltaBase?: number;
  /** Sign with this (cert, key) pair instead of the issuer's, keeping the issuer's name only if it matches. */
  signer?: Issued;
  aki?: boolean;
  /** Adds freshestCRL to a complete CRL (OpenSSL only consults deltas a certificate or base CRL points to). */
  freshest?: boolean;
  /** lastUpdate as YYYYMMDDHHMMSSZ (default: now). */
  lastUpdate?: string;
  /** No CRLNumber extension (RFC 5280 §5.2.3 requires one of the CRL's issuer, not of a verifier). */
  noCrlNumber?: boolean;
  /** More crl_extensions lines, in openssl's config syntax. */
  exts?: string[];
}

/** A Unix time as the YYYYMMDDHHMMSSZ form openssl takes for dates. */
export function asn1Time(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
}

function openssl(args: string[], cwd: string): string {
  return execFileSync('openssl', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

const KEYGEN: Record<KeyAlg, string[]> = {
  ed25519: ['-algorithm', 'ed25519'],
  p256: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  p384: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'],
  rsa: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
  'rsa-pss': ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
  p521: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-521'],
  ed448: ['-algorithm', 'ed448'],
  secp256k1: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:secp256k1'],
  brainpool256: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:brainpoolP256r1'],
  dsa: [], // from generated parameters, see key()
  'rsa-sha224': ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
};

export class Pki {
  readonly dir: string;
  private n = 0;

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'ruqsat-pki-'));
  }

  path(file: string): string {
    return join(this.dir, file);
  }

  key(alg: KeyAlg): string {
    const file = `k${++this.n}.pem`;
    if (alg === 'dsa' && !existsSync(this.path('dsa-params.pem'))) openssl(['genpkey', '-genparam', '-algorithm', 'DSA', '-pkeyopt', 'dsa_paramgen_bits:2048', '-out', 'dsa-params.pem'], this.dir);
    openssl(['genpkey', ...(alg === 'dsa' ? ['-paramfile', 'dsa-params.pem'] : KEYGEN[alg]), '-out', file], this.dir);
    return this.path(file);
  }

  private sigopts(alg: KeyAlg): string[] {
    if (alg === 'rsa-pss') return ['-sha256', '-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:32', '-sigopt', 'rsa_mgf1_md:sha256'];
    if (alg === 'ed25519' || alg === 'ed448') return [];
    if (alg === 'rsa-sha224') return ['-sha224'];
    return alg === 'p384' ? ['-sha384'] : alg === 'p521' ? ['-sha512'] : ['-sha256'];
  }

  /** Issues a certificate; issuer undefined means self-signed. */
  issue(name: string, subject: string, issuer: Issued | undefined, opt: IssueOptions = {}): Issued {
    const alg = opt.alg ?? issuer?.alg ?? 'ed25519';
    const key = opt.key ?? this.key(alg);
    const id = `${name}-${++this.n}`;
    const ext = [...(opt.ext ?? [])];
    if (!opt.noKeyIds) ext.push('subjectKeyIdentifier=hash', ...(issuer ? ['authorityKeyIdentifier=keyid'] : []));
    writeFileSync(this.path(`${id}.ext`), `[v3]\n${ext.join('\n')}\n`);
    openssl(['req', '-new', '-utf8', '-key', key, '-subj', subject, '-out', `${id}.csr`], this.dir);
    const serial = opt.serial ?? (0x1000 + this.n).toString(16).toUpperCase();
    const signAlg = issuer?.alg ?? alg;
    const signing = issuer ? ['-CA', issuer.cert, '-CAkey', issuer.key] : ['-key', key];
    openssl(['x509', '-req', '-in', `${id}.csr`, ...signing, '-set_serial', `0x${serial}`, '-days', String(opt.days ?? 3650),
      ...this.sigopts(signAlg), '-extfile', `${id}.ext`, '-extensions', 'v3', '-out', `${id}.pem`], this.dir);
    const cert = this.path(`${id}.pem`);
    return { name, subject, key, cert, alg, pem: readFileSync(cert, 'utf8'), serial: serial.length % 2 ? '0' + serial : serial };
  }

  /** A CRL from issuer via `openssl ca -gencrl` (entries written straight into its index file). */
  crl(name: string, issuer: Issued, opt: CrlOptions = {}): string {
    const db = this.path(`${name}.db`);
    mkdirSync(db, { recursive: true });
    const lines = (opt.entries ?? []).map((e) => `R\t491231000000Z\t${e.date ?? '250101000000Z'}${e.reason ? ',' + e.reason : ''}\t${e.serial}\tunknown\t/CN=x`);
    writeFileSync(join(db, 'index.txt'), lines.length ? lines.join('\n') + '\n' : '');
    writeFileSync(join(db, 'crlnumber'), (opt.crlNumber ?? 1).toString(16).padStart(2, '0').toUpperCase() + '\n');
    const exts = [opt.aki === false ? '' : 'authorityKeyIdentifier=keyid'];
    if (opt.freshest) exts.push('freshestCRL=URI:http://crl.ruqsat.kz/delta.crl');
    if (opt.deltaBase !== undefined) exts.push(`2.5.29.27=critical,DER:02:01:${opt.deltaBase.toString(16).padStart(2, '0')}`);
    exts.push(...(opt.exts ?? []));
    const cnf = [`[ca]`, `default_ca=d`, `[d]`, `database=${db}/index.txt`, ...(opt.noCrlNumber ? [] : [`crlnumber=${db}/crlnumber`]), `default_md=default`,
      `crl_extensions=crlext`, `[crlext]`, ...exts.filter(Boolean), ''].join('\n');
    writeFileSync(join(db, 'ca.cnf'), cnf);
    const signer = opt.signer ?? issuer;
    const out = this.path(`${name}.crl.pem`);
    const md = signer.alg === 'ed25519' ? [] : ['-md', 'sha256'];
    openssl(['ca', '-config', join(db, 'ca.cnf'), '-gencrl', '-keyfile', signer.key, '-cert', signer.cert, ...md,
      ...(opt.lastUpdate ? ['-crl_lastupdate', opt.lastUpdate] : []),
      '-crlhours', String(opt.hours ?? 24 * 7), '-out', out, '-batch'], this.dir);
    return out;
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface OpensslVerifyOptions {
  ca: string[];
  untrusted?: string[];
  crls?: string[];
  crlCheck?: 'leaf' | 'all';
  deltas?: boolean;
  at?: number;
  purpose?: string;
  policies?: string[];
  host?: string;
  /** -x509_strict. */
  strict?: boolean;
}

function bundle(pki: Pki, files: string[], name: string): string {
  const out = pki.path(`${name}-${Math.random().toString(36).slice(2)}.pem`);
  writeFileSync(out, files.map((f) => readFileSync(f, 'utf8')).join(''));
  return out;
}

/** `openssl verify` on one leaf: ok when it prints OK and exits 0, with its output for diagnostics. */
export function opensslVerify(pki: Pki, leaf: string, o: OpensslVerifyOptions): { ok: boolean; output: string } {
  // -policy_check: the core always processes policies (RFC 5280 §6.1), OpenSSL only when asked.
  const args = ['verify', '-policy_check', '-CAfile', bundle(pki, o.ca, 'ca')];
  if (o.untrusted?.length) args.push('-untrusted', bundle(pki, o.untrusted, 'unt'));
  if (o.crls?.length) args.push('-CRLfile', bundle(pki, o.crls, 'crl'));
  if (o.crlCheck === 'leaf') args.push('-crl_check');
  if (o.crlCheck === 'all') args.push('-crl_check_all');
  if (o.deltas) args.push('-use_deltas');
  if (o.at !== undefined) args.push('-attime', String(Math.floor(o.at)));
  if (o.purpose) args.push('-purpose', o.purpose);
  for (const p of o.policies ?? []) args.push('-policy', p);
  if (o.policies?.length) args.push('-explicit_policy');
  if (o.host) args.push(/^[\d.]+$|:/.test(o.host) ? '-verify_ip' : '-verify_hostname', o.host);
  if (o.strict) args.push('-x509_strict');
  args.push(leaf);
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  return { ok: r.status === 0 && r.stdout.includes(': OK'), output: `openssl ${args.join(' ')}\n${r.stdout}${r.stderr}` };
}
