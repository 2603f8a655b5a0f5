// Whether an accredited centre's own CRL (КТКТ) may replace the one trust holds: RFC 5280 §5 and §6.3 checks, no I/O.
import { KU, type Certificate, type Crl } from '../../../core-wasm/src/index.ts';

/** A refusal: `invalid` is bad input (INVALID_ARGUMENT); otherwise the state does not allow it (FAILED_PRECONDITION). */
export interface CrlRefusal {
  invalid: boolean;
  reason: string;
  message: string;
}

/** The newest CRL held of the same kind (full or delta), and the newest full one (a delta's base). */
export interface HeldCrls {
  sameKind?: { crlNumber: bigint; sha256: string };
  newestFull?: bigint;
}

export interface AcceptedCrl {
  delta: boolean;
  crlNumber: bigint;
  baseCrlNumber?: bigint;
  thisUpdate: Date;
  nextUpdate: Date;
}

// Clocks differ: a CRL issued a few minutes "in the future" by the centre's clock is still accepted.
export const CLOCK_SKEW_MS = 5 * 60_000;

const invalid = (reason: string, message: string): CrlRefusal => ({ invalid: true, reason, message });
const refused = (reason: string, message: string): CrlRefusal => ({ invalid: false, reason, message });
const hex = (b: Uint8Array | undefined) => (b ? Buffer.from(b).toString('hex') : '');

/**
 * Checks a parsed CRL against the centre's CA certificate and what is held. `signature` is the core's
 * verification of the CRL under the centre's key; `sha256` of the DER tells a re-sent copy from a rival.
 */
export function checkAccreditedCrl(crl: Crl, ca: Certificate, signature: 'OK' | 'BAD_SIGNATURE' | 'UNSUPPORTED_ALGORITHM', sha256: string, held: HeldCrls, now: Date): AcceptedCrl | CrlRefusal | 'unchanged' {
  if (ca.keyUsage !== undefined && !(ca.keyUsage & KU.cRLSign)) return refused('CA_NOT_CRL_SIGNER', "the centre's CA certificate does not allow cRLSign");
  if (crl.issuer.key !== ca.subject.key) return invalid('CRL_ISSUER_MISMATCH', `the CRL issuer "${crl.issuer.text}" is not the centre's CA subject "${ca.subject.text}"`);
  const aki = crl.authorityKeyId?.keyId;
  if (aki && ca.subjectKeyId && hex(aki) !== hex(ca.subjectKeyId)) return invalid('CRL_ISSUER_MISMATCH', "the CRL's authority key identifier is not the centre's CA key");
  if (signature === 'UNSUPPORTED_ALGORITHM') return invalid('UNSUPPORTED_ALGORITHM', `CRL signature algorithm ${crl.signatureAlgorithm.name} is not supported`);
  if (signature !== 'OK') return invalid('CRL_BAD_SIGNATURE', "the CRL signature does not verify with the centre's registered CA key");
  if (crl.unhandledCritical.length > 0) return invalid('UNHANDLED_CRITICAL_EXTENSION', `the CRL has unhandled critical extension ${crl.unhandledCritical[0]}`);
  const idp = crl.issuingDistributionPoint;
  // The core never trusts these scopes (crlcheck.ts): holding such a CRL would reject every certificate under it.
  if (idp && (idp.indirect || idp.onlySomeReasons || idp.onlyAttributeCerts)) return invalid('UNSUPPORTED_CRL_SCOPE', 'indirect, reason-partitioned and attribute-certificate CRLs are not supported');
  if (crl.version !== 2 || crl.crlNumber === undefined) return invalid('CRL_NUMBER_MISSING', 'a v2 CRL with the CRL number extension is required (RFC 5280 §5.2.3)');
  if (crl.nextUpdate === undefined) return invalid('CRL_NEXT_UPDATE_MISSING', 'the CRL must carry nextUpdate (RFC 5280 §5.1.2.5)');
  const thisUpdate = new Date(crl.thisUpdate * 1000);
  const nextUpdate = new Date(crl.nextUpdate * 1000);
  if (nextUpdate <= thisUpdate) return invalid('CRL_TIMES_INVALID', 'nextUpdate is not after thisUpdate');
  if (thisUpdate.getTime() > now.getTime() + CLOCK_SKEW_MS) return invalid('CRL_NOT_YET_VALID', `thisUpdate ${thisUpdate.toISOString()} is in the future`);
  if (nextUpdate <= now) return invalid('CRL_EXPIRED', `nextUpdate ${nextUpdate.toISOString()} has passed`);
  const delta = crl.deltaBase !== undefined;
  const same = held.sameKind;
  if (same && crl.crlNumber === same.crlNumber && sha256 === same.sha256) return 'unchanged';
  if (same && crl.crlNumber <= same.crlNumber) {
    return refused('CRL_NOT_NEWER', `CRL number ${crl.crlNumber} is not after the ${delta ? 'delta' : 'full'} CRL held, number ${same.crlNumber}`);
  }
  // §5.2.4: a delta is usable only on a complete CRL numbered at or after its base.
  if (delta && (held.newestFull === undefined || held.newestFull < crl.deltaBase!)) {
    return refused('BASE_CRL_MISSING', `no full CRL numbered ${crl.deltaBase} or later is held for this delta CRL; publish the full CRL first`);
  }
  return { delta, crlNumber: crl.crlNumber, baseCrlNumber: crl.deltaBase, thisUpdate, nextUpdate };
}
