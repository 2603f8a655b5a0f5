// Revocation status of one certificate (RFC 5280 §6.3) from the index: CRL issuer match, CRL signature by a
// cRLSign key, freshness, complete + delta CRL, reason code.
import { KU } from './extensions.ts';
import { REVOCATION_REASONS, type Crl } from './crl.ts';
import type { RevocationIndex, IndexedCrl, Revocation } from './revocation.ts';
import type { Certificate } from './x509.ts';
import { sameGeneralName, type GeneralName } from './name.ts';
import type { ReasonCode } from './codes.ts';

const REMOVE_FROM_CRL = 8;

export interface CrlContext {
  index: RevocationIndex;
  time: number;
  graceSeconds: number;
  /** Verifies crl against the issuer's key (cached by the caller). */
  verifySignature(crl: Crl, issuer: Certificate): 'OK' | 'BAD_SIGNATURE' | 'UNSUPPORTED_ALGORITHM';
}

export type CrlOutcome =
  | { code: 'OK' }
  | { code: Exclude<ReasonCode, 'OK' | 'REVOKED'>; message: string }
  | { code: 'REVOKED'; message: string; revocation: Revocation & { reasonName: string } };

/** §6.3.3 (b)(2)(i): a CRL for a named distribution point covers only certificates that name it in their CRLDP. */
function distributionPointCovers(named: GeneralName[] | null | undefined, cert: Certificate): boolean {
  if (named === undefined) return true;
  if (named === null) return false; // a name relative to the CRL issuer: not supported, never trusted
  return (cert.crlDistributionPoints ?? []).some((dp) => dp.fullName?.some((n) => named.some((m) => sameGeneralName(n, m))));
}

function covers(crl: Crl, cert: Certificate): boolean {
  const idp = crl.issuingDistributionPoint;
  if (!idp) return true;
  if (idp.indirect || idp.onlySomeReasons || idp.onlyAttributeCerts) return false; // not supported: never trust it
  const isCa = cert.basicConstraints?.ca === true;
  return !(idp.onlyUserCerts && isCa) && !(idp.onlyCaCerts && !isCa) && distributionPointCovers(idp.distributionPoint, cert);
}

function usable(entry: IndexedCrl, issuer: Certificate, ctx: CrlContext, what: string): CrlOutcome {
  const crl = entry.crl;
  if (crl.unhandledCritical.length) return { code: 'UNHANDLED_CRITICAL_EXTENSION', message: `${what} has unhandled critical extension ${crl.unhandledCritical[0]}` };
  if (issuer.keyUsage !== undefined && !(issuer.keyUsage & KU.cRLSign)) return { code: 'KEY_USAGE', message: `${what} issuer key lacks cRLSign` };
  const sig = ctx.verifySignature(crl, issuer);
  if (sig === 'UNSUPPORTED_ALGORITHM') return { code: 'UNSUPPORTED_ALGORITHM', message: `${what} signature algorithm ${crl.signatureAlgorithm.name}` };
  if (sig !== 'OK') return { code: 'CRL_BAD_SIGNATURE', message: `${what} signature does not verify with the issuer key` };
  if (ctx.time + ctx.graceSeconds < crl.thisUpdate) return { code: 'CRL_NOT_YET_VALID', message: `${what} thisUpdate is in the future` };
  if (crl.nextUpdate !== undefined && ctx.time >= crl.nextUpdate + ctx.graceSeconds) return { code: 'CRL_EXPIRED', message: `${what} nextUpdate has passed` };
  return { code: 'OK' };
}

function revoked(hit: Revocation): CrlOutcome {
  const reasonName = hit.reason === undefined ? 'unspecified' : REVOCATION_REASONS[hit.reason] ?? `reason ${hit.reason}`;
  return { code: 'REVOKED', message: `revoked (${reasonName}) at ${new Date(hit.revocationDate * 1000).toISOString()}`, revocation: { ...hit, reasonName } };
}

export function checkRevocation(cert: Certificate, issuer: Certificate, ctx: CrlContext): CrlOutcome {
  const scopes = ctx.index.scopesFor(cert.issuer.key, issuer.subjectKeyId).filter((s) => s.full && covers(s.full.crl, cert));
  if (scopes.length === 0) return { code: 'CRL_MISSING', message: `no CRL from ${cert.issuer.text}` };
  let firstFailure: CrlOutcome | undefined;
  for (const scope of scopes) {
    const full = scope.full!;
    const status = usable(full, issuer, ctx, 'CRL');
    if (status.code !== 'OK') {
      firstFailure ??= status;
      continue;
    }
    // §5.2.4: a delta applies when its base number ≤ the complete CRL's number < its own number.
    const delta = scope.delta;
    const base = full.crl.crlNumber;
    if (delta && base !== undefined && delta.crl.deltaBase! <= base && delta.crl.crlNumber !== undefined && delta.crl.crlNumber > base) {
      const dstatus = usable(delta, issuer, ctx, 'delta CRL');
      if (dstatus.code !== 'OK') return dstatus;
      const hit = delta.table.get(cert.serial);
      if (hit) return hit.reason === REMOVE_FROM_CRL ? { code: 'OK' } : revoked(hit);
    }
    const hit = full.table.get(cert.serial);
    return hit && hit.reason !== REMOVE_FROM_CRL ? revoked(hit) : { code: 'OK' };
  }
  return firstFailure!;
}
