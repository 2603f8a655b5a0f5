// Strict DER reader: every read is bounds-checked and every violation is a result code, never a trap.

export const E_TRUNCATED: i32 = 1;
export const E_INDEFINITE: i32 = 2;
export const E_LENGTH: i32 = 3; // non-minimal or over-long length
export const E_TRAILING: i32 = 4;
export const E_TAG: i32 = 5; // high-tag-number form, EOC, or wrong primitive/constructed form
export const E_INTEGER: i32 = 6; // empty or non-minimal INTEGER / ENUMERATED
export const E_TOO_MANY: i32 = 7; // node output buffer full
export const E_DEPTH: i32 = 8;
export const E_VALUE: i32 = 9; // bad BOOLEAN, NULL, BIT STRING or OID content

export const MAX_DEPTH: u32 = 64;
// Node record written by walk(): tag, header offset, content offset, content length, index past last descendant.
export const NODE_SIZE: u32 = 20;

// Decoded header of the last readHeader() call (no allocation on the hot path).
export let hTag: u32 = 0;
export let hContent: usize = 0;
export let hLen: u32 = 0;

// Reads one tag+length at p, requiring the whole element to fit before end.
export function readHeader(p: usize, end: usize): i32 {
  if (p >= end) return E_TRUNCATED;
  const tag = <u32>load<u8>(p);
  if ((tag & 0x1f) == 0x1f || tag == 0) return E_TAG;
  p++;
  if (p >= end) return E_TRUNCATED;
  const b = <u32>load<u8>(p);
  p++;
  let len: u32 = 0;
  if (b < 0x80) {
    len = b;
  } else if (b == 0x80) {
    return E_INDEFINITE;
  } else {
    const n = b & 0x7f;
    if (n > 4) return E_LENGTH;
    if (<usize>n > end - p) return E_TRUNCATED;
    if (load<u8>(p) == 0) return E_LENGTH;
    for (let i: u32 = 0; i < n; i++) len = (len << 8) | <u32>load<u8>(p + i);
    if (len < 0x80) return E_LENGTH;
    p += n;
  }
  if (<usize>len > end - p) return E_TRUNCATED;
  hTag = tag;
  hContent = p;
  hLen = len;
  return 0;
}

// Checks the DER rules for universal primitive contents at [p, p+len).
export function checkPrimitive(tag: u32, p: usize, len: u32): i32 {
  const constructed = (tag & 0x20) != 0;
  if ((tag & 0xc0) != 0) return 0;
  const num = tag & 0x1f;
  if (num == 16 || num == 17) return constructed ? 0 : E_TAG;
  if (constructed) return E_TAG; // DER forbids constructed strings
  if (num == 1) {
    if (len != 1) return E_VALUE;
    const v = load<u8>(p);
    return v == 0 || v == 0xff ? 0 : E_VALUE;
  }
  if (num == 2 || num == 10) {
    if (len == 0) return E_INTEGER;
    if (len > 1) {
      const a = load<u8>(p), b = load<u8>(p + 1);
      if ((a == 0 && b < 0x80) || (a == 0xff && b >= 0x80)) return E_INTEGER;
    }
    return 0;
  }
  if (num == 3) {
    if (len == 0) return E_VALUE;
    const unused = <u32>load<u8>(p);
    if (unused > 7 || (len == 1 && unused != 0)) return E_VALUE;
    if (unused != 0 && (<u32>load<u8>(p + len - 1) & ((1 << unused) - 1)) != 0) return E_VALUE;
    return 0;
  }
  if (num == 5) return len == 0 ? 0 : E_VALUE;
  if (num == 6) {
    if (len == 0 || (load<u8>(p + len - 1) & 0x80) != 0) return E_VALUE;
    let start = true;
    for (let i: u32 = 0; i < len; i++) {
      const c = load<u8>(p + i);
      if (start && c == 0x80) return E_VALUE;
      start = (c & 0x80) == 0;
    }
    return 0;
  }
  return 0;
}

const stackEnd = memory.data(<i32>(MAX_DEPTH * 4));
const stackNode = memory.data(<i32>(MAX_DEPTH * 4));

// Tokenizes exactly one DER element at [base, base+len) into node records; descends maxDepth levels
// (deeper constructed elements are emitted but left unexpanded). Returns the node count or -code.
export function walk(base: usize, len: u32, out: usize, cap: u32, maxDepth: u32): i32 {
  const end = base + <usize>len;
  let p = base;
  let count: u32 = 0;
  let depth: u32 = 0;
  while (true) {
    while (depth > 0 && p == <usize>load<u32>(stackEnd + (depth - 1) * 4)) {
      store<u32>(out + <usize>load<u32>(stackNode + (depth - 1) * 4) * NODE_SIZE + 16, count);
      depth--;
    }
    if (depth == 0 && count > 0) break;
    const limit = depth > 0 ? <usize>load<u32>(stackEnd + (depth - 1) * 4) : end;
    const rc = readHeader(p, limit);
    if (rc != 0) return -rc;
    if (count >= cap) return -E_TOO_MANY;
    const tag = hTag, c = hContent, l = hLen;
    const chk = checkPrimitive(tag, c, l);
    if (chk != 0) return -chk;
    const rec = out + <usize>count * NODE_SIZE;
    store<u32>(rec, tag);
    store<u32>(rec + 4, <u32>(p - base));
    store<u32>(rec + 8, <u32>(c - base));
    store<u32>(rec + 12, l);
    const idx = count++;
    if ((tag & 0x20) != 0 && depth < maxDepth) {
      if (depth >= MAX_DEPTH) return -E_DEPTH;
      store<u32>(stackEnd + depth * 4, <u32>(c + <usize>l));
      store<u32>(stackNode + depth * 4, idx);
      depth++;
      p = c;
    } else {
      store<u32>(rec + 16, count);
      p = c + <usize>l;
    }
  }
  return p == end ? <i32>count : -E_TRAILING;
}
