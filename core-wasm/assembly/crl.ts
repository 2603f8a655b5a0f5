// CRL skeleton (RFC 5280 §5.1): structure checks and a fixed-layout record of field positions, update times,
// the extension table and the revoked entries' range (their contents are checked by crlEntries).
import { readHeader, checkPrimitive, hTag, hContent, hLen, E_TRAILING, E_VALUE } from './der';
import { parseTime } from './time';
import { crlEntries } from './revocation';
import { E_STRUCTURE, E_VERSION, E_ALGORITHM_MISMATCH, E_TIME, readExtensions } from './x509';

// Record layout (byte offsets); pairs are (offset from input start, length).
export const C_VERSION: usize = 0;
export const C_SIG_ALG: usize = 4;
export const C_ISSUER: usize = 12;
export const C_REVOKED: usize = 20; // contents of revokedCertificates (length 0 when absent)
export const C_SIGNATURE: usize = 28;
export const C_TBS: usize = 36;
export const C_ENTRY_COUNT: usize = 44;
export const C_THIS_UPDATE: usize = 48; // f64
export const C_NEXT_UPDATE: usize = 56; // f64, NaN when absent
export const C_EXT_COUNT: usize = 64;
export const C_EXTS: usize = 72; // 20 bytes per extension, as in the certificate record

function isTime(p: usize, end: usize): bool {
  return p < end && (load<u8>(p) == 0x17 || load<u8>(p) == 0x18);
}

function readTime(p: usize, end: usize, out: usize): i32 {
  const rc = readHeader(p, end);
  if (rc != 0) return rc;
  const t = parseTime(hTag, hContent, hLen);
  if (isNaN(t)) return E_TIME;
  store<f64>(out, t);
  return 0;
}

function element(p: usize, end: usize, tag: u32): i32 {
  if (p >= end) return E_STRUCTURE;
  const rc = readHeader(p, end);
  if (rc != 0) return rc;
  return hTag == tag ? 0 : E_STRUCTURE;
}

function put(out: usize, at: usize, base: usize, off: usize, len: usize): void {
  store<u32>(out + at, <u32>(off - base));
  store<u32>(out + at + 4, <u32>len);
}

// Returns 0 or a positive error code; out must hold C_EXTS + extCap * 20 bytes.
export function parseCrl(base: usize, len: u32, out: usize, extCap: u32): i32 {
  const end = base + <usize>len;
  let rc = element(base, end, 0x30);
  if (rc != 0) return rc;
  const ce = hContent + <usize>hLen;
  if (ce != end) return E_TRAILING;
  const tbsStart = hContent;
  rc = element(tbsStart, ce, 0x30);
  if (rc != 0) return rc;
  const tbsEnd = hContent + <usize>hLen;
  put(out, C_TBS, base, tbsStart, tbsEnd - tbsStart);
  let p = hContent;
  let version: u32 = 1;
  if (p < tbsEnd && load<u8>(p) == 0x02) {
    rc = readHeader(p, tbsEnd);
    if (rc != 0) return rc;
    if (hLen != 1 || load<u8>(hContent) != 1) return E_VERSION; // only v2 may be explicit
    version = 2;
    p = hContent + 1;
  }
  store<u32>(out + C_VERSION, version);
  rc = element(p, tbsEnd, 0x30);
  if (rc != 0) return rc;
  put(out, C_SIG_ALG, base, p, hContent + <usize>hLen - p);
  p = hContent + <usize>hLen;
  rc = element(p, tbsEnd, 0x30);
  if (rc != 0) return rc;
  put(out, C_ISSUER, base, p, hContent + <usize>hLen - p);
  p = hContent + <usize>hLen;
  if (!isTime(p, tbsEnd)) return E_STRUCTURE;
  rc = readTime(p, tbsEnd, out + C_THIS_UPDATE);
  if (rc != 0) return rc;
  p = hContent + <usize>hLen;
  store<f64>(out + C_NEXT_UPDATE, NaN);
  if (isTime(p, tbsEnd)) {
    rc = readTime(p, tbsEnd, out + C_NEXT_UPDATE);
    if (rc != 0) return rc;
    p = hContent + <usize>hLen;
  }
  put(out, C_REVOKED, base, p, 0);
  store<u32>(out + C_ENTRY_COUNT, 0);
  if (p < tbsEnd && load<u8>(p) == 0x30) {
    rc = readHeader(p, tbsEnd);
    if (rc != 0) return rc;
    if (hLen == 0) return E_STRUCTURE; // SEQUENCE OF revoked entries must not be empty when present
    const rs = hContent, rl = hLen;
    const n = crlEntries(rs, rl, 0, 0, 0);
    if (n < 0) return -n;
    put(out, C_REVOKED, base, rs, rl);
    store<u32>(out + C_ENTRY_COUNT, <u32>n);
    p = rs + <usize>rl;
  }
  store<u32>(out + C_EXT_COUNT, 0);
  if (p < tbsEnd && load<u8>(p) == 0xa0) {
    if (version != 2) return E_VERSION;
    rc = readHeader(p, tbsEnd);
    if (rc != 0) return rc;
    const xe = hContent + <usize>hLen;
    rc = readExtensions(hContent, xe, base, out + C_EXT_COUNT, out + C_EXTS, extCap);
    if (rc != 0) return rc;
    p = xe;
  }
  if (p != tbsEnd) return E_STRUCTURE;
  rc = element(tbsEnd, ce, 0x30);
  if (rc != 0) return rc;
  const algLen = <u32>(hContent + <usize>hLen - tbsEnd);
  if (algLen != load<u32>(out + C_SIG_ALG + 4) || memory.compare(base + <usize>load<u32>(out + C_SIG_ALG), tbsEnd, algLen) != 0) return E_ALGORITHM_MISMATCH;
  const sp = hContent + <usize>hLen;
  rc = element(sp, ce, 0x03);
  if (rc != 0) return rc;
  rc = checkPrimitive(hTag, hContent, hLen);
  if (rc != 0) return rc;
  if (hContent + <usize>hLen != ce) return E_STRUCTURE;
  if (load<u8>(hContent) != 0) return E_VALUE;
  put(out, C_SIGNATURE, base, hContent + 1, hLen - 1);
  return 0;
}
