// КТКТ — the list of revoked registration certificates: RFC 5280 v2 CRLs, full and delta, signed by the issuing CA.
import { CRLReason, Extension, Extensions, Name, RevokedCertificate, TBSCertList, Time, Version } from '@peculiar/asn1-x509';
import { der, parseExact, positiveIntegerBytes, signedSequence, unsignedIntegerDer, wholeSeconds } from './der.ts';
import { authorityKeyIdentifier, extension, freshestCrl, OID } from './extensions.ts';
import { ed25519Algorithm, type Signer } from './keys.ts';

/** кері қайтарып алудың себебі — RFC 5280 §5.3.1 CRLReason codes (7 is unassigned). */
export const REVOCATION_REASONS = {
  unspecified: 0, keyCompromise: 1, cACompromise: 2, affiliationChanged: 3, superseded: 4,
  cessationOfOperation: 5, certificateHold: 6, removeFromCRL: 8, privilegeWithdrawn: 9, aACompromise: 10,
} as const;

export interface RevokedEntry { serialNumber: bigint; revocationDate: Date; reason?: number }

export interface CrlTemplate {
  issuer: Uint8Array;
  authorityKeyIdentifier: Uint8Array;
  thisUpdate: Date;
  nextUpdate: Date;
  crlNumber: bigint;
  deltaCrlIndicator?: bigint;
  /** Complete CRLs only: URLs of the delta CRLs (Freshest CRL); OpenSSL consults deltas only when this is present. */
  freshestCrl?: string[];
  entries: RevokedEntry[];
}

export class CrlError extends Error {}

function entry(e: RevokedEntry, delta: boolean): RevokedCertificate {
  const reason = e.reason;
  if (reason !== undefined && (!Number.isInteger(reason) || reason < 0 || reason > 10 || reason === 7))
    throw new CrlError(`revocation reason ${reason} is not an RFC 5280 CRLReason`);
  // removeFromCRL only makes sense in a delta CRL (RFC 5280 §5.3.1).
  if (reason === REVOCATION_REASONS.removeFromCRL && !delta) throw new CrlError('removeFromCRL is only allowed in a delta CRL');
  // RFC 5280 §5.3.1: the reason code "unspecified" SHOULD be absent rather than 0.
  const exts = reason ? [extension(OID.crlReason, false, der(new CRLReason(reason)))] : undefined;
  return new RevokedCertificate({
    userCertificate: positiveIntegerBytes(e.serialNumber),
    revocationDate: new Time(wholeSeconds(e.revocationDate)),
    crlEntryExtensions: exts,
  });
}

/** The to-be-signed part of the CRL, DER. */
export function encodeTbsCertList(t: CrlTemplate): Uint8Array {
  const thisUpdate = wholeSeconds(t.thisUpdate);
  const nextUpdate = wholeSeconds(t.nextUpdate);
  if (nextUpdate <= thisUpdate) throw new CrlError('nextUpdate must be after thisUpdate');
  const delta = t.deltaCrlIndicator !== undefined;
  if (delta && t.deltaCrlIndicator! >= t.crlNumber) throw new CrlError('a delta CRL must number after its base CRL');
  // RFC 5280 §5.2.6: Freshest CRL MUST NOT appear in a delta CRL.
  if (delta && t.freshestCrl?.length) throw new CrlError('a delta CRL cannot carry Freshest CRL');
  const seen = new Set<bigint>();
  for (const e of t.entries) {
    if (seen.has(e.serialNumber)) throw new CrlError(`serial ${e.serialNumber.toString(16)} is listed twice`);
    seen.add(e.serialNumber);
  }
  const crlExtensions: Extension[] = [
    authorityKeyIdentifier(t.authorityKeyIdentifier),
    extension(OID.crlNumber, false, unsignedIntegerDer(t.crlNumber)),
    ...(delta ? [extension(OID.deltaCrlIndicator, true, unsignedIntegerDer(t.deltaCrlIndicator!))] : []),
    ...(t.freshestCrl?.length ? [freshestCrl(t.freshestCrl)] : []),
  ];
  const tbs = new TBSCertList({
    version: Version.v2,
    signature: ed25519Algorithm(),
    issuer: parseExact(t.issuer, Name, 'issuer'),
    thisUpdate: new Time(thisUpdate),
    nextUpdate: new Time(nextUpdate),
    // RFC 5280 §5.1.2.6: with no revoked certificates the list MUST be absent, not empty.
    revokedCertificates: t.entries.length ? t.entries.map((e) => entry(e, delta)) : undefined,
    crlExtensions: new Extensions(crlExtensions),
  });
  return der(tbs);
}

/** A v2 CRL, DER, signed with id-Ed25519; a delta CRL when deltaCrlIndicator is set. */
export function buildCrl(t: CrlTemplate, signer: Signer): Uint8Array {
  const tbsDer = encodeTbsCertList(t);
  return signedSequence(tbsDer, der(ed25519Algorithm()), signer.sign(tbsDer));
}

