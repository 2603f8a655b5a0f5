// The validation API: trust anchors + CRL index + verification cache; builds a path from the leaf through
// the supplied intermediates (by name, then SKI/AKI) and validates each candidate until one passes.
import { parseCertificate, decodeCertificate, type Certificate } from './x509.ts';
import { parseCrl, type Crl } from './crl.ts';
import { derObjects } from './pem.ts';
import { RevocationIndex } from './revocation.ts';
import { VerificationCache } from './cache.ts';
import { nodeBackend, verifySigned, type SignatureBackend, type SignatureResult } from './signature.ts';
import { validatePath, type PathOptions } from './path.ts';
import { akiMatches } from './profile.ts';
import { fail, type VerifyResult } from './result.ts';
import { CoreError } from './codes.ts';

export interface VerifyOptions {
  intermediates?: readonly Certificate[];
  /** Unix seconds or a Date; defaults to now. */
  time?: number | Date;
  /** Required extended key usage OID (leaf, and any CA that restricts EKU). */
  purpose?: string;
  /** Acceptable certificate policy OIDs; any one must hold for the whole path. */
  policies?: readonly string[];
  /** DNS name or IP literal the leaf must carry in subjectAltName. */
  host?: string;
  crlCheck?: 'none' | 'leaf' | 'all';
  crlGraceSeconds?: number;
  /** OpenSSL's -x509_strict profile rules too (a CA without keyUsage or without a critical basicConstraints, …). */
  strict?: boolean;
  /** Most certificates below the anchor, leaf included; self-issued intermediates (key rollover) are not counted. */
  maxDepth?: number;
}

export interface TrustStoreOptions {
  anchors?: readonly Certificate[];
  backend?: SignatureBackend;
  /** false disables the verification cache (every signature is checked every time). */
  cache?: boolean;
}

export class TrustStore {
  readonly crls = new RevocationIndex();
  readonly cache: VerificationCache | null;
  backend: SignatureBackend;
  private anchors = new Map<string, Certificate[]>();
  private anchorDer = new Set<string>();

  constructor(opts: TrustStoreOptions = {}) {
    this.backend = opts.backend ?? nodeBackend;
    this.cache = opts.cache === false ? null : new VerificationCache();
    for (const a of opts.anchors ?? []) this.addAnchor(a);
  }

  addAnchor(cert: Certificate | Uint8Array | string): void {
    const c = cert instanceof Uint8Array || typeof cert === 'string' ? parseCertificate(cert) : cert;
    const der = Buffer.from(c.der).toString('base64');
    if (this.anchorDer.has(der)) return;
    this.anchorDer.add(der);
    const list = this.anchors.get(c.subject.key) ?? [];
    list.push(c);
    this.anchors.set(c.subject.key, list);
    this.cache?.clear();
  }

  clearAnchors(): void {
    this.anchors.clear();
    this.anchorDer.clear();
    this.cache?.clear();
  }

  addCrl(crl: Crl | Uint8Array | string): void {
    this.crls.add(crl instanceof Uint8Array || typeof crl === 'string' ? parseCrl(crl) : crl);
    this.cache?.clear();
  }

  // Keyed by the whole signed object (TBS + signature), so a forged signature never hits a cached OK.
  private sig(obj: { der: Uint8Array }, issuer: Certificate): SignatureResult {
    const check = () => verifySigned(obj.der, issuer.spki, this.backend);
    return this.cache ? this.cache.verify(obj.der, issuer.spki, check) : check();
  }

  verify(leaf: Certificate, opts: VerifyOptions = {}): VerifyResult {
    const time = opts.time instanceof Date ? opts.time.getTime() / 1000 : opts.time ?? Date.now() / 1000;
    const crlCheck = opts.crlCheck ?? 'none';
    const pathOpts: PathOptions = {
      time, purpose: opts.purpose, policies: opts.policies, host: opts.host, crlCheck, strict: opts.strict,
      verifySignature: (c, issuer) => this.sig(c, issuer),
      crl: {
        index: this.crls, time, graceSeconds: opts.crlGraceSeconds ?? 0,
        verifySignature: (crl, issuer) => this.sig(crl, issuer),
      },
    };
    const inter = new Map<string, Certificate[]>();
    for (const c of opts.intermediates ?? []) inter.set(c.subject.key, [...(inter.get(c.subject.key) ?? []), c]);
    const maxDepth = opts.maxDepth ?? 10;
    let firstFailure: VerifyResult | undefined;
    // Bounds the work hostile bundles (many same-name cross-certificates) can cause: paths tried, not depth.
    let budget = 64;

    const search = (path: Certificate[]): VerifyResult | undefined => {
      if (--budget < 0) return undefined;
      const cur = path[path.length - 1];
      const byKeyId = (list: Certificate[] | undefined) =>
        (list ?? []).filter((c) => akiMatches(cur, c)).sort((a, b) => Number(!!b.subjectKeyId) - Number(!!a.subjectKeyId));
      for (const anchor of byKeyId(this.anchors.get(cur.issuer.key))) {
        if (anchor.der === cur.der || Buffer.compare(anchor.der, cur.der) === 0) continue;
        const r = validatePath(path, anchor, pathOpts);
        if (r.ok) return r;
        firstFailure ??= r;
      }
      // Like pathLenConstraint (§4.2.1.9), depth counts distinct CAs: a self-issued rollover certificate adds none.
      if (path.filter((c, i) => i === 0 || !c.selfIssued).length >= maxDepth) return undefined;
      for (const next of byKeyId(inter.get(cur.issuer.key))) {
        if (path.some((p) => Buffer.compare(p.der, next.der) === 0)) continue;
        const r = search([...path, next]);
        if (r) return r;
      }
      return undefined;
    };

    // A leaf that is itself a trust anchor is valid on its own (time, purpose and host still apply).
    if (this.anchorDer.has(Buffer.from(leaf.der).toString('base64'))) return validatePath([], leaf, pathOpts);
    const found = search([leaf]);
    if (found) return found;
    if (firstFailure) return firstFailure;
    return fail('UNKNOWN_ISSUER', `${leaf.subject.text}: no path to a trust anchor (issuer ${leaf.issuer.text})`, [leaf], 0);
  }

  /** Verifies a leaf given as DER/PEM; malformed input becomes a MALFORMED result, never an exception. */
  verifyBytes(leaf: Uint8Array | string, opts: Omit<VerifyOptions, 'intermediates'> & { intermediates?: readonly (Certificate | Uint8Array | string)[] } = {}): VerifyResult {
    try {
      const cert = parseCertificate(leaf);
      const intermediates = (opts.intermediates ?? []).flatMap((x) =>
        x instanceof Uint8Array || typeof x === 'string' ? derObjects(x, ['CERTIFICATE']).map(decodeCertificate) : [x],
      );
      return this.verify(cert, { ...opts, intermediates });
    } catch (err) {
      // Whatever the bytes, the caller gets a code: a decoder slip on hostile input is still MALFORMED.
      return err instanceof CoreError ? fail(err.code, err.message, []) : fail('MALFORMED', `undecodable: ${(err as Error).message}`, []);
    }
  }
}
