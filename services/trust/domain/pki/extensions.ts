// The X.509 v3 extensions a registration certificate (тіркеу куәлігі) or CRL carries, each DER-encoded with its RFC 5280 criticality.
import { isIP } from 'node:net';
import { OctetString } from '@peculiar/asn1-schema';
import {
  AccessDescription, AuthorityInfoAccessSyntax, AuthorityKeyIdentifier, BasicConstraints, CertificatePolicies,
  CRLDistributionPoints, DistributionPoint, DistributionPointName, ExtendedKeyUsage, Extension, GeneralName,
  KeyIdentifier, PolicyInformation, SubjectAlternativeName, SubjectKeyIdentifier,
} from '@peculiar/asn1-x509';
import { der, toArrayBuffer } from './der.ts';

export const OID = {
  subjectKeyIdentifier: '2.5.29.14', keyUsage: '2.5.29.15', subjectAltName: '2.5.29.17', basicConstraints: '2.5.29.19',
  crlNumber: '2.5.29.20', crlReason: '2.5.29.21', deltaCrlIndicator: '2.5.29.27', crlDistributionPoints: '2.5.29.31',
  certificatePolicies: '2.5.29.32', authorityKeyIdentifier: '2.5.29.35', extendedKeyUsage: '2.5.29.37',
  freshestCrl: '2.5.29.46',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1', adOcsp: '1.3.6.1.5.5.7.48.1', adCaIssuers: '1.3.6.1.5.5.7.48.2',
} as const;

/** Extended key usage purposes (RFC 5280 §4.2.1.12). */
export const EKU = {
  serverAuth: '1.3.6.1.5.5.7.3.1', clientAuth: '1.3.6.1.5.5.7.3.2', codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4', timeStamping: '1.3.6.1.5.5.7.3.8', ocspSigning: '1.3.6.1.5.5.7.3.9',
} as const;

export type KeyUsage = 'digitalSignature' | 'nonRepudiation' | 'keyEncipherment' | 'dataEncipherment' | 'keyAgreement' | 'keyCertSign' | 'cRLSign';
const KEY_USAGE_BITS: Record<KeyUsage, number> = {
  digitalSignature: 0, nonRepudiation: 1, keyEncipherment: 2, dataEncipherment: 3, keyAgreement: 4, keyCertSign: 5, cRLSign: 6,
};

export class ExtensionError extends Error {}

const OID_RE = /^[0-2](\.(0|[1-9][0-9]*))+$/;
export function checkOid(oid: string, what: string): string {
  if (!OID_RE.test(oid)) throw new ExtensionError(`${what}: "${oid}" is not a dotted OID`);
  return oid;
}

export const extension = (oid: string, critical: boolean, value: Uint8Array) =>
  new Extension({ extnID: oid, critical, extnValue: new OctetString(toArrayBuffer(value)) });

export function basicConstraints(bc: { ca: boolean; pathLength?: number }): Extension {
  if (bc.pathLength !== undefined && (!bc.ca || !Number.isInteger(bc.pathLength) || bc.pathLength < 0))
    throw new ExtensionError('pathLength needs ca: true and a non-negative integer');
  return extension(OID.basicConstraints, true, der(new BasicConstraints({ cA: bc.ca, pathLenConstraint: bc.pathLength })));
}

/** DER BIT STRING with trailing zero bits dropped (X.690 §11.2.2 for named bit lists). */
export function keyUsage(usages: KeyUsage[]): Extension {
  if (usages.length === 0) throw new ExtensionError('keyUsage needs at least one bit');
  let highest = 0;
  const octets = [0];
  for (const u of usages) {
    const bit = KEY_USAGE_BITS[u];
    if (bit === undefined) throw new ExtensionError(`unknown key usage "${u}"`);
    octets[0] |= 0x80 >> bit;
    highest = Math.max(highest, bit);
  }
  return extension(OID.keyUsage, true, new Uint8Array([0x03, 0x02, 7 - highest, octets[0]]));
}

export const extendedKeyUsage = (oids: string[]) =>
  extension(OID.extendedKeyUsage, false, der(new ExtendedKeyUsage(oids.map((o) => checkOid(o, 'extendedKeyUsage')))));

export const subjectKeyIdentifier = (id: Uint8Array) =>
  extension(OID.subjectKeyIdentifier, false, der(new SubjectKeyIdentifier(toArrayBuffer(id))));

export const authorityKeyIdentifier = (id: Uint8Array) =>
  extension(OID.authorityKeyIdentifier, false, der(new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(toArrayBuffer(id)) })));

export const certificatePolicies = (oids: string[]) =>
  extension(OID.certificatePolicies, false, der(new CertificatePolicies(oids.map((o) => new PolicyInformation({ policyIdentifier: checkOid(o, 'certificatePolicies') })))));

const DNS_NAME = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

export function subjectAltName(san: { dns?: string[]; ip?: string[]; email?: string[] }, critical = false): Extension | undefined {
  const names = [
    ...(san.dns ?? []).map((d) => {
      if (!DNS_NAME.test(d) || d.length > 253) throw new ExtensionError(`"${d}" is not a DNS name`);
      return new GeneralName({ dNSName: d });
    }),
    ...(san.ip ?? []).map((ip) => {
      if (!isIP(ip)) throw new ExtensionError(`"${ip}" is not an IP address`);
      return new GeneralName({ iPAddress: ip });
    }),
    ...(san.email ?? []).map((e) => {
      if (!/^[\x21-\x7e]+@[\x21-\x7e]+$/.test(e)) throw new ExtensionError(`"${e}" is not an ASCII mailbox`);
      return new GeneralName({ rfc822Name: e });
    }),
  ];
  return names.length ? extension(OID.subjectAltName, critical, der(new SubjectAlternativeName(names))) : undefined;
}

function uri(u: string): GeneralName {
  if (!/^[a-z][a-z0-9+.-]*:[\x21-\x7e]+$/i.test(u)) throw new ExtensionError(`"${u}" is not an ASCII URI`);
  return new GeneralName({ uniformResourceIdentifier: u });
}

export const crlDistributionPoints = (urls: string[]) =>
  extension(OID.crlDistributionPoints, false, der(new CRLDistributionPoints(urls.map((u) =>
    new DistributionPoint({ distributionPoint: new DistributionPointName({ fullName: [uri(u)] }) })))));

/** Freshest CRL (RFC 5280 §5.2.6): where the delta CRLs for a complete CRL are published. */
export const freshestCrl = (urls: string[]) =>
  extension(OID.freshestCrl, false, der(new CRLDistributionPoints(urls.map((u) =>
    new DistributionPoint({ distributionPoint: new DistributionPointName({ fullName: [uri(u)] }) })))));

export function authorityInfoAccess(ocspUrl?: string, caIssuersUrl?: string): Extension | undefined {
  const ads = [
    ...(ocspUrl ? [new AccessDescription({ accessMethod: OID.adOcsp, accessLocation: uri(ocspUrl) })] : []),
    ...(caIssuersUrl ? [new AccessDescription({ accessMethod: OID.adCaIssuers, accessLocation: uri(caIssuersUrl) })] : []),
  ];
  return ads.length ? extension(OID.authorityInfoAccess, false, der(new AuthorityInfoAccessSyntax(ads))) : undefined;
}
