// Certification path validation (RFC 5280 §6.1) for one candidate path: leaf ... last intermediate, anchor.
import { KU } from './extensions.ts';
import { OID } from './oid.ts';
import { checkNameConstraints } from './constraints.ts';
import { matchesHost } from './hostname.ts';
import { processPolicies } from './policy.ts';
import { checkRevocation, type CrlContext } from './crlcheck.ts';
import { akiMatches, keyUsageViolation, profileViolation } from './profile.ts';
import { fail, ok, type VerifyResult } from './result.ts';
import type { Certificate } from './x509.ts';
import type { SignatureResult } from './signature.ts';

export interface PathOptions {
  time: number;
  purpose?: string;
  policies?: readonly string[];
  host?: string;
  crlCheck: 'none' | 'leaf' | 'all';
  /** OpenSSL's -x509_strict profile rules on top of the ones plain `openssl verify` applies too (profile.ts). */
  strict?: boolean;
  crl?: CrlContext;
  /** Checks cert's signature with issuer's key (the caller caches). */
  verifySignature(cert: Certificate, issuer: Certificate): SignatureResult;
}

function isCa(c: Certificate): boolean {
  // A v1 self-issued certificate may act as a CA (old roots); everything else needs cA TRUE.
  return c.basicConstraints?.ca === true || (c.version === 1 && c.selfIssued);
}

function timeCheck(c: Certificate, t: number, chain: Certificate[], depth: number): VerifyResult | null {
  if (t < c.notBefore) return fail('NOT_YET_VALID', `${c.subject.text}: not valid before ${new Date(c.notBefore * 1000).toISOString()}`, chain, depth);
  if (t > c.notAfter) return fail('EXPIRED', `${c.subject.text}: expired ${new Date(c.notAfter * 1000).toISOString()}`, chain, depth);
  return null;
}

// TLS server and client, as OpenSSL's sslserver and sslclient purposes check them: anyExtendedKeyUsage does not
// stand in for the purpose (RFC 5280 §4.2.1.12 lets an application require it named), and the leaf's keyUsage and
// Netscape certificate type (a BIT STRING: client 0x80, server 0x40), when present, must allow it.
const TLS_PURPOSES: Record<string, { ku: number; nsBit: number }> = {
  '1.3.6.1.5.5.7.3.1': { ku: KU.digitalSignature | KU.keyEncipherment | KU.keyAgreement, nsBit: 0x40 },
  '1.3.6.1.5.5.7.3.2': { ku: KU.digitalSignature | KU.keyAgreement, nsBit: 0x80 },
};
const NS_CERT_TYPE = '2.16.840.1.113730.1.1';

function ekuAllows(c: Certificate, purpose: string): boolean {
  if (!c.extKeyUsage || c.extKeyUsage.includes(purpose)) return true;
  return !TLS_PURPOSES[purpose] && c.extKeyUsage.includes(OID.anyExtendedKeyUsage);
}

/** The leaf rules of a TLS purpose: why the leaf's keyUsage or Netscape type refuses it, or undefined. */
function tlsLeafRefusal(leaf: Certificate, purpose: string): { code: 'KEY_USAGE' | 'EXTENDED_KEY_USAGE'; what: string } | undefined {
  const tls = TLS_PURPOSES[purpose];
  if (!tls) return undefined;
  const ns = leaf.extensions.find((x) => x.oid === NS_CERT_TYPE)?.value;
  // BIT STRING: tag, short length, unused-bits count, then the bits (absent when no bit is set).
  if (ns && !(ns[0] === 0x03 && ns.length >= 4 && (ns[3]! & tls.nsBit) !== 0)) return { code: 'EXTENDED_KEY_USAGE', what: 'Netscape certificate type' };
  if (leaf.keyUsage !== undefined && !(leaf.keyUsage & tls.ku)) return { code: 'KEY_USAGE', what: 'key usage' };
  return undefined;
}

export function validatePath(certs: Certificate[], anchor: Certificate, opt: PathOptions): VerifyResult {
  const chain = [...certs, anchor];
  const n = certs.length;
  const anchorTime = timeCheck(anchor, opt.time, chain, n);
  if (anchorTime) return anchorTime;
  if (n > 0 && !isCa(anchor)) return fail('NOT_A_CA', `${anchor.subject.text}: trust anchor is not a CA`, chain, n);
  if (n > 0 && anchor.keyUsage !== undefined && !(anchor.keyUsage & KU.keyCertSign)) return fail('KEY_USAGE', `${anchor.subject.text}: no keyCertSign`, chain, n);
  // OpenSSL refuses an anchor with an unknown critical extension too; so do we.
  if (anchor.unhandledCritical.length) return fail('UNHANDLED_CRITICAL_EXTENSION', `${anchor.subject.text}: unhandled critical extension ${anchor.unhandledCritical[0]}`, chain, n);
  // Like OpenSSL's strict mode, the anchor's own certificate is held to the profile too.
  const anchorWhy = profileViolation(anchor, n > 0, opt.strict);
  if (anchorWhy) return fail('MALFORMED', `${anchor.subject.text}: ${anchorWhy}`, chain, n);
  // A self-issued anchor names itself as issuer, so its AKI must name its own key (OpenSSL: not self-signed).
  if (anchor.selfIssued && !akiMatches(anchor, anchor)) return fail('MALFORMED', `${anchor.subject.text}: authorityKeyIdentifier does not name its own key`, chain, n);
  for (let i = n - 1; i >= 0; i--) {
    const c = certs[i];
    const issuer = chain[i + 1];
    const sig = opt.verifySignature(c, issuer);
    if (sig === 'UNSUPPORTED_ALGORITHM') return fail(sig, `${c.subject.text}: unsupported signature algorithm ${c.signatureAlgorithm.name}`, chain, i);
    if (sig !== 'OK') return fail('BAD_SIGNATURE', `${c.subject.text}: signature does not verify with ${issuer.subject.text}`, chain, i);
    const t = timeCheck(c, opt.time, chain, i);
    if (t) return t;
    if (c.unhandledCritical.length) return fail('UNHANDLED_CRITICAL_EXTENSION', `${c.subject.text}: unhandled critical extension ${c.unhandledCritical[0]}`, chain, i);
    if (i > 0) {
      if (!isCa(c)) return fail('NOT_A_CA', `${c.subject.text}: issues certificates but is not a CA`, chain, i);
      if (c.keyUsage !== undefined && !(c.keyUsage & KU.keyCertSign)) return fail('KEY_USAGE', `${c.subject.text}: CA key lacks keyCertSign`, chain, i);
    }
    const why = profileViolation(c, i > 0, opt.strict);
    if (why) return fail('MALFORMED', `${c.subject.text || c.serialHex}: ${why}`, chain, i);
    const ku = keyUsageViolation(c, opt.strict);
    if (ku) return fail('KEY_USAGE', `${c.subject.text || c.serialHex}: ${ku}`, chain, i);
    // Name constraints of every CA above apply, except to self-issued intermediates (§6.1.3 b).
    for (let j = i + 1; j <= n && (i === 0 || !c.selfIssued); j++) {
      const nc = chain[j].nameConstraints;
      if (!nc) continue;
      const why = checkNameConstraints(c, nc, i === 0);
      if (why) return fail('NAME_CONSTRAINTS', `${c.subject.text}: ${why} of ${chain[j].subject.text}`, chain, i);
    }
    if (opt.crlCheck === 'all' || (opt.crlCheck === 'leaf' && i === 0)) {
      const r = checkRevocation(c, issuer, opt.crl!);
      if (r.code === 'REVOKED') {
        const res = fail('REVOKED', `${c.subject.text}: ${r.message}`, chain, i);
        res.revocation = { reason: r.revocation.reasonName, reasonCode: r.revocation.reason, date: r.revocation.revocationDate };
        return res;
      }
      if (r.code !== 'OK') return fail(r.code, `${c.subject.text}: ${r.message}`, chain, i);
    }
  }
  // Path length: non-self-issued intermediates below each CA must not exceed its pathLenConstraint.
  let below = 0;
  for (let j = 1; j <= n; j++) {
    const pl = chain[j].basicConstraints?.pathLen;
    if (pl !== undefined && below > pl) return fail('PATH_LENGTH_EXCEEDED', `${chain[j].subject.text}: pathLenConstraint ${pl} exceeded`, chain, j);
    if (j < n && !chain[j].selfIssued) below++;
  }
  if (opt.purpose) {
    // Every certificate, the anchor too, as OpenSSL checks it; the leaf rules fall on an anchor verified on its own.
    for (let i = 0; i <= n; i++) {
      if (!ekuAllows(chain[i], opt.purpose)) return fail('EXTENDED_KEY_USAGE', `${chain[i].subject.text}: extended key usage does not allow ${opt.purpose}`, chain, i);
    }
    const refusal = tlsLeafRefusal(chain[0], opt.purpose);
    if (refusal) return fail(refusal.code, `${chain[0].subject.text}: ${refusal.what} does not allow ${opt.purpose}`, chain, 0);
  }
  // Always run: requireExplicitPolicy in the path can demand a policy even when the caller asks for none.
  const why = processPolicies([...certs].reverse(), { required: opt.policies ?? [], explicit: (opt.policies?.length ?? 0) > 0 });
  if (why) return fail('POLICY', why, chain);
  if (opt.host !== undefined && !matchesHost(chain[0], opt.host)) return fail('HOSTNAME_MISMATCH', `${chain[0].subject.text}: does not match ${opt.host}`, chain, 0);
  return ok(chain);
}
