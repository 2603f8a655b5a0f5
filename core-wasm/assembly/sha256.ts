// SHA-256 (FIPS 180-4) over linear memory, plus a batch form that hashes many messages in one call.
import { digest4 } from './sha256x4';

const TAIL = memory.data(128);

let h0: u32, h1: u32, h2: u32, h3: u32, h4: u32, h5: u32, h6: u32, h7: u32;

function init(): void {
  h0 = 0x6a09e667; h1 = 0xbb67ae85; h2 = 0x3c6ef372; h3 = 0xa54ff53a;
  h4 = 0x510e527f; h5 = 0x9b05688c; h6 = 0x1f83d9ab; h7 = 0x5be0cd19;
}

// @ts-ignore: decorator
@inline function ld(p: usize): u32 { return bswap<u32>(load<u32>(p)); }

// @ts-ignore: decorator
@inline function S0(x: u32): u32 { return rotr<u32>(x, 2) ^ rotr<u32>(x, 13) ^ rotr<u32>(x, 22); }
// @ts-ignore: decorator
@inline function S1(x: u32): u32 { return rotr<u32>(x, 6) ^ rotr<u32>(x, 11) ^ rotr<u32>(x, 25); }
// @ts-ignore: decorator
@inline function s0(x: u32): u32 { return rotr<u32>(x, 7) ^ rotr<u32>(x, 18) ^ (x >>> 3); }
// @ts-ignore: decorator
@inline function s1(x: u32): u32 { return rotr<u32>(x, 17) ^ rotr<u32>(x, 19) ^ (x >>> 10); }
// @ts-ignore: decorator
@inline function ch(x: u32, y: u32, z: u32): u32 { return z ^ (x & (y ^ z)); }
// @ts-ignore: decorator
@inline function maj(x: u32, y: u32, z: u32): u32 { return (x & y) | (z & (x | y)); }

// FIPS 180-4 §6.2.2 fully unrolled: the 16 message words and the state stay in locals (registers), K inline;
// round i uses state names rotated by i, so no moves between rounds.
function compress(p: usize): void {
  let a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
  let w0 = ld(p + 0);
  let w1 = ld(p + 4);
  let w2 = ld(p + 8);
  let w3 = ld(p + 12);
  let w4 = ld(p + 16);
  let w5 = ld(p + 20);
  let w6 = ld(p + 24);
  let w7 = ld(p + 28);
  let w8 = ld(p + 32);
  let w9 = ld(p + 36);
  let w10 = ld(p + 40);
  let w11 = ld(p + 44);
  let w12 = ld(p + 48);
  let w13 = ld(p + 52);
  let w14 = ld(p + 56);
  let w15 = ld(p + 60);
  let t: u32;
  t = h + S1(e) + ch(e, f, g) + 0x428a2f98 + w0; d += t; h = t + S0(a) + maj(a, b, c);
  t = g + S1(d) + ch(d, e, f) + 0x71374491 + w1; c += t; g = t + S0(h) + maj(h, a, b);
  t = f + S1(c) + ch(c, d, e) + 0xb5c0fbcf + w2; b += t; f = t + S0(g) + maj(g, h, a);
  t = e + S1(b) + ch(b, c, d) + 0xe9b5dba5 + w3; a += t; e = t + S0(f) + maj(f, g, h);
  t = d + S1(a) + ch(a, b, c) + 0x3956c25b + w4; h += t; d = t + S0(e) + maj(e, f, g);
  t = c + S1(h) + ch(h, a, b) + 0x59f111f1 + w5; g += t; c = t + S0(d) + maj(d, e, f);
  t = b + S1(g) + ch(g, h, a) + 0x923f82a4 + w6; f += t; b = t + S0(c) + maj(c, d, e);
  t = a + S1(f) + ch(f, g, h) + 0xab1c5ed5 + w7; e += t; a = t + S0(b) + maj(b, c, d);
  t = h + S1(e) + ch(e, f, g) + 0xd807aa98 + w8; d += t; h = t + S0(a) + maj(a, b, c);
  t = g + S1(d) + ch(d, e, f) + 0x12835b01 + w9; c += t; g = t + S0(h) + maj(h, a, b);
  t = f + S1(c) + ch(c, d, e) + 0x243185be + w10; b += t; f = t + S0(g) + maj(g, h, a);
  t = e + S1(b) + ch(b, c, d) + 0x550c7dc3 + w11; a += t; e = t + S0(f) + maj(f, g, h);
  t = d + S1(a) + ch(a, b, c) + 0x72be5d74 + w12; h += t; d = t + S0(e) + maj(e, f, g);
  t = c + S1(h) + ch(h, a, b) + 0x80deb1fe + w13; g += t; c = t + S0(d) + maj(d, e, f);
  t = b + S1(g) + ch(g, h, a) + 0x9bdc06a7 + w14; f += t; b = t + S0(c) + maj(c, d, e);
  t = a + S1(f) + ch(f, g, h) + 0xc19bf174 + w15; e += t; a = t + S0(b) + maj(b, c, d);
  w0 += s1(w14) + w9 + s0(w1);
  t = h + S1(e) + ch(e, f, g) + 0xe49b69c1 + w0; d += t; h = t + S0(a) + maj(a, b, c);
  w1 += s1(w15) + w10 + s0(w2);
  t = g + S1(d) + ch(d, e, f) + 0xefbe4786 + w1; c += t; g = t + S0(h) + maj(h, a, b);
  w2 += s1(w0) + w11 + s0(w3);
  t = f + S1(c) + ch(c, d, e) + 0x0fc19dc6 + w2; b += t; f = t + S0(g) + maj(g, h, a);
  w3 += s1(w1) + w12 + s0(w4);
  t = e + S1(b) + ch(b, c, d) + 0x240ca1cc + w3; a += t; e = t + S0(f) + maj(f, g, h);
  w4 += s1(w2) + w13 + s0(w5);
  t = d + S1(a) + ch(a, b, c) + 0x2de92c6f + w4; h += t; d = t + S0(e) + maj(e, f, g);
  w5 += s1(w3) + w14 + s0(w6);
  t = c + S1(h) + ch(h, a, b) + 0x4a7484aa + w5; g += t; c = t + S0(d) + maj(d, e, f);
  w6 += s1(w4) + w15 + s0(w7);
  t = b + S1(g) + ch(g, h, a) + 0x5cb0a9dc + w6; f += t; b = t + S0(c) + maj(c, d, e);
  w7 += s1(w5) + w0 + s0(w8);
  t = a + S1(f) + ch(f, g, h) + 0x76f988da + w7; e += t; a = t + S0(b) + maj(b, c, d);
  w8 += s1(w6) + w1 + s0(w9);
  t = h + S1(e) + ch(e, f, g) + 0x983e5152 + w8; d += t; h = t + S0(a) + maj(a, b, c);
  w9 += s1(w7) + w2 + s0(w10);
  t = g + S1(d) + ch(d, e, f) + 0xa831c66d + w9; c += t; g = t + S0(h) + maj(h, a, b);
  w10 += s1(w8) + w3 + s0(w11);
  t = f + S1(c) + ch(c, d, e) + 0xb00327c8 + w10; b += t; f = t + S0(g) + maj(g, h, a);
  w11 += s1(w9) + w4 + s0(w12);
  t = e + S1(b) + ch(b, c, d) + 0xbf597fc7 + w11; a += t; e = t + S0(f) + maj(f, g, h);
  w12 += s1(w10) + w5 + s0(w13);
  t = d + S1(a) + ch(a, b, c) + 0xc6e00bf3 + w12; h += t; d = t + S0(e) + maj(e, f, g);
  w13 += s1(w11) + w6 + s0(w14);
  t = c + S1(h) + ch(h, a, b) + 0xd5a79147 + w13; g += t; c = t + S0(d) + maj(d, e, f);
  w14 += s1(w12) + w7 + s0(w15);
  t = b + S1(g) + ch(g, h, a) + 0x06ca6351 + w14; f += t; b = t + S0(c) + maj(c, d, e);
  w15 += s1(w13) + w8 + s0(w0);
  t = a + S1(f) + ch(f, g, h) + 0x14292967 + w15; e += t; a = t + S0(b) + maj(b, c, d);
  w0 += s1(w14) + w9 + s0(w1);
  t = h + S1(e) + ch(e, f, g) + 0x27b70a85 + w0; d += t; h = t + S0(a) + maj(a, b, c);
  w1 += s1(w15) + w10 + s0(w2);
  t = g + S1(d) + ch(d, e, f) + 0x2e1b2138 + w1; c += t; g = t + S0(h) + maj(h, a, b);
  w2 += s1(w0) + w11 + s0(w3);
  t = f + S1(c) + ch(c, d, e) + 0x4d2c6dfc + w2; b += t; f = t + S0(g) + maj(g, h, a);
  w3 += s1(w1) + w12 + s0(w4);
  t = e + S1(b) + ch(b, c, d) + 0x53380d13 + w3; a += t; e = t + S0(f) + maj(f, g, h);
  w4 += s1(w2) + w13 + s0(w5);
  t = d + S1(a) + ch(a, b, c) + 0x650a7354 + w4; h += t; d = t + S0(e) + maj(e, f, g);
  w5 += s1(w3) + w14 + s0(w6);
  t = c + S1(h) + ch(h, a, b) + 0x766a0abb + w5; g += t; c = t + S0(d) + maj(d, e, f);
  w6 += s1(w4) + w15 + s0(w7);
  t = b + S1(g) + ch(g, h, a) + 0x81c2c92e + w6; f += t; b = t + S0(c) + maj(c, d, e);
  w7 += s1(w5) + w0 + s0(w8);
  t = a + S1(f) + ch(f, g, h) + 0x92722c85 + w7; e += t; a = t + S0(b) + maj(b, c, d);
  w8 += s1(w6) + w1 + s0(w9);
  t = h + S1(e) + ch(e, f, g) + 0xa2bfe8a1 + w8; d += t; h = t + S0(a) + maj(a, b, c);
  w9 += s1(w7) + w2 + s0(w10);
  t = g + S1(d) + ch(d, e, f) + 0xa81a664b + w9; c += t; g = t + S0(h) + maj(h, a, b);
  w10 += s1(w8) + w3 + s0(w11);
  t = f + S1(c) + ch(c, d, e) + 0xc24b8b70 + w10; b += t; f = t + S0(g) + maj(g, h, a);
  w11 += s1(w9) + w4 + s0(w12);
  t = e + S1(b) + ch(b, c, d) + 0xc76c51a3 + w11; a += t; e = t + S0(f) + maj(f, g, h);
  w12 += s1(w10) + w5 + s0(w13);
  t = d + S1(a) + ch(a, b, c) + 0xd192e819 + w12; h += t; d = t + S0(e) + maj(e, f, g);
  w13 += s1(w11) + w6 + s0(w14);
  t = c + S1(h) + ch(h, a, b) + 0xd6990624 + w13; g += t; c = t + S0(d) + maj(d, e, f);
  w14 += s1(w12) + w7 + s0(w15);
  t = b + S1(g) + ch(g, h, a) + 0xf40e3585 + w14; f += t; b = t + S0(c) + maj(c, d, e);
  w15 += s1(w13) + w8 + s0(w0);
  t = a + S1(f) + ch(f, g, h) + 0x106aa070 + w15; e += t; a = t + S0(b) + maj(b, c, d);
  w0 += s1(w14) + w9 + s0(w1);
  t = h + S1(e) + ch(e, f, g) + 0x19a4c116 + w0; d += t; h = t + S0(a) + maj(a, b, c);
  w1 += s1(w15) + w10 + s0(w2);
  t = g + S1(d) + ch(d, e, f) + 0x1e376c08 + w1; c += t; g = t + S0(h) + maj(h, a, b);
  w2 += s1(w0) + w11 + s0(w3);
  t = f + S1(c) + ch(c, d, e) + 0x2748774c + w2; b += t; f = t + S0(g) + maj(g, h, a);
  w3 += s1(w1) + w12 + s0(w4);
  t = e + S1(b) + ch(b, c, d) + 0x34b0bcb5 + w3; a += t; e = t + S0(f) + maj(f, g, h);
  w4 += s1(w2) + w13 + s0(w5);
  t = d + S1(a) + ch(a, b, c) + 0x391c0cb3 + w4; h += t; d = t + S0(e) + maj(e, f, g);
  w5 += s1(w3) + w14 + s0(w6);
  t = c + S1(h) + ch(h, a, b) + 0x4ed8aa4a + w5; g += t; c = t + S0(d) + maj(d, e, f);
  w6 += s1(w4) + w15 + s0(w7);
  t = b + S1(g) + ch(g, h, a) + 0x5b9cca4f + w6; f += t; b = t + S0(c) + maj(c, d, e);
  w7 += s1(w5) + w0 + s0(w8);
  t = a + S1(f) + ch(f, g, h) + 0x682e6ff3 + w7; e += t; a = t + S0(b) + maj(b, c, d);
  w8 += s1(w6) + w1 + s0(w9);
  t = h + S1(e) + ch(e, f, g) + 0x748f82ee + w8; d += t; h = t + S0(a) + maj(a, b, c);
  w9 += s1(w7) + w2 + s0(w10);
  t = g + S1(d) + ch(d, e, f) + 0x78a5636f + w9; c += t; g = t + S0(h) + maj(h, a, b);
  w10 += s1(w8) + w3 + s0(w11);
  t = f + S1(c) + ch(c, d, e) + 0x84c87814 + w10; b += t; f = t + S0(g) + maj(g, h, a);
  w11 += s1(w9) + w4 + s0(w12);
  t = e + S1(b) + ch(b, c, d) + 0x8cc70208 + w11; a += t; e = t + S0(f) + maj(f, g, h);
  w12 += s1(w10) + w5 + s0(w13);
  t = d + S1(a) + ch(a, b, c) + 0x90befffa + w12; h += t; d = t + S0(e) + maj(e, f, g);
  w13 += s1(w11) + w6 + s0(w14);
  t = c + S1(h) + ch(h, a, b) + 0xa4506ceb + w13; g += t; c = t + S0(d) + maj(d, e, f);
  w14 += s1(w12) + w7 + s0(w15);
  t = b + S1(g) + ch(g, h, a) + 0xbef9a3f7 + w14; f += t; b = t + S0(c) + maj(c, d, e);
  w15 += s1(w13) + w8 + s0(w0);
  t = a + S1(f) + ch(f, g, h) + 0xc67178f2 + w15; e += t; a = t + S0(b) + maj(b, c, d);
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
