// From a profile and a request to a certificate template: the one place profile data becomes extensions and validity.
import { SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { certificateParts, type CertificateTemplate } from './certificate.ts';
import { parseExact } from './der.ts';
import type { KeyUsage } from './extensions.ts';
import { ID_ED25519, keyIdentifier } from './keys.ts';
import { decodeName } from './names.ts';
import { subjectViolations, type Profile } from './profiles.ts';

export class ProfileError extends Error {
  constructor(readonly violations: string[]) {
    super(violations.join('; '));
    this.name = 'ProfileError';
  }
}

const DAY_MS = 86_400_000;
const EC_PUBLIC_KEY = '1.2.840.10045.2.1';
// RFC 8410 §5: an Ed25519 key may only sign; RFC 5480 §3: an EC key never enciphers.
const SIGNING_ONLY = new Set<KeyUsage>(['digitalSignature', 'nonRepudiation', 'keyCertSign', 'cRLSign']);

/** The profile's key usages that the subject's key algorithm can honour (keyEncipherment only for RSA keys). */
export function keyUsagesForKey(usages: KeyUsage[], spkiDer: Uint8Array): KeyUsage[] {
  const alg = parseExact(spkiDer, SubjectPublicKeyInfo, 'subjectPublicKeyInfo').algorithm.algorithm;
  if (alg === ID_ED25519) return usages.filter((u) => SIGNING_ONLY.has(u));
  if (alg === EC_PUBLIC_KEY) return usages.filter((u) => u !== 'keyEncipherment' && u !== 'dataEncipherment');
  return usages; // RSA and anything else: as the profile says
}

export interface IssueRequest {
  serialNumber: bigint;
  /** The issuing CA's certificate; omit for a self-signed root. */
  issuerCertificate?: Uint8Array;
  subject: Uint8Array;
  subjectPublicKeyInfo: Uint8Array;
  notBefore: Date;
  subjectAltNames?: { dns?: string[]; ip?: string[]; email?: string[] };
  crlDistributionPoints?: string[];
  ocspUrl?: string;
  caIssuersUrl?: string;
}

/** Checks the subject against the profile and fills extensions (key usages fitted to the key), validity (notBefore + validityDays) and the AKI from the issuer. */
export function templateFromProfile(profile: Profile, r: IssueRequest): CertificateTemplate {
  const violations = subjectViolations(profile, decodeName(r.subject));
  const hasSan = !!(r.subjectAltNames?.dns?.length || r.subjectAltNames?.ip?.length || r.subjectAltNames?.email?.length);
  if (hasSan && !profile.sanAllowed) violations.push(`profile ${profile.id} does not allow subjectAltNames`);
  if (violations.length) throw new ProfileError(violations);
  const issuer = r.issuerCertificate ? certificateParts(r.issuerCertificate) : undefined;
  return {
    serialNumber: r.serialNumber,
    issuer: issuer ? issuer.subject : r.subject,
    subject: r.subject,
    notBefore: r.notBefore,
    notAfter: new Date(r.notBefore.getTime() + profile.validityDays * DAY_MS),
    subjectPublicKeyInfo: r.subjectPublicKeyInfo,
    authorityKeyIdentifier: issuer && keyIdentifier(issuer.subjectPublicKeyInfo),
    basicConstraints: profile.basicConstraints,
    keyUsage: keyUsagesForKey(profile.keyUsage, r.subjectPublicKeyInfo),
    extendedKeyUsage: profile.extendedKeyUsage,
    certificatePolicies: profile.policies,
    subjectAltNames: hasSan ? r.subjectAltNames : undefined,
    crlDistributionPoints: r.crlDistributionPoints,
    ocspUrl: r.ocspUrl,
    caIssuersUrl: r.caIssuersUrl,
  };
}
