// X.509 v3 certificates (RFC 5280 §4): the core tokenizes the DER, this file maps it to fields.
import { Der, TAG, parseDer, derError } from './der.ts';
import { core, copyIn, mem } from './wasm.ts';
import { Name, readName, GeneralName } from './name.ts';
import { OID, SIGNATURE_NAMES, decodeOid } from './oid.ts';
import { CoreError, malformed } from './codes.ts';
import { singleDer } from './pem.ts';
import * as ext from './extensions.ts';

export interface AlgorithmId {
  oid: string;
  name: string;
  /** DER of the parameters, absent when omitted. */
  params?: Uint8Array;
}

export interface Certificate {
  der: Uint8Array;
  tbs: Uint8Array;
  version: number;
  serial: Uint8Array;
  serialHex: string;
  signatureAlgorithm: AlgorithmId;
  issuer: Name;
  subject: Name;
  notBefore: number;
  notAfter: number;
  spki: Uint8Array;
  publicKeyAlgorithm: AlgorithmId;
  signature: Uint8Array;
  extensions: ext.Extension[];
  basicConstraints?: ext.BasicConstraints;
  keyUsage?: number;
  extKeyUsage?: string[];
  subjectKeyId?: Uint8Array;
  authorityKeyId?: ext.AuthorityKeyId;
  subjectAltNames?: GeneralName[];
  nameConstraints?: ext.NameConstraints;
  policies?: ext.PolicyInfo[];
  policyMappings?: [string, string][];
  policyConstraints?: ext.PolicyConstraints;
  inhibitAnyPolicy?: number;
  crlDistributionPoints?: ext.DistributionPoint[];
  /** OIDs of critical extensions this core does not process. */
  unhandledCritical: string[];
  selfIssued: boolean;
}

export function readAlgorithm(d: Der, i: number): AlgorithmId {
  d.expect(i, TAG.SEQUENCE, 'AlgorithmIdentifier');
  const f = d.children(i);
  if (f.length < 1 || f.length > 2) malformed('AlgorithmIdentifier arity');
  const oid = decodeOid(d.content(d.expect(f[0], TAG.OID, 'algorithm')));
  const alg: AlgorithmId = { oid, name: SIGNATURE_NAMES[oid] ?? oid };
  if (f[1] !== undefined) alg.params = d.raw(f[1]);
  return alg;
}

function applyExtension(cert: Certificate, e: ext.Extension): void {
  switch (e.oid) {
    case OID.basicConstraints: cert.basicConstraints = ext.basicConstraints(e.value); break;
    case OID.keyUsage: cert.keyUsage = ext.keyUsage(e.value); break;
    case OID.extKeyUsage: cert.extKeyUsage = ext.oidList(e.value, 'ExtKeyUsage'); break;
    case OID.subjectKeyId: cert.subjectKeyId = ext.octets(e.value, 'SubjectKeyIdentifier'); break;
    case OID.authorityKeyId: cert.authorityKeyId = ext.authorityKeyId(e.value); break;
    case OID.subjectAltName: cert.subjectAltNames = ext.generalNamesExt(e.value, 'SubjectAltName'); break;
    case OID.issuerAltName: ext.generalNamesExt(e.value, 'IssuerAltName'); break;
    case OID.nameConstraints: cert.nameConstraints = ext.nameConstraints(e.value); break;
    case OID.certificatePolicies: cert.policies = ext.certificatePolicies(e.value); break;
    case OID.policyMappings: cert.policyMappings = ext.policyMappings(e.value); break;
    case OID.policyConstraints: cert.policyConstraints = ext.policyConstraints(e.value); break;
    case OID.inhibitAnyPolicy: cert.inhibitAnyPolicy = ext.skipCerts(e.value, 'InhibitAnyPolicy'); break;
    case OID.crlDistributionPoints: cert.crlDistributionPoints = ext.crlDistributionPoints(e.value); break;
    // Not used for validation, but a value that is not the DER it claims to be makes the certificate malformed.
    case OID.authorityInfoAccess: ext.accessDescriptions(e.value, 'AuthorityInfoAccess'); break;
    default:
      if (e.critical && !ext.HANDLED_CERT_EXTENSIONS.has(e.oid)) cert.unhandledCritical.push(e.oid);
  }
}

const EXT_CAP = 64;
const RECORD = 96 + EXT_CAP * 20;

/** Runs the core's certificate parser: DER strictness plus the RFC 5280 §4.1 structure, as a record. */
function skeleton(der: Uint8Array): { u: Uint32Array; f: Float64Array } {
  const nodeCap = (der.length >>> 1) + 1;
  const inPtr = copyIn(der);
  const out = core.alloc(RECORD);
  const nodes = core.alloc(nodeCap * 20);
  try {
    const rc = core.parseCertificate(inPtr, der.length, out, EXT_CAP, nodes, nodeCap);
    if (rc !== 0) malformed(`certificate: ${derError(rc)}`);
    const u = new Uint32Array(RECORD / 4);
    u.set(new Uint32Array(mem().buffer, out, RECORD / 4));
    return { u, f: new Float64Array(u.buffer, 72, 2) };
  } finally {
    core.free(nodes);
    core.free(out);
    core.free(inPtr);
  }
}

export function decodeCertificate(der: Uint8Array): Certificate {
  const { u, f } = skeleton(der);
  const at = (word: number) => der.subarray(u[word], u[word] + u[word + 1]);
  const version = u[0];
  const extensions: ext.Extension[] = [];
  for (let k = 0; k < u[22]; k++) {
    const w = 24 + k * 5;
    extensions.push({ oid: decodeOid(at(w)), critical: u[w + 2] === 1, value: der.subarray(u[w + 3], u[w + 3] + u[w + 4]) });
  }
  const issuer = readName(parseDer(at(7)), 0);
  const subject = readName(parseDer(at(9)), 0);
  const serial = at(3);
  const cert: Certificate = {
    der, tbs: at(1), version, serial, serialHex: Buffer.from(serial).toString('hex'),
    signatureAlgorithm: readAlgorithm(parseDer(at(5)), 0), issuer, subject,
    notBefore: f[0], notAfter: f[1], spki: at(11), publicKeyAlgorithm: readAlgorithm(parseDer(at(13)), 0),
    signature: at(15), extensions, unhandledCritical: [], selfIssued: issuer.key === subject.key,
  };
  for (const e of extensions) applyExtension(cert, e);
  return cert;
}

/** Parses one certificate from DER or PEM; throws CoreError('MALFORMED') on any encoding error. */
export function parseCertificate(derOrPem: Uint8Array | string): Certificate {
  let der: Uint8Array;
  try {
    der = singleDer(derOrPem, ['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE'], 'certificate');
  } catch (err) {
    throw new CoreError('MALFORMED', (err as Error).message);
  }
  return decodeCertificate(der);
}
