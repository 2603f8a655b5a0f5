// SHA-256 (FIPS 180-4) over linear memory, plus a batch form that hashes many messages in one call.
import { digest4 } from './sha256x4';

const TAIL = memory.data(128);

let h0: u32, h1: u32, h2: u32, h3: u32, h4: u32, h5: u32, h6: u32, h7: u32;

function init(): void {
  h0 = 0x6a09e667; h1 = 0xbb67ae85; h2 = 0x3c6ef372; h3 = 0xa54ff53a;
  h4 = 0x510e527f; h5 = 0x9b05688c; h6 = 0x1f83d9ab; h7 = 0x5be0cd19;
}

// @ts-ignore: decorator
@inline function S0(x: u32): u32 { return rotr<u32>(x, 2) ^ rotr<u32>(x, 13) ^ rotr<u32>(x, 22); }
// @ts-ignore: decorator
@inline function S1(x: u32): u32 { return rotr<u32>(x, 6) ^ rotr<u32>(x, 11) ^ rotr<u32>(x, 25); }
// @ts-ignore: decorator
@inline function ch(x: u32, y: u32, z: u32): u32 { return z ^ (x & (y ^ z)); }

const K = memory.data<u32>([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
// W[t] + K[t] for the current block: the schedule writes it with v128 stores, the rounds load one word each.
const WK = memory.data(256);

// @ts-ignore: decorator
@inline function vrot(x: v128, n: i32): v128 { return v128.or(i32x4.shr_u(x, n), i32x4.shl(x, 32 - n)); }
// @ts-ignore: decorator
@inline function vs0(x: v128): v128 { return v128.xor(v128.xor(vrot(x, 7), vrot(x, 18)), i32x4.shr_u(x, 3)); }
// @ts-ignore: decorator
@inline function vs1(x: v128): v128 { return v128.xor(v128.xor(vrot(x, 17), vrot(x, 19)), i32x4.shr_u(x, 10)); }

// Message schedule four words at a time (FIPS 180-4 §6.2.2 step 1), the 16-word window in four v128 locals;
// only W+K goes to memory. σ1 needs W[t..t+1] for W[t+2..t+3], so the upper lanes finish second.
// @ts-ignore: decorator
@inline function step(x0: v128, x1: v128, x2: v128, x3: v128, k: usize): v128 {
  const zero = i32x4.splat(0);
  let v = i32x4.add(i32x4.add(x0, vs0(i32x4.shuffle(x0, x1, 1, 2, 3, 4))), i32x4.shuffle(x2, x3, 1, 2, 3, 4));
  v = i32x4.add(v, vs1(i32x4.shuffle(x3, zero, 2, 3, 4, 4)));
  v = i32x4.add(v, vs1(i32x4.shuffle(zero, v, 0, 0, 4, 5)));
  v128.store(WK + k, i32x4.add(v, v128.load(K + k)));
  return v;
}

// @ts-ignore: decorator
@inline function bigEndian(p: usize, k: usize): v128 {
  const w = i8x16.swizzle(v128.load(p + k), i8x16(3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12));
  v128.store(WK + k, i32x4.add(w, v128.load(K + k)));
  return w;
}

// @ts-ignore: decorator
@inline function schedule(p: usize): void {
  let x0 = bigEndian(p, 0), x1 = bigEndian(p, 16), x2 = bigEndian(p, 32), x3 = bigEndian(p, 48);
  for (let k: usize = 64; k < 256; k += 64) {
    x0 = step(x0, x1, x2, x3, k);
    x1 = step(x1, x2, x3, x0, k + 16);
    x2 = step(x2, x3, x0, x1, k + 32);
    x3 = step(x3, x0, x1, x2, k + 48);
  }
}

// FIPS 180-4 §6.2.2 fully unrolled, state in locals; round i uses state names rotated by i, so no moves.
// Maj(a,b,c) = ((a^b) & (b^c)) ^ b, and this round's a^b is the next round's b^c (x, y alternate);
// T1 adds σ1(e) last so the e → e' dependency chain stays short.
function compress(p: usize): void {
  schedule(p);
  let a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
  let t: u32, y: u32, x = b ^ c;
  t = h + load<u32>(WK, 0) + ch(e, f, g) + S1(e); d += t; y = a ^ b; h = t + S0(a) + ((x & y) ^ b);
  t = g + load<u32>(WK, 4) + ch(d, e, f) + S1(d); c += t; x = h ^ a; g = t + S0(h) + ((y & x) ^ a);
  t = f + load<u32>(WK, 8) + ch(c, d, e) + S1(c); b += t; y = g ^ h; f = t + S0(g) + ((x & y) ^ h);
  t = e + load<u32>(WK, 12) + ch(b, c, d) + S1(b); a += t; x = f ^ g; e = t + S0(f) + ((y & x) ^ g);
  t = d + load<u32>(WK, 16) + ch(a, b, c) + S1(a); h += t; y = e ^ f; d = t + S0(e) + ((x & y) ^ f);
  t = c + load<u32>(WK, 20) + ch(h, a, b) + S1(h); g += t; x = d ^ e; c = t + S0(d) + ((y & x) ^ e);
  t = b + load<u32>(WK, 24) + ch(g, h, a) + S1(g); f += t; y = c ^ d; b = t + S0(c) + ((x & y) ^ d);
  t = a + load<u32>(WK, 28) + ch(f, g, h) + S1(f); e += t; x = b ^ c; a = t + S0(b) + ((y & x) ^ c);
  t = h + load<u32>(WK, 32) + ch(e, f, g) + S1(e); d += t; y = a ^ b; h = t + S0(a) + ((x & y) ^ b);
  t = g + load<u32>(WK, 36) + ch(d, e, f) + S1(d); c += t; x = h ^ a; g = t + S0(h) + ((y & x) ^ a);
  t = f + load<u32>(WK, 40) + ch(c, d, e) + S1(c); b += t; y = g ^ h; f = t + S0(g) + ((x & y) ^ h);
  t = e + load<u32>(WK, 44) + ch(b, c, d) + S1(b); a += t; x = f ^ g; e = t + S0(f) + ((y & x) ^ g);
  t = d + load<u32>(WK, 48) + ch(a, b, c) + S1(a); h += t; y = e ^ f; d = t + S0(e) + ((x & y) ^ f);
  t = c + load<u32>(WK, 52) + ch(h, a, b) + S1(h); g += t; x = d ^ e; c = t + S0(d) + ((y & x) ^ e);
  t = b + load<u32>(WK, 56) + ch(g, h, a) + S1(g); f += t; y = c ^ d; b = t + S0(c) + ((x & y) ^ d);
  t = a + load<u32>(WK, 60) + ch(f, g, h) + S1(f); e += t; x = b ^ c; a = t + S0(b) + ((y & x) ^ c);
  t = h + load<u32>(WK, 64) + ch(e, f, g) + S1(e); d += t; y = a ^ b; h = t + S0(a) + ((x & y) ^ b);
  t = g + load<u32>(WK, 68) + ch(d, e, f) + S1(d); c += t; x = h ^ a; g = t + S0(h) + ((y & x) ^ a);
  t = f + load<u32>(WK, 72) + ch(c, d, e) + S1(c); b += t; y = g ^ h; f = t + S0(g) + ((x & y) ^ h);
  t = e + load<u32>(WK, 76) + ch(b, c, d) + S1(b); a += t; x = f ^ g; e = t + S0(f) + ((y & x) ^ g);
  t = d + load<u32>(WK, 80) + ch(a, b, c) + S1(a); h += t; y = e ^ f; d = t + S0(e) + ((x & y) ^ f);
  t = c + load<u32>(WK, 84) + ch(h, a, b) + S1(h); g += t; x = d ^ e; c = t + S0(d) + ((y & x) ^ e);
  t = b + load<u32>(WK, 88) + ch(g, h, a) + S1(g); f += t; y = c ^ d; b = t + S0(c) + ((x & y) ^ d);
  t = a + load<u32>(WK, 92) + ch(f, g, h) + S1(f); e += t; x = b ^ c; a = t + S0(b) + ((y & x) ^ c);
  t = h + load<u32>(WK, 96) + ch(e, f, g) + S1(e); d += t; y = a ^ b; h = t + S0(a) + ((x & y) ^ b);
  t = g + load<u32>(WK, 100) + ch(d, e, f) + S1(d); c += t; x = h ^ a; g = t + S0(h) + ((y & x) ^ a);
  t = f + load<u32>(WK, 104) + ch(c, d, e) + S1(c); b += t; y = g ^ h; f = t + S0(g) + ((x & y) ^ h);
  t = e + load<u32>(WK, 108) + ch(b, c, d) + S1(b); a += t; x = f ^ g; e = t + S0(f) + ((y & x) ^ g);
  t = d + load<u32>(WK, 112) + ch(a, b, c) + S1(a); h += t; y = e ^ f; d = t + S0(e) + ((x & y) ^ f);
  t = c + load<u32>(WK, 116) + ch(h, a, b) + S1(h); g += t; x = d ^ e; c = t + S0(d) + ((y & x) ^ e);
  t = b + load<u32>(WK, 120) + ch(g, h, a) + S1(g); f += t; y = c ^ d; b = t + S0(c) + ((x & y) ^ d);
  t = a + load<u32>(WK, 124) + ch(f, g, h) + S1(f); e += t; x = b ^ c; a = t + S0(b) + ((y & x) ^ c);
  t = h + load<u32>(WK, 128) + ch(e, f, g) + S1(e); d += t; y = a ^ b; h = t + S0(a) + ((x & y) ^ b);
  t = g + load<u32>(WK, 132) + ch(d, e, f) + S1(d); c += t; x = h ^ a; g = t + S0(h) + ((y & x) ^ a);
  t = f + load<u32>(WK, 136) + ch(c, d, e) + S1(c); b += t; y = g ^ h; f = t + S0(g) + ((x & y) ^ h);
  t = e + load<u32>(WK, 140) + ch(b, c, d) + S1(b); a += t; x = f ^ g; e = t + S0(f) + ((y & x) ^ g);
  t = d + load<u32>(WK, 144) + ch(a, b, c) + S1(a); h += t; y = e ^ f; d = t + S0(e) + ((x & y) ^ f);
  t = c + load<u32>(WK, 148) + ch(h, a, b) + S1(h); g += t; x = d ^ e; c = t + S0(d) + ((y & x) ^ e);
  t = b + load<u32>(WK, 152) + ch(g, h, a) + S1(g); f += t; y = c ^ d; b = t + S0(c) + ((x & y) ^ d);
  t = a + load<u32>(WK, 156) + ch(f, g, h) + S1(f); e += t; x = b ^ c; a = t + S0(b) + ((y & x) ^ c);
  t = h + load<u32>(WK, 160) + ch(e, f, g) + S1(e); d += t; y = a ^ b; h = t + S0(a) + ((x & y) ^ b);
  t = g + load<u32>(WK, 164) + ch(d, e, f) + S1(d); c += t; x = h ^ a; g = t + S0(h) + ((y & x) ^ a);
  t = f + load<u32>(WK, 168) + ch(c, d, e) + S1(c); b += t; y = g ^ h; f = t + S0(g) + ((x & y) ^ h);
  t = e + load<u32>(WK, 172) + ch(b, c, d) + S1(b); a += t; x = f ^ g; e = t + S0(f) + ((y & x) ^ g);
  t = d + load<u32>(WK, 176) + ch(a, b, c) + S1(a); h += t; y = e ^ f; d = t + S0(e) + ((x & y) ^ f);
  t = c + load<u32>(WK, 180) + ch(h, a, b) + S1(h); g += t; x = d ^ e; c = t + S0(d) + ((y & x) ^ e);
  t = b + load<u32>(WK, 184) + ch(g, h, a) + S1(g); f += t; y = c ^ d; b = t + S0(c) + ((x & y) ^ d);
  t = a + load<u32>(WK, 188) + ch(f, g, h) + S1(f); e += t; x = b ^ c; a = t + S0(b) + ((y & x) ^ c);
  t = h + load<u32>(WK, 192) + ch(e, f, g) + S1(e); d += t; y = a ^ b; h = t + S0(a) + ((x & y) ^ b);
  t = g + load<u32>(WK, 196) + ch(d, e, f) + S1(d); c += t; x = h ^ a; g = t + S0(h) + ((y & x) ^ a);
  t = f + load<u32>(WK, 200) + ch(c, d, e) + S1(c); b += t; y = g ^ h; f = t + S0(g) + ((x & y) ^ h);
  t = e + load<u32>(WK, 204) + ch(b, c, d) + S1(b); a += t; x = f ^ g; e = t + S0(f) + ((y & x) ^ g);
  t = d + load<u32>(WK, 208) + ch(a, b, c) + S1(a); h += t; y = e ^ f; d = t + S0(e) + ((x & y) ^ f);
  t = c + load<u32>(WK, 212) + ch(h, a, b) + S1(h); g += t; x = d ^ e; c = t + S0(d) + ((y & x) ^ e);
  t = b + load<u32>(WK, 216) + ch(g, h, a) + S1(g); f += t; y = c ^ d; b = t + S0(c) + ((x & y) ^ d);
  t = a + load<u32>(WK, 220) + ch(f, g, h) + S1(f); e += t; x = b ^ c; a = t + S0(b) + ((y & x) ^ c);
  t = h + load<u32>(WK, 224) + ch(e, f, g) + S1(e); d += t; y = a ^ b; h = t + S0(a) + ((x & y) ^ b);
  t = g + load<u32>(WK, 228) + ch(d, e, f) + S1(d); c += t; x = h ^ a; g = t + S0(h) + ((y & x) ^ a);
  t = f + load<u32>(WK, 232) + ch(c, d, e) + S1(c); b += t; y = g ^ h; f = t + S0(g) + ((x & y) ^ h);
  t = e + load<u32>(WK, 236) + ch(b, c, d) + S1(b); a += t; x = f ^ g; e = t + S0(f) + ((y & x) ^ g);
  t = d + load<u32>(WK, 240) + ch(a, b, c) + S1(a); h += t; y = e ^ f; d = t + S0(e) + ((x & y) ^ f);
  t = c + load<u32>(WK, 244) + ch(h, a, b) + S1(h); g += t; x = d ^ e; c = t + S0(d) + ((y & x) ^ e);
  t = b + load<u32>(WK, 248) + ch(g, h, a) + S1(g); f += t; y = c ^ d; b = t + S0(c) + ((x & y) ^ d);
  t = a + load<u32>(WK, 252) + ch(f, g, h) + S1(f); e += t; x = b ^ c; a = t + S0(b) + ((y & x) ^ c);
  h0 += a; h1 += b; h2 += c; h3 += d; h4 += e; h5 += f; h6 += g; h7 += h;
}

function digestInto(p: usize, len: u32, out: usize): void {
  init();
  let off: usize = 0;
  const full = <usize>(len & ~63);
  while (off < full) { compress(p + off); off += 64; }
  const rest = <usize>len - off;
  memory.copy(TAIL, p + off, rest);
  store<u8>(TAIL + rest, 0x80);
  const padded: usize = rest < 56 ? 64 : 128;
  memory.fill(TAIL + rest + 1, 0, padded - rest - 9);
  store<u64>(TAIL + padded - 8, bswap<u64>(<u64>len << 3));
  compress(TAIL);
  if (padded == 128) compress(TAIL + 64);
  store<u32>(out, bswap<u32>(h0)); store<u32>(out + 4, bswap<u32>(h1));
  store<u32>(out + 8, bswap<u32>(h2)); store<u32>(out + 12, bswap<u32>(h3));
  store<u32>(out + 16, bswap<u32>(h4)); store<u32>(out + 20, bswap<u32>(h5));
  store<u32>(out + 24, bswap<u32>(h6)); store<u32>(out + 28, bswap<u32>(h7));
}

export function sha256(p: usize, len: u32, out: usize): void {
  digestInto(p, len, out);
}

// Hashes n messages described by (u32 offset from base, u32 length) pairs at desc; 32-byte digests go to out.
// Runs of four equal-length messages go through the 4-lane SIMD path.
export function sha256Batch(base: usize, desc: usize, n: u32, out: usize): void {
  let i: u32 = 0;
  while (i < n) {
    const d = desc + <usize>i * 8;
    const len = load<u32>(d + 4);
    if (i + 4 <= n && load<u32>(d + 12) == len && load<u32>(d + 20) == len && load<u32>(d + 28) == len) {
      digest4(base + <usize>load<u32>(d), base + <usize>load<u32>(d + 8), base + <usize>load<u32>(d + 16),
        base + <usize>load<u32>(d + 24), len, out + <usize>i * 32);
      i += 4;
    } else {
      digestInto(base + <usize>load<u32>(d), len, out + <usize>i * 32);
      i++;
    }
  }
}

// ---- Incremental SHA-256: the state lives in a block the caller owns (a handle), never in globals. ----
// The h0..h7 globals are only compress()'s working registers within one call: each call loads the handle's
// words, compresses, and stores them back, so any number of hashers can be open at once.
// Layout of a handle (STATE_BYTES): [0,32) H0..H7 (native u32) · [32,40) total length in bytes (u64) ·
// [40,44) MAGIC · [44,48) 1 once finalised · [48,112) the partial block (total % 64 bytes are pending).
const STATE_BYTES: usize = 112;
const MAGIC: u32 = 0x32616873; // "sha2"
const BUF: usize = 48;
// Results: 0 ok; negative values say what was wrong, nothing was touched.
const BAD_HANDLE: i32 = -1;
const FINALISED: i32 = -2;
const OUT_OF_RANGE: i32 = -3;
const BAD_STATE: i32 = -4;

// @ts-ignore: decorator
@inline function memEnd(): usize { return <usize>memory.size() << 16; }

// True when [p, p + len) lies inside linear memory (no overflow on the sum).
// @ts-ignore: decorator
@inline function inMemory(p: usize, len: usize): bool { const end = memEnd(); return len <= end && p <= end - len; }

function live(s: usize): bool {
  return inMemory(s, STATE_BYTES) && load<u32>(s, 40) == MAGIC;
}

function resetState(s: usize): void {
  store<u32>(s, 0x6a09e667, 0); store<u32>(s, 0xbb67ae85, 4); store<u32>(s, 0x3c6ef372, 8); store<u32>(s, 0xa54ff53a, 12);
  store<u32>(s, 0x510e527f, 16); store<u32>(s, 0x9b05688c, 20); store<u32>(s, 0x1f83d9ab, 24); store<u32>(s, 0x5be0cd19, 28);
  store<u64>(s, 0, 32);
  store<u32>(s, MAGIC, 40);
  store<u32>(s, 0, 44);
}

// @ts-ignore: decorator
@inline function loadH(s: usize): void {
  h0 = load<u32>(s, 0); h1 = load<u32>(s, 4); h2 = load<u32>(s, 8); h3 = load<u32>(s, 12);
  h4 = load<u32>(s, 16); h5 = load<u32>(s, 20); h6 = load<u32>(s, 24); h7 = load<u32>(s, 28);
}

// @ts-ignore: decorator
@inline function saveH(s: usize): void {
  store<u32>(s, h0, 0); store<u32>(s, h1, 4); store<u32>(s, h2, 8); store<u32>(s, h3, 12);
  store<u32>(s, h4, 16); store<u32>(s, h5, 20); store<u32>(s, h6, 24); store<u32>(s, h7, 28);
}

/** A new hasher; 0 when memory is exhausted. Free it with sha256Free. */
export function sha256Init(): usize {
  const s = heap.alloc(STATE_BYTES);
  if (s == 0) return 0;
  resetState(s);
  return s;
}

/** A new hasher in the same state as `s` (e.g. a running digest without ending the original); 0 on a bad handle. */
export function sha256Copy(s: usize): usize {
  if (!live(s)) return 0;
  const c = heap.alloc(STATE_BYTES);
  if (c == 0) return 0;
  memory.copy(c, s, STATE_BYTES);
  return c;
}

export function sha256Free(s: usize): void {
  if (!live(s)) return;
  store<u32>(s, 0, 40); // a second free of the same handle is a no-op
  heap.free(s);
}

/** Feeds [p, p + len) to the hasher. */
export function sha256Update(s: usize, p: usize, len: u32): i32 {
  if (!live(s)) return BAD_HANDLE;
  if (load<u32>(s, 44) != 0) return FINALISED;
  const n = <usize>len;
  if (!inMemory(p, n)) return OUT_OF_RANGE;
  const total = load<u64>(s, 32);
  store<u64>(s, total + <u64>len, 32);
  let fill = <usize>(total & 63);
  let off: usize = 0;
  if (fill != 0) {
    const take = min<usize>(64 - fill, n);
    memory.copy(s + BUF + fill, p, take);
    off = take;
    if (fill + take < 64) return 0;
    loadH(s);
    compress(s + BUF);
  } else {
    if (n < 64) { memory.copy(s + BUF, p, n); return 0; }
    loadH(s);
  }
  while (n - off >= 64) { compress(p + off); off += 64; }
  memory.copy(s + BUF, p + off, n - off);
  saveH(s);
  return 0;
}

/** Pads, writes the 32-byte digest to out, and marks the hasher finalised (it must still be freed). */
export function sha256Final(s: usize, out: usize): i32 {
  if (!live(s)) return BAD_HANDLE;
  if (load<u32>(s, 44) != 0) return FINALISED;
  if (!inMemory(out, 32)) return OUT_OF_RANGE;
  const total = load<u64>(s, 32);
  const rest = <usize>(total & 63);
  memory.copy(TAIL, s + BUF, rest);
  store<u8>(TAIL + rest, 0x80);
  const padded: usize = rest < 56 ? 64 : 128;
  memory.fill(TAIL + rest + 1, 0, padded - rest - 9);
  // FIPS 180-4 §5.1.1: the message length in bits as a 64-bit big-endian integer (modulo 2^64).
  store<u64>(TAIL + padded - 8, bswap<u64>(total << 3));
  loadH(s);
  compress(TAIL);
  if (padded == 128) compress(TAIL + 64);
  store<u32>(out, bswap<u32>(h0)); store<u32>(out + 4, bswap<u32>(h1));
  store<u32>(out + 8, bswap<u32>(h2)); store<u32>(out + 12, bswap<u32>(h3));
  store<u32>(out + 16, bswap<u32>(h4)); store<u32>(out + 20, bswap<u32>(h5));
  store<u32>(out + 24, bswap<u32>(h6)); store<u32>(out + 28, bswap<u32>(h7));
  store<u32>(s, 1, 44);
  return 0;
}

// Portable state (what a service stores to resume a hash elsewhere, by another build or on another machine):
// H0..H7 big-endian (32 bytes) · total length in bytes, u64 big-endian (8) · the pending total % 64 bytes.
// 40 to 103 bytes.

/** Writes the portable state to out (room for 104 bytes); returns its length, or a negative result. */
export function sha256Save(s: usize, out: usize): i32 {
  if (!live(s)) return BAD_HANDLE;
  if (load<u32>(s, 44) != 0) return FINALISED;
  const total = load<u64>(s, 32);
  const rest = <i32>(total & 63);
  if (!inMemory(out, <usize>(40 + rest))) return OUT_OF_RANGE;
  for (let i: usize = 0; i < 32; i += 4) store<u32>(out + i, bswap<u32>(load<u32>(s + i)));
  store<u64>(out + 32, bswap<u64>(total));
  memory.copy(out + 40, s + BUF, <usize>rest);
  return 40 + rest;
}

/** Sets hasher `s` to a portable state read from [p, p + len); BAD_STATE when len does not fit its length. */
export function sha256Load(s: usize, p: usize, len: u32): i32 {
  if (!live(s)) return BAD_HANDLE;
  if (!inMemory(p, <usize>len)) return OUT_OF_RANGE;
  if (len < 40) return BAD_STATE;
  const total = bswap<u64>(load<u64>(p + 32));
  const rest = <usize>(total & 63);
  if (<usize>len != 40 + rest) return BAD_STATE;
  for (let i: usize = 0; i < 32; i += 4) store<u32>(s + i, bswap<u32>(load<u32>(p + i)));
  store<u64>(s, total, 32);
  store<u32>(s, 0, 44);
  memory.copy(s + BUF, p + 40, rest);
  return 0;
}
