// X.509 v2 CRLs (RFC 5280 §5). Revoked entries are parsed by the core without expanding them in JS.
import { TAG, parseDer, readBigInt, derError } from './der.ts';
import { Name, readName, type GeneralName } from './name.ts';
import { OID, decodeOid } from './oid.ts';
import { CoreError, malformed } from './codes.ts';
import { singleDer } from './pem.ts';
import { AlgorithmId, readAlgorithm } from './x509.ts';
import { core, copyIn, mem } from './wasm.ts';
import * as ext from './extensions.ts';

export const REVOCATION_REASONS = [
  'unspecified', 'keyCompromise', 'cACompromise', 'affiliationChanged', 'superseded', 'cessationOfOperation',
  'certificateHold', '', 'removeFromCRL', 'privilegeWithdrawn', 'aACompromise',
];

export interface RevokedEntry {
  serial: Uint8Array;
  serialHex: string;
  revocationDate: number;
  /** CRLReason code (RFC 5280 §5.3.1), absent when the entry carries none. */
  reason?: number;
}

export interface IssuingDistributionPoint {
  onlyUserCerts: boolean;
  onlyCaCerts: boolean;
  onlySomeReasons: boolean;
  indirect: boolean;
  onlyAttributeCerts: boolean;
  /** The distribution point it covers: its fullName, or null for a name relative to the CRL issuer; absent when unnamed. */
  distributionPoint?: GeneralName[] | null;
}

export interface Crl {
  der: Uint8Array;
  tbs: Uint8Array;
  version: number;
  signatureAlgorithm: AlgorithmId;
  issuer: Name;
  thisUpdate: number;
  nextUpdate?: number;
  /** The revokedCertificates SEQUENCE contents, handed to the core's index builder. */
  revokedDer: Uint8Array;
  signature: Uint8Array;
  extensions: ext.Extension[];
  crlNumber?: bigint;
  deltaBase?: bigint;
  authorityKeyId?: ext.AuthorityKeyId;
  issuingDistributionPoint?: IssuingDistributionPoint;
  unhandledCritical: string[];
  revokedCount: number;
  /** Decoded entries (built on first access: a 1M-entry CRL never materialises them unless asked). */
  readonly revoked: RevokedEntry[];
}

function idp(v: Uint8Array): IssuingDistributionPoint {
  const d = parseDer(v);
  d.expect(0, TAG.SEQUENCE, 'IssuingDistributionPoint');
  const out: IssuingDistributionPoint = { onlyUserCerts: false, onlyCaCerts: false, onlySomeReasons: false, indirect: false, onlyAttributeCerts: false };
  for (const f of d.children(0)) {
    const t = d.tag(f);
    const flag = () => d.content(f).length === 1 && d.content(f)[0] === 0xff;
    if (t === 0x81) out.onlyUserCerts = flag();
    else if (t === 0x82) out.onlyCaCerts = flag();
    else if (t === 0x83) out.onlySomeReasons = true;
    else if (t === 0x84) out.indirect = flag();
    else if (t === 0x85) out.onlyAttributeCerts = flag();
    else if (t === 0xa0) out.distributionPoint = ext.readDpName(d, f) ?? null;
    else malformed('IssuingDistributionPoint field');
  }
  return out;
}

/** Runs the core's entry parser over revokedCertificates; with table !== 0 it also fills that index. */
export function scanEntries(revokedDer: Uint8Array, table: number, wantRecords: boolean): { count: number; records?: Float64Array } {
  const p = copyIn(revokedDer);
  const cap = wantRecords ? Math.floor(revokedDer.length / 6) + 1 : 0;
  const out = wantRecords ? core.alloc(cap * 24) : 0;
  try {
    const n = core.crlEntries(p, revokedDer.length, out, cap, table);
    if (n < 0) throw new CoreError('MALFORMED', `CRL entries: ${derError(-n)}`);
    if (!wantRecords) return { count: n };
    const records = new Float64Array(n * 3);
    records.set(new Float64Array(mem().buffer, out, n * 3));
    return { count: n, records };
  } finally {
    if (out) core.free(out);
    core.free(p);
  }
}

function decodeEntries(revokedDer: Uint8Array): RevokedEntry[] {
  const { records } = scanEntries(revokedDer, 0, true);
  const r = records!;
  const u = new Uint32Array(r.buffer);
  const i32 = new Int32Array(r.buffer);
  const out: RevokedEntry[] = [];
  for (let i = 0; i < r.length / 3; i++) {
    const off = u[i * 6], len = u[i * 6 + 1];
    const serial = revokedDer.subarray(off, off + len);
    const reason = i32[i * 6 + 4];
    const e: RevokedEntry = { serial, serialHex: Buffer.from(serial).toString('hex'), revocationDate: r[i * 3 + 1] };
    if (reason >= 0) e.reason = reason;
    out.push(e);
  }
  return out;
}

const EXT_CAP = 32;
const RECORD = 72 + EXT_CAP * 20;

/** Runs the core's CRL parser (structure, times, every revoked entry) and returns its record. */
function skeleton(der: Uint8Array): { u: Uint32Array; f: Float64Array } {
  const p = copyIn(der);
  const out = core.alloc(RECORD);
  try {
    const rc = core.parseCrl(p, der.length, out, EXT_CAP);
    if (rc !== 0) malformed(`CRL: ${derError(rc)}`);
    const u = new Uint32Array(RECORD / 4);
    u.set(new Uint32Array(mem().buffer, out, RECORD / 4));
    return { u, f: new Float64Array(u.buffer, 48, 2) };
  } finally {
    core.free(out);
    core.free(p);
  }
}

const CRITICAL_HANDLED = new Set<string>([OID.deltaCrlIndicator, OID.authorityKeyId, OID.issuingDistributionPoint]);

export function decodeCrl(der: Uint8Array): Crl {
  const { u, f } = skeleton(der);
  const at = (word: number) => der.subarray(u[word], u[word] + u[word + 1]);
  const extensions: ext.Extension[] = [];
  for (let k = 0; k < u[16]; k++) {
    const w = 18 + k * 5;
    extensions.push({ oid: decodeOid(at(w)), critical: u[w + 2] === 1, value: der.subarray(u[w + 3], u[w + 3] + u[w + 4]) });
  }
  const revokedDer = at(5);
  let revoked: RevokedEntry[] | undefined;
  const crl: Crl = {
    der, tbs: at(9), version: u[0], signatureAlgorithm: readAlgorithm(parseDer(at(1)), 0), issuer: readName(parseDer(at(3)), 0),
    thisUpdate: f[0], nextUpdate: Number.isNaN(f[1]) ? undefined : f[1], revokedDer, signature: at(7), extensions,
    unhandledCritical: [], revokedCount: u[11],
    get revoked() {
      return (revoked ??= decodeEntries(revokedDer));
    },
  };
  for (const e of extensions) {
    const intValue = () => {
      const x = parseDer(e.value);
      return readBigInt(x, x.expect(0, TAG.INTEGER, e.oid));
    };
    if (e.oid === OID.crlNumber) crl.crlNumber = intValue();
    else if (e.oid === OID.deltaCrlIndicator) crl.deltaBase = intValue();
    else if (e.oid === OID.authorityKeyId) crl.authorityKeyId = ext.authorityKeyId(e.value);
    else if (e.oid === OID.issuingDistributionPoint) crl.issuingDistributionPoint = idp(e.value);
    // Only IDP, AKI and deltaCRLIndicator are understood as critical (as in OpenSSL): any other critical extension,
    // CRLNumber, freshestCRL and AIA included (RFC 5280 §5.2 requires them non-critical), makes the CRL unusable.
    if (e.critical && !CRITICAL_HANDLED.has(e.oid)) crl.unhandledCritical.push(e.oid);
  }
  return crl;
}

/** Parses one CRL from DER or PEM; throws CoreError('MALFORMED') on any encoding error. */
export function parseCrl(derOrPem: Uint8Array | string): Crl {
  let der: Uint8Array;
  try {
    der = singleDer(derOrPem, ['X509 CRL'], 'CRL');
  } catch (err) {
    throw new CoreError('MALFORMED', (err as Error).message);
  }
  return decodeCrl(der);
}
