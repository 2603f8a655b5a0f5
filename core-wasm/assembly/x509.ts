// X.509 certificate skeleton (RFC 5280 §4.1): the core checks the structure and writes a fixed-layout record
// of field positions, validity times and the extension table; the loader decodes names and extension values.
import { readHeader, hTag, hContent, hLen, walk, E_TRAILING, E_VALUE } from './der';
import { parseTime } from './time';

export const E_STRUCTURE: i32 = 11; // a field is missing, extra or of the wrong type
export const E_VERSION: i32 = 12; // explicit v1, unknown version, or fields the version does not allow
export const E_ALGORITHM_MISMATCH: i32 = 13; // signatureAlgorithm differs from tbsCertificate.signature
export const E_DUPLICATE_EXTENSION: i32 = 14;
export const E_TIME: i32 = 15;
export const E_EXTENSIONS: i32 = 16; // empty extension list or DER-forbidden critical FALSE

// Record layout (byte offsets). Positions are relative to the input; pairs are (offset, length).
export const R_VERSION: usize = 0;
export const R_TBS: usize = 4;
export const R_SERIAL: usize = 12;
export const R_SIG_ALG: usize = 20;
export const R_ISSUER: usize = 28;
export const R_SUBJECT: usize = 36;
export const R_SPKI: usize = 44;
export const R_SPKI_ALG: usize = 52;
export const R_SIGNATURE: usize = 60;
export const R_NOT_BEFORE: usize = 72; // f64
export const R_NOT_AFTER: usize = 80; // f64
export const R_EXT_COUNT: usize = 88;
export const R_EXTS: usize = 96; // per extension: oid (off,len), critical, value (off,len) = 20 bytes
export const RECORD_HEADER: u32 = 96;
export const EXT_SIZE: u32 = 20;

let base: usize = 0;

function pair(out: usize, at: usize, off: usize, len: u32): void {
  store<u32>(out + at, <u32>(off - base));
  store<u32>(out + at + 4, len);
}

// Reads the element at p (bounded by end) and requires tag; leaves the header in hTag/hContent/hLen.
function expectTag(p: usize, end: usize, tag: u32): i32 {
  if (p >= end) return E_STRUCTURE;
  const rc = readHeader(p, end);
  if (rc != 0) return rc;
  return hTag == tag ? 0 : E_STRUCTURE;
}

// Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension at [p, end): writes the count at countAt and one 20-byte
// entry per extension at table (oid (off,len), critical, value (off,len), offsets from base). Shared with CRLs.
export function readExtensions(p: usize, end: usize, base: usize, countAt: usize, table: usize, cap: u32): i32 {
  let rc = expectTag(p, end, 0x30);
  if (rc != 0) return rc;
  if (hContent + <usize>hLen != end) return E_TRAILING;
  if (hLen == 0) return E_EXTENSIONS;
  let x = hContent;
  let n: u32 = 0;
  while (x < end) {
    rc = expectTag(x, end, 0x30);
    if (rc != 0) return rc;
    const xe = hContent + <usize>hLen;
    x = xe;
    rc = expectTag(hContent, xe, 0x06);
    if (rc != 0) return rc;
    const oid = hContent, oidLen = hLen;
    let q = hContent + <usize>hLen;
    let critical: u32 = 0;
    if (q < xe && load<u8>(q) == 0x01) {
      rc = readHeader(q, xe);
      if (rc != 0) return rc;
      if (hLen != 1 || load<u8>(hContent) != 0xff) return E_EXTENSIONS;
      critical = 1;
      q = hContent + <usize>hLen;
    }
    rc = expectTag(q, xe, 0x04);
    if (rc != 0) return rc;
    if (hContent + <usize>hLen != xe) return E_STRUCTURE;
    if (n >= cap) return E_STRUCTURE;
    for (let k: u32 = 0; k < n; k++) {
      const e = table + <usize>k * EXT_SIZE;
      if (load<u32>(e + 4) == oidLen && memory.compare(base + <usize>load<u32>(e), oid, oidLen) == 0) return E_DUPLICATE_EXTENSION;
    }
    const e = table + <usize>n * EXT_SIZE;
    store<u32>(e, <u32>(oid - base));
    store<u32>(e + 4, oidLen);
    store<u32>(e + 8, critical);
    store<u32>(e + 12, <u32>(hContent - base));
    store<u32>(e + 16, hLen);
    n++;
  }
  store<u32>(countAt, n);
  return 0;
}

function tbsFields(p: usize, end: usize, out: usize, extCap: u32): i32 {
  let version: u32 = 1;
  let rc: i32;
  if (p < end && load<u8>(p) == 0xa0) {
    rc = readHeader(p, end);
    if (rc != 0) return rc;
    const ve = hContent + <usize>hLen;
    rc = expectTag(hContent, ve, 0x02);
    if (rc != 0) return rc;
    if (hLen != 1 || hContent + 1 != ve) return E_VERSION;
    const v = <u32>load<u8>(hContent);
    if (v != 1 && v != 2) return E_VERSION; // v1 must be omitted under DER
    version = v + 1;
    p = ve;
  }
  store<u32>(out + R_VERSION, version);
  rc = expectTag(p, end, 0x02);
  if (rc != 0) return rc;
  pair(out, R_SERIAL, hContent, hLen);
  p = hContent + <usize>hLen;
  rc = expectTag(p, end, 0x30);
  if (rc != 0) return rc;
  pair(out, R_SIG_ALG, p, <u32>(hContent + <usize>hLen - p));
  p = hContent + <usize>hLen;
  rc = expectTag(p, end, 0x30);
  if (rc != 0) return rc;
  pair(out, R_ISSUER, p, <u32>(hContent + <usize>hLen - p));
  p = hContent + <usize>hLen;
  rc = expectTag(p, end, 0x30);
  if (rc != 0) return rc;
  const vEnd = hContent + <usize>hLen;
  p = hContent;
  for (let k: usize = 0; k < 2; k++) {
    if (p >= vEnd) return E_STRUCTURE;
    rc = readHeader(p, vEnd);
    if (rc != 0) return rc;
    const t = parseTime(hTag, hContent, hLen);
    if (isNaN(t)) return E_TIME;
    store<f64>(out + (k == 0 ? R_NOT_BEFORE : R_NOT_AFTER), t);
    p = hContent + <usize>hLen;
  }
  if (p != vEnd) return E_STRUCTURE;
  rc = expectTag(p, end, 0x30);
  if (rc != 0) return rc;
  pair(out, R_SUBJECT, p, <u32>(hContent + <usize>hLen - p));
  p = hContent + <usize>hLen;
  rc = expectTag(p, end, 0x30);
  if (rc != 0) return rc;
  const spkiEnd = hContent + <usize>hLen;
  pair(out, R_SPKI, p, <u32>(spkiEnd - p));
  const algStart = hContent;
  rc = expectTag(algStart, spkiEnd, 0x30);
  if (rc != 0) return rc;
  pair(out, R_SPKI_ALG, algStart, <u32>(hContent + <usize>hLen - algStart));
  rc = expectTag(hContent + <usize>hLen, spkiEnd, 0x03);
  if (rc != 0) return rc;
  if (hContent + <usize>hLen != spkiEnd) return E_STRUCTURE;
  p = spkiEnd;
  if (p < end && load<u8>(p) == 0x81) {
    if (version < 2) return E_VERSION;
    rc = readHeader(p, end);
    if (rc != 0) return rc;
    p = hContent + <usize>hLen;
  }
  if (p < end && load<u8>(p) == 0x82) {
    if (version < 2) return E_VERSION;
    rc = readHeader(p, end);
    if (rc != 0) return rc;
    p = hContent + <usize>hLen;
  }
  store<u32>(out + R_EXT_COUNT, 0);
  if (p < end && load<u8>(p) == 0xa3) {
    if (version != 3) return E_VERSION;
    rc = readHeader(p, end);
    if (rc != 0) return rc;
    const xe = hContent + <usize>hLen;
    rc = readExtensions(hContent, xe, base, out + R_EXT_COUNT, out + R_EXTS, extCap);
    if (rc != 0) return rc;
    p = xe;
  }
  return p == end ? 0 : E_STRUCTURE;
}

// Validates the whole DER (via walk, into the caller's node scratch) and then the certificate structure.
// Returns 0 or a positive error code; out must hold RECORD_HEADER + extCap * EXT_SIZE bytes.
export function parseCertificate(p: usize, len: u32, out: usize, extCap: u32, nodes: usize, nodeCap: u32): i32 {
  const count = walk(p, len, nodes, nodeCap, 0xffffffff);
  if (count < 0) return -count;
  base = p;
  const end = p + <usize>len;
  let rc = expectTag(p, end, 0x30);
  if (rc != 0) return rc;
  const ce = hContent + <usize>hLen;
  const tbsStart = hContent; // the TBS header begins where the outer content does
  rc = expectTag(tbsStart, ce, 0x30);
  if (rc != 0) return rc;
  const tbsEnd = hContent + <usize>hLen;
  pair(out, R_TBS, tbsStart, <u32>(tbsEnd - tbsStart));
  rc = tbsFields(hContent, tbsEnd, out, extCap);
  if (rc != 0) return rc;
  let q = tbsEnd;
  rc = expectTag(q, ce, 0x30);
  if (rc != 0) return rc;
  const algLen = <u32>(hContent + <usize>hLen - q);
  const inner = base + <usize>load<u32>(out + R_SIG_ALG);
  if (algLen != load<u32>(out + R_SIG_ALG + 4) || memory.compare(inner, q, algLen) != 0) return E_ALGORITHM_MISMATCH;
  q = hContent + <usize>hLen;
  rc = expectTag(q, ce, 0x03);
  if (rc != 0) return rc;
  if (hContent + <usize>hLen != ce) return E_STRUCTURE;
  if (load<u8>(hContent) != 0) return E_VALUE; // signatures are whole octets
  pair(out, R_SIGNATURE, hContent + 1, hLen - 1);
  return ce == end ? 0 : E_TRAILING;
}

