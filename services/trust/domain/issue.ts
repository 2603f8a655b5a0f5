// What a certifying centre signs for a subject's key: a profile's template with our serial, dates and URLs.
import { randomBytes } from 'node:crypto';
import type { CertificateTemplate } from './pki/certificate.ts';
import { templateFromProfile } from './pki/issue.ts';
import type { Profile } from './pki/profiles.ts';

export interface Issuer {
  id: string;
  certificateDer: Uint8Array;
}

export interface Endpoints {
  /** Base URL of the trust service's HTTP endpoint: /crl/<ca>.crl and /ocsp. */
  publicUrl: string;
}

/** 127 random bits, positive and non-zero, as RFC 5280 §4.1.2.2 asks of serial numbers. */
export function newSerial(): bigint {
  const bytes = randomBytes(16);
  bytes[0]! &= 0x7f;
  bytes[0]! |= 0x40;
  return BigInt('0x' + bytes.toString('hex'));
}

/** Where relying parties find an authority's CRLs: the full one, and the delta the full one points to. */
export const crlUrl = (endpoints: Endpoints, authorityId: string, delta = false) => `${endpoints.publicUrl}/crl/${authorityId}${delta ? '-delta' : ''}.crl`;

export function templateFor(
  profile: Profile,
  subjectDer: Uint8Array,
  spki: Uint8Array,
  issuer: Issuer | undefined,
  now: Date,
  endpoints: Endpoints,
  san?: { dns?: string[]; ip?: string[] },
): CertificateTemplate {
  return templateFromProfile(profile, {
    serialNumber: newSerial(),
    issuerCertificate: issuer?.certificateDer,
    subject: subjectDer,
    subjectPublicKeyInfo: spki,
    // A minute back, so a relying party with a slightly slow clock accepts a fresh certificate.
    notBefore: new Date(Math.floor(now.getTime() / 1000) * 1000 - 60_000),
    subjectAltNames: san,
    // A root names no CRL of its own: nothing above it could revoke it.
    crlDistributionPoints: issuer ? [crlUrl(endpoints, issuer.id)] : undefined,
    ocspUrl: issuer ? `${endpoints.publicUrl}/ocsp` : undefined,
  });
}
