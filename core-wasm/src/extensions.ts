// RFC 5280 §4.2 certificate extensions decoded from their OCTET STRING values.
import { Der, TAG, parseDer, readBoolean, readBits, readSmallInt } from './der.ts';
import { GeneralName, readGeneralName, readGeneralNames } from './name.ts';
import { OID, decodeOid } from './oid.ts';
import { malformed } from './codes.ts';

export interface Extension {
  oid: string;
  critical: boolean;
  value: Uint8Array;
}

export interface BasicConstraints {
  ca: boolean;
  pathLen?: number;
}

export interface AuthorityKeyId {
  keyId?: Uint8Array;
  issuer?: GeneralName[];
  serial?: Uint8Array;
}

export interface GeneralSubtree {
  base: GeneralName;
}

export interface NameConstraints {
  permitted: GeneralName[];
  excluded: GeneralName[];
}

export interface DistributionPoint {
  fullName?: GeneralName[];
  reasons?: number;
  crlIssuer?: GeneralName[];
}

/** Key usage bits in RFC 5280 order: bit 0 digitalSignature ... bit 8 decipherOnly. */
export const KU = {
  digitalSignature: 1 << 0, nonRepudiation: 1 << 1, keyEncipherment: 1 << 2, dataEncipherment: 1 << 3,
  keyAgreement: 1 << 4, keyCertSign: 1 << 5, cRLSign: 1 << 6, encipherOnly: 1 << 7, decipherOnly: 1 << 8,
} as const;

/** Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension; duplicates are malformed (§4.2). */
export function readExtensions(d: Der, i: number): Extension[] {
  d.expect(i, TAG.SEQUENCE, 'Extensions');
  const out: Extension[] = [];
  const seen = new Set<string>();
  const kids = d.children(i);
  if (kids.length === 0) malformed('Extensions: empty');
  for (const e of kids) {
    d.expect(e, TAG.SEQUENCE, 'Extension');
    const f = d.children(e);
    const oid = decodeOid(d.content(d.expect(f[0], TAG.OID, 'extnID')));
    let critical = false;
    let k = 1;
    if (f.length === 3) {
      d.expect(f[1], TAG.BOOLEAN, 'critical');
      critical = readBoolean(d, f[1]);
      if (!critical) malformed('Extension: DER forbids explicit critical FALSE');
      k = 2;
    } else if (f.length !== 2) malformed('Extension arity');
    const value = d.content(d.expect(f[k], TAG.OCTET_STRING, 'extnValue'));
    if (seen.has(oid)) malformed(`duplicate extension ${oid}`);
    seen.add(oid);
    out.push({ oid, critical, value });
  }
  return out;
}

export function basicConstraints(v: Uint8Array): BasicConstraints {
  const d = parseDer(v);
  d.expect(0, TAG.SEQUENCE, 'BasicConstraints');
  const f = d.children(0);
  let ca = false;
  let k = 0;
  if (f[k] !== undefined && d.tag(f[k]) === TAG.BOOLEAN) {
    ca = readBoolean(d, f[k]);
    if (!ca) malformed('BasicConstraints: DER forbids explicit cA FALSE');
    k++;
  }
  let pathLen: number | undefined;
  if (f[k] !== undefined) pathLen = readSmallInt(d, d.expect(f[k++], TAG.INTEGER, 'pathLenConstraint'), 'pathLen');
  if (k !== f.length) malformed('BasicConstraints: trailing fields');
  return { ca, pathLen };
}

export function keyUsage(v: Uint8Array): number {
  const d = parseDer(v);
  const { bytes } = readBits(d, d.expect(0, TAG.BIT_STRING, 'KeyUsage'));
  let bits = 0;
  for (let i = 0; i < 9; i++) if (bytes[i >> 3] & (0x80 >> (i & 7))) bits |= 1 << i;
  return bits;
}

export function oidList(v: Uint8Array, what: string): string[] {
  const d = parseDer(v);
  d.expect(0, TAG.SEQUENCE, what);
  const kids = d.children(0);
  if (kids.length === 0) malformed(`${what}: empty`);
  return kids.map((k) => decodeOid(d.content(d.expect(k, TAG.OID, what))));
}

export function octets(v: Uint8Array, what: string): Uint8Array {
  const d = parseDer(v);
  return d.content(d.expect(0, TAG.OCTET_STRING, what));
}

export function authorityKeyId(v: Uint8Array): AuthorityKeyId {
  const d = parseDer(v);
  d.expect(0, TAG.SEQUENCE, 'AuthorityKeyIdentifier');
  const out: AuthorityKeyId = {};
  for (const k of d.children(0)) {
    const t = d.tag(k);
    if (t === 0x80) out.keyId = d.content(k);
    else if (t === 0xa1) out.issuer = d.children(k).map((g) => readGeneralName(d, g));
    else if (t === 0x82) out.serial = d.content(k);
    else malformed('AuthorityKeyIdentifier: unknown field');
  }
  return out;
}

export function nameConstraints(v: Uint8Array): NameConstraints {
  const d = parseDer(v);
  d.expect(0, TAG.SEQUENCE, 'NameConstraints');
  const out: NameConstraints = { permitted: [], excluded: [] };
  const kids = d.children(0);
  if (kids.length === 0) malformed('NameConstraints: empty');
  for (const k of kids) {
    const list = d.tag(k) === 0xa0 ? out.permitted : d.tag(k) === 0xa1 ? out.excluded : malformed('NameConstraints field');
    for (const s of d.children(k)) {
      d.expect(s, TAG.SEQUENCE, 'GeneralSubtree');
      const f = d.children(s);
      // RFC 5280: minimum MUST be zero (absent) and maximum MUST be absent.
      if (f.length !== 1) malformed('GeneralSubtree: minimum/maximum not allowed');
      const base = readGeneralName(d, f[0]);
      // §4.2.1.10: an iPAddress subtree is an address and a mask, 8 octets for IPv4 and 32 for IPv6.
      if (base.type === 'ip' && base.bytes.length !== 8 && base.bytes.length !== 32) malformed('NameConstraints: iPAddress is not address and mask');
      // A dNSName subtree is a domain (host.example.com), never a wildcard pattern that would silently match nothing.
      if (base.type === 'dns' && base.value.includes('*')) malformed('NameConstraints: wildcard in a dNSName subtree');
      list.push(base);
    }
  }
  return out;
}

export interface PolicyInfo {
  oid: string;
  qualifiers?: Uint8Array;
}

export function certificatePolicies(v: Uint8Array): PolicyInfo[] {
  const d = parseDer(v);
  d.expect(0, TAG.SEQUENCE, 'CertificatePolicies');
  const kids = d.children(0);
  if (kids.length === 0) malformed('CertificatePolicies: empty');
  const seen = new Set<string>();
  return kids.map((p) => {
    d.expect(p, TAG.SEQUENCE, 'PolicyInformation');
    const f = d.children(p);
    const oid = decodeOid(d.content(d.expect(f[0], TAG.OID, 'policyIdentifier')));
    if (seen.has(oid)) malformed('CertificatePolicies: duplicate policy');
    seen.add(oid);
    if (f.length > 2) malformed('PolicyInformation arity');
    return f[1] === undefined ? { oid } : { oid, qualifiers: d.raw(d.expect(f[1], TAG.SEQUENCE, 'policyQualifiers')) };
  });
}

export function readDpName(d: Der, i: number): GeneralName[] | undefined {
  const kids = d.children(i);
  if (kids.length !== 1) malformed('DistributionPointName');
  // fullName [0] GeneralNames; nameRelativeToCRLIssuer [1] is reported as absent.
  return d.tag(kids[0]) === 0xa0 ? d.children(kids[0]).map((g) => readGeneralName(d, g)) : undefined;
}

export function crlDistributionPoints(v: Uint8Array): DistributionPoint[] {
  const d = parseDer(v);
  d.expect(0, TAG.SEQUENCE, 'CRLDistributionPoints');
  return d.children(0).map((p) => {
    d.expect(p, TAG.SEQUENCE, 'DistributionPoint');
    const dp: DistributionPoint = {};
    for (const f of d.children(p)) {
      const t = d.tag(f);
      if (t === 0xa0) dp.fullName = readDpName(d, f);
      else if (t === 0x81) dp.reasons = d.content(f)[1] ?? 0;
      else if (t === 0xa2) dp.crlIssuer = d.children(f).map((g) => readGeneralName(d, g));
      else malformed('DistributionPoint field');
    }
    return dp;
  });
}

/** AuthorityInfoAccessSyntax ::= SEQUENCE SIZE (1..MAX) OF AccessDescription (§4.2.2.1; SIA §4.2.2.2 alike). */
export function accessDescriptions(v: Uint8Array, what: string): { method: string; location: GeneralName }[] {
  const d = parseDer(v);
  d.expect(0, TAG.SEQUENCE, what);
  const kids = d.children(0);
  if (kids.length === 0) malformed(`${what}: empty`);
  return kids.map((a) => {
    d.expect(a, TAG.SEQUENCE, 'AccessDescription');
    const f = d.children(a);
    if (f.length !== 2) malformed('AccessDescription arity');
    return { method: decodeOid(d.content(d.expect(f[0], TAG.OID, 'accessMethod'))), location: readGeneralName(d, f[1]) };
  });
}

export function generalNamesExt(v: Uint8Array, what: string): GeneralName[] {
  const names = readGeneralNames(parseDer(v), 0, what);
  // §4.2.1.6: an iPAddress name is 4 octets (IPv4) or 16 (IPv6).
  if (names.some((n) => n.type === 'ip' && n.bytes.length !== 4 && n.bytes.length !== 16)) malformed(`${what}: iPAddress neither 4 nor 16 octets`);
  return names;
}

export interface PolicyConstraints {
  requireExplicitPolicy?: number;
  inhibitPolicyMapping?: number;
}

function implicitInt(c: Uint8Array, what: string): number {
  if (c.length === 0 || c.length > 4 || c[0] & 0x80 || (c.length > 1 && c[0] === 0 && !(c[1] & 0x80))) malformed(`${what}: bad SkipCerts`);
  return c.reduce((v, b) => v * 256 + b, 0);
}

export function policyConstraints(v: Uint8Array): PolicyConstraints {
  const d = parseDer(v);
  d.expect(0, TAG.SEQUENCE, 'PolicyConstraints');
  const out: PolicyConstraints = {};
  const kids = d.children(0);
  if (kids.length === 0) malformed('PolicyConstraints: empty');
  for (const k of kids) {
    if (d.tag(k) === 0x80 && out.requireExplicitPolicy === undefined) out.requireExplicitPolicy = implicitInt(d.content(k), 'requireExplicitPolicy');
    else if (d.tag(k) === 0x81 && out.inhibitPolicyMapping === undefined) out.inhibitPolicyMapping = implicitInt(d.content(k), 'inhibitPolicyMapping');
    else malformed('PolicyConstraints field');
  }
  return out;
}

export function policyMappings(v: Uint8Array): [string, string][] {
  const d = parseDer(v);
  d.expect(0, TAG.SEQUENCE, 'PolicyMappings');
  const kids = d.children(0);
  if (kids.length === 0) malformed('PolicyMappings: empty');
  return kids.map((m) => {
    d.expect(m, TAG.SEQUENCE, 'PolicyMapping');
    const f = d.children(m);
    if (f.length !== 2) malformed('PolicyMapping arity');
    return [decodeOid(d.content(d.expect(f[0], TAG.OID, 'issuerDomainPolicy'))), decodeOid(d.content(d.expect(f[1], TAG.OID, 'subjectDomainPolicy')))];
  });
}

export function skipCerts(v: Uint8Array, what: string): number {
  const d = parseDer(v);
  return readSmallInt(d, d.expect(0, TAG.INTEGER, what), what);
}

/** Extensions this core understands; any other critical one makes a certificate invalid. */
export const HANDLED_CERT_EXTENSIONS = new Set<string>([
  OID.basicConstraints, OID.keyUsage, OID.extKeyUsage, OID.subjectKeyId, OID.authorityKeyId, OID.subjectAltName,
  OID.issuerAltName, OID.nameConstraints, OID.certificatePolicies, OID.crlDistributionPoints, OID.freshestCrl,
  OID.authorityInfoAccess, OID.policyMappings, OID.policyConstraints, OID.inhibitAnyPolicy,
]);
