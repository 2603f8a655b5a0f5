// Revocation index: open-addressing hash tables in linear memory keyed by certificate serial, one table
// per CRL scope (issuer), so a lookup costs O(1) however many entries the CRL holds.
import { readHeader, checkPrimitive, hTag, hContent, hLen, E_TAG, E_TRAILING, E_VALUE, E_TOO_MANY } from './der';
import { parseTime } from './time';
import { sha256 } from './sha256';

export const E_CRITICAL: i32 = 10; // unknown critical CRL entry extension (e.g. indirect-CRL certificateIssuer)

const SLOT: usize = 48; // u32 hash|1, u8 keyLen, i8 reason, pad, f64 time, 32 key bytes
const KEY = memory.data(32);
const REASON_NONE: i32 = -1;

// Table header: u32 capacity (power of two), u32 count, usize slots.
export function tblNew(expected: u32): usize {
  let cap: u32 = 16;
  while (cap < expected * 2 && cap < 0x40000000) cap <<= 1;
  const h = heap.alloc(12);
  store<u32>(h, cap);
  store<u32>(h + 4, 0);
  const slots = heap.alloc(<usize>cap * SLOT);
  memory.fill(slots, 0, <usize>cap * SLOT);
  store<u32>(h + 8, <u32>slots);
  return h;
}

export function tblFree(h: usize): void {
  if (h == 0) return;
  heap.free(<usize>load<u32>(h + 8));
  heap.free(h);
}

export function tblCount(h: usize): u32 {
  return load<u32>(h + 4);
}

export function tblBytes(h: usize): u32 {
  return load<u32>(h) * <u32>SLOT;
}

function hashKey(p: usize, len: u32): u32 {
  let x: u32 = 0x811c9dc5;
  for (let i: u32 = 0; i < len; i++) x = (x ^ <u32>load<u8>(p + i)) * 0x01000193;
  x ^= x >>> 16; x *= 0x85ebca6b; x ^= x >>> 13; x *= 0xc2b2ae35; x ^= x >>> 16;
  return x | 1;
}

// Serials over 32 bytes (non-conforming, RFC 5280 allows 20) are keyed by their SHA-256 instead.
function normKey(p: usize, len: u32): u32 {
  if (len <= 32) {
    memory.copy(KEY, p, len);
    return len;
  }
  sha256(p, len, KEY);
  return 255;
}

function keyBytes(klen: u32): u32 {
  return klen == 255 ? 32 : klen;
}

function findSlot(slots: usize, mask: u32, hash: u32, klen: u32): usize {
  let i = hash & mask;
  const n = keyBytes(klen);
  while (true) {
    const s = slots + <usize>i * SLOT;
    const sh = load<u32>(s);
    if (sh == 0) return s;
    if (sh == hash && <u32>load<u8>(s + 4) == klen && memory.compare(s + 16, KEY, n) == 0) return s;
    i = (i + 1) & mask;
  }
}

function grow(h: usize): void {
  const cap = load<u32>(h);
  const old = <usize>load<u32>(h + 8);
  const ncap = cap << 1;
  const slots = heap.alloc(<usize>ncap * SLOT);
  memory.fill(slots, 0, <usize>ncap * SLOT);
  for (let i: u32 = 0; i < cap; i++) {
    const s = old + <usize>i * SLOT;
    const sh = load<u32>(s);
    if (sh == 0) continue;
    let j = sh & (ncap - 1);
    while (load<u32>(slots + <usize>j * SLOT) != 0) j = (j + 1) & (ncap - 1);
    memory.copy(slots + <usize>j * SLOT, s, SLOT);
  }
  heap.free(old);
  store<u32>(h, ncap);
  store<u32>(h + 8, <u32>slots);
}

export function tblPut(h: usize, p: usize, len: u32, time: f64, reason: i32): void {
  if ((load<u32>(h + 4) + 1) * 2 > load<u32>(h)) grow(h);
  const klen = normKey(p, len);
  const hash = hashKey(KEY, keyBytes(klen));
  const s = findSlot(<usize>load<u32>(h + 8), load<u32>(h) - 1, hash, klen);
  if (load<u32>(s) == 0) store<u32>(h + 4, load<u32>(h + 4) + 1);
  store<u32>(s, hash);
  store<u8>(s + 4, <u8>klen);
  store<i8>(s + 5, <i8>reason);
  store<f64>(s + 8, time);
  memory.copy(s + 16, KEY, keyBytes(klen));
}

// Returns 1 and writes (f64 time, i32 reason) to out when the serial is in the table, else 0.
export function tblGet(h: usize, p: usize, len: u32, out: usize): i32 {
  const klen = normKey(p, len);
  const hash = hashKey(KEY, keyBytes(klen));
  const s = findSlot(<usize>load<u32>(h + 8), load<u32>(h) - 1, hash, klen);
  if (load<u32>(s) == 0) return 0;
  store<f64>(out, load<f64>(s + 8));
  store<i32>(out + 8, <i32>load<i8>(s + 5));
  return 1;
}

// The reason code inside one entry's extensions [p, end), or REASON_NONE; negative on error.
function entryExtensions(p: usize, end: usize): i32 {
  let reason = REASON_NONE;
  let rc = readHeader(p, end);
  if (rc != 0) return -rc;
  if (hTag != 0x30 || hLen == 0 || hContent + <usize>hLen != end) return -E_TAG;
  let x = hContent;
  while (x < end) {
    rc = readHeader(x, end);
    if (rc != 0) return -rc;
    if (hTag != 0x30) return -E_TAG;
    const xe = hContent + <usize>hLen;
    x = xe;
    let q = hContent;
    rc = readHeader(q, xe);
    if (rc != 0) return -rc;
    if (hTag != 0x06 || checkPrimitive(hTag, hContent, hLen) != 0) return -E_TAG;
    const isReason = hLen == 3 && load<u8>(hContent) == 0x55 && load<u8>(hContent + 1) == 0x1d && load<u8>(hContent + 2) == 0x15;
    q = hContent + <usize>hLen;
    let critical = false;
    rc = readHeader(q, xe);
    if (rc != 0) return -rc;
    if (hTag == 0x01) {
      if (hLen != 1 || load<u8>(hContent) != 0xff) return -E_VALUE; // DER omits a FALSE default
      critical = true;
      q = hContent + 1;
      rc = readHeader(q, xe);
      if (rc != 0) return -rc;
    }
    if (hTag != 0x04 || hContent + <usize>hLen != xe) return -E_TAG;
    if (isReason) {
      const ve = hContent + <usize>hLen;
      rc = readHeader(hContent, ve);
      if (rc != 0) return -rc;
      if (hTag != 0x0a || hLen != 1 || hContent + 1 != ve) return -E_VALUE;
      reason = <i32>load<u8>(hContent);
      if (reason > 10 || reason == 7) return -E_VALUE;
    } else if (critical) return -E_CRITICAL;
  }
  return reason;
}

// Parses revokedCertificates contents [base, base+len): inserts each entry into table h (if non-zero)
// and writes 24-byte records (u32 serial offset, u32 serial length, f64 time, i32 reason, pad) to out
// (if non-zero). Returns the entry count or -code.
export function crlEntries(base: usize, len: u32, out: usize, cap: u32, h: usize): i32 {
  const end = base + <usize>len;
  let p = base;
  let n: u32 = 0;
  while (p < end) {
    let rc = readHeader(p, end);
    if (rc != 0) return -rc;
    if (hTag != 0x30) return -E_TAG;
    const ee = hContent + <usize>hLen;
    p = ee;
    rc = readHeader(hContent, ee);
    if (rc != 0) return -rc;
    if (hTag != 0x02) return -E_TAG;
    rc = checkPrimitive(hTag, hContent, hLen);
    if (rc != 0) return -rc;
    const sp = hContent, sl = hLen;
    rc = readHeader(sp + <usize>sl, ee);
    if (rc != 0) return -rc;
    const t = parseTime(hTag, hContent, hLen);
    if (isNaN(t)) return -E_VALUE;
    const q = hContent + <usize>hLen;
    let reason = REASON_NONE;
    if (q < ee) {
      reason = entryExtensions(q, ee);
      if (reason < REASON_NONE) return reason;
    }
    if (out != 0) {
      if (n >= cap) return -E_TOO_MANY;
      const r = out + <usize>n * 24;
      store<u32>(r, <u32>(sp - base));
      store<u32>(r + 4, sl);
      store<f64>(r + 8, t);
      store<i32>(r + 16, reason);
    }
    if (h != 0) tblPut(h, sp, sl, t, reason);
    n++;
  }
  return p == end ? <i32>n : -E_TRAILING;
}
