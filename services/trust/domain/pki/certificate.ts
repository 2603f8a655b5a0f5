// Registration certificates (тіркеу куәлігі): an X.509 v3 certificate built from a template and signed by a CA's Ed25519 key.
import { Extension, Extensions, Name, SubjectPublicKeyInfo, TBSCertificate, Validity, Version } from '@peculiar/asn1-x509';
import { children, der, DerError, integerFromBytes, parseExact, positiveIntegerBytes, signedSequence, single, slice, wholeSeconds } from './der.ts';
import {
  authorityInfoAccess, authorityKeyIdentifier, basicConstraints, certificatePolicies, checkOid, crlDistributionPoints,
  extendedKeyUsage, extension, ExtensionError, keyUsage, OID, subjectAltName, subjectKeyIdentifier, type KeyUsage,
} from './extensions.ts';
import { ed25519Algorithm, keyIdentifier, type Signer } from './keys.ts';

export type { KeyUsage } from './extensions.ts';

export interface CertificateTemplate {
  serialNumber: bigint;
  issuer: Uint8Array;
  subject: Uint8Array;
  notBefore: Date;
  notAfter: Date;
  subjectPublicKeyInfo: Uint8Array;
  authorityKeyIdentifier?: Uint8Array;
  basicConstraints?: { ca: boolean; pathLength?: number };
  keyUsage?: KeyUsage[];
  extendedKeyUsage?: string[];
  certificatePolicies?: string[];
  subjectAltNames?: { dns?: string[]; ip?: string[]; email?: string[] };
  crlDistributionPoints?: string[];
  ocspUrl?: string;
  caIssuersUrl?: string;
  extraExtensions?: { oid: string; critical: boolean; value: Uint8Array }[];
}

export class CertificateError extends Error {}

const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

function extensionsOf(t: CertificateTemplate): Extension[] {
  const selfSigned = sameBytes(t.issuer, t.subject);
  const emptySubject = t.subject.length === 2; // 30 00: the DER of an empty Name
  // RFC 5280 §4.2.1.1: AKI MUST be present except in self-signed roots.
  if (!t.authorityKeyIdentifier && !selfSigned) throw new CertificateError('authorityKeyIdentifier is required unless the certificate is self-signed');
  const exts: (Extension | undefined)[] = [
    t.basicConstraints && basicConstraints(t.basicConstraints),
    t.keyUsage && keyUsage(t.keyUsage),
    t.extendedKeyUsage?.length ? extendedKeyUsage(t.extendedKeyUsage) : undefined,
    subjectKeyIdentifier(keyIdentifier(t.subjectPublicKeyInfo)),
    t.authorityKeyIdentifier && authorityKeyIdentifier(t.authorityKeyIdentifier),
    // RFC 5280 §4.2.1.6: with an empty subject the SAN carries the identity and MUST be critical.
    t.subjectAltNames && subjectAltName(t.subjectAltNames, emptySubject),
    t.certificatePolicies?.length ? certificatePolicies(t.certificatePolicies) : undefined,
    t.crlDistributionPoints?.length ? crlDistributionPoints(t.crlDistributionPoints) : undefined,
    authorityInfoAccess(t.ocspUrl, t.caIssuersUrl),
    ...(t.extraExtensions ?? []).map((x) => extension(checkOid(x.oid, 'extraExtensions'), x.critical, x.value)),
  ];
  const present = exts.filter((x): x is Extension => x !== undefined);
  const ids = present.map((x) => x.extnID);
  // RFC 5280 §4.2: a certificate MUST NOT include more than one instance of a particular extension.
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup) throw new ExtensionError(`extension ${dup} appears twice`);
  // RFC 5280 §4.2.1.9: keyCertSign only with cA TRUE.
  if (t.keyUsage?.includes('keyCertSign') && !t.basicConstraints?.ca) throw new CertificateError('keyCertSign needs basicConstraints ca: true');
  return present;
}

/** The to-be-signed part, DER; exported so a caller can inspect or countersign exactly what is signed. */
export function encodeTbsCertificate(t: CertificateTemplate): Uint8Array {
  const notBefore = wholeSeconds(t.notBefore);
  const notAfter = wholeSeconds(t.notAfter);
  if (notAfter <= notBefore) throw new CertificateError('notAfter must be after notBefore');
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: positiveIntegerBytes(t.serialNumber),
    signature: ed25519Algorithm(),
    issuer: parseExact(t.issuer, Name, 'issuer'),
    // Time picks UTCTime through 2049 and GeneralizedTime from 2050 (RFC 5280 §4.1.2.5).
    validity: new Validity({ notBefore, notAfter }),
    subject: parseExact(t.subject, Name, 'subject'),
    subjectPublicKeyInfo: parseExact(t.subjectPublicKeyInfo, SubjectPublicKeyInfo, 'subjectPublicKeyInfo'),
    extensions: new Extensions(extensionsOf(t)),
  });
  if (tbs.subject.length === 0 && !tbs.extensions?.some((x) => x.extnID === OID.subjectAltName)) throw new CertificateError('an empty subject needs subjectAltNames (RFC 5280 §4.1.2.6)');
  return der(tbs);
}

/** DER certificate signed with id-Ed25519; the SKI is always derived from the SPKI. */
export function buildCertificate(t: CertificateTemplate, signer: Signer): Uint8Array {
  const tbsDer = encodeTbsCertificate(t);
  return signedSequence(tbsDer, der(ed25519Algorithm()), signer.sign(tbsDer));
}

export interface CertificateParts { serialNumber: bigint; issuer: Uint8Array; subject: Uint8Array; subjectPublicKeyInfo: Uint8Array; tbs: Uint8Array }

/** Raw slices of any certificate (ours or another CA's), exactly as encoded: what CertID hashes and AKIs are computed over. */
export function certificateParts(certDer: Uint8Array): CertificateParts {
  try {
    const [tbs] = children(certDer, single(certDer));
    const f = children(certDer, tbs);
    const i = f[0].tag === 0xa0 ? 1 : 0; // version is [0] EXPLICIT, absent for v1
    if (f[i].tag !== 0x02 || f.length < i + 6) throw new DerError('not a TBSCertificate');
    return {
      serialNumber: integerFromBytes(certDer.subarray(f[i].contentStart, f[i].end)),
      issuer: slice(certDer, f[i + 2]),
      subject: slice(certDer, f[i + 4]),
      subjectPublicKeyInfo: slice(certDer, f[i + 5]),
      tbs: slice(certDer, tbs),
    };
  } catch (e) {
    throw new CertificateError(`not a DER certificate: ${(e as Error).message}`);
  }
}
