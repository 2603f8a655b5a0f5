// SHA-256 of four equal-length messages at once: each v128 lane carries one message's state (FIPS 180-4).
// Used by sha256Batch, where many small messages of the same size are common (leaves, cache keys).

const TAIL4 = memory.data(512);
let g0: v128, g1: v128, g2: v128, g3: v128, g4: v128, g5: v128, g6: v128, g7: v128;

// @ts-ignore: decorator
@inline function rot(x: v128, n: i32): v128 { return v128.or(i32x4.shr_u(x, n), i32x4.shl(x, 32 - n)); }
// @ts-ignore: decorator
@inline function S0(x: v128): v128 { return v128.xor(v128.xor(rot(x, 2), rot(x, 13)), rot(x, 22)); }
// @ts-ignore: decorator
@inline function S1(x: v128): v128 { return v128.xor(v128.xor(rot(x, 6), rot(x, 11)), rot(x, 25)); }
// @ts-ignore: decorator
@inline function s0(x: v128): v128 { return v128.xor(v128.xor(rot(x, 7), rot(x, 18)), i32x4.shr_u(x, 3)); }
// @ts-ignore: decorator
@inline function s1(x: v128): v128 { return v128.xor(v128.xor(rot(x, 17), rot(x, 19)), i32x4.shr_u(x, 10)); }
// @ts-ignore: decorator
@inline function ch(x: v128, y: v128, z: v128): v128 { return v128.xor(z, v128.and(x, v128.xor(y, z))); }
// @ts-ignore: decorator
@inline function maj(x: v128, y: v128, z: v128): v128 { return v128.or(v128.and(x, y), v128.and(z, v128.or(x, y))); }
// @ts-ignore: decorator
@inline function add(a: v128, b: v128): v128 { return i32x4.add(a, b); }

// Word j of four blocks, big-endian, one per lane.
// @ts-ignore: decorator
@inline function gather(p0: usize, p1: usize, p2: usize, p3: usize, o: usize): v128 {
  let v = i32x4.splat(bswap<u32>(load<u32>(p0 + o)));
  v = i32x4.replace_lane(v, 1, bswap<u32>(load<u32>(p1 + o)));
  v = i32x4.replace_lane(v, 2, bswap<u32>(load<u32>(p2 + o)));
  return i32x4.replace_lane(v, 3, bswap<u32>(load<u32>(p3 + o)));
}

function compress4(p0: usize, p1: usize, p2: usize, p3: usize): void {
  let a = g0, b = g1, c = g2, d = g3, e = g4, f = g5, g = g6, h = g7;
  let w0 = gather(p0, p1, p2, p3, 0);
  let w1 = gather(p0, p1, p2, p3, 4);
  let w2 = gather(p0, p1, p2, p3, 8);
  let w3 = gather(p0, p1, p2, p3, 12);
  let w4 = gather(p0, p1, p2, p3, 16);
  let w5 = gather(p0, p1, p2, p3, 20);
  let w6 = gather(p0, p1, p2, p3, 24);
  let w7 = gather(p0, p1, p2, p3, 28);
  let w8 = gather(p0, p1, p2, p3, 32);
  let w9 = gather(p0, p1, p2, p3, 36);
  let w10 = gather(p0, p1, p2, p3, 40);
  let w11 = gather(p0, p1, p2, p3, 44);
  let w12 = gather(p0, p1, p2, p3, 48);
  let w13 = gather(p0, p1, p2, p3, 52);
  let w14 = gather(p0, p1, p2, p3, 56);
  let w15 = gather(p0, p1, p2, p3, 60);
  let t: v128;
  t = add(add(h, S1(e)), add(add(ch(e, f, g), i32x4.splat(0x428a2f98)), w0)); d = add(d, t); h = add(t, add(S0(a), maj(a, b, c)));
  t = add(add(g, S1(d)), add(add(ch(d, e, f), i32x4.splat(0x71374491)), w1)); c = add(c, t); g = add(t, add(S0(h), maj(h, a, b)));
  t = add(add(f, S1(c)), add(add(ch(c, d, e), i32x4.splat(0xb5c0fbcf)), w2)); b = add(b, t); f = add(t, add(S0(g), maj(g, h, a)));
  t = add(add(e, S1(b)), add(add(ch(b, c, d), i32x4.splat(0xe9b5dba5)), w3)); a = add(a, t); e = add(t, add(S0(f), maj(f, g, h)));
  t = add(add(d, S1(a)), add(add(ch(a, b, c), i32x4.splat(0x3956c25b)), w4)); h = add(h, t); d = add(t, add(S0(e), maj(e, f, g)));
  t = add(add(c, S1(h)), add(add(ch(h, a, b), i32x4.splat(0x59f111f1)), w5)); g = add(g, t); c = add(t, add(S0(d), maj(d, e, f)));
  t = add(add(b, S1(g)), add(add(ch(g, h, a), i32x4.splat(0x923f82a4)), w6)); f = add(f, t); b = add(t, add(S0(c), maj(c, d, e)));
  t = add(add(a, S1(f)), add(add(ch(f, g, h), i32x4.splat(0xab1c5ed5)), w7)); e = add(e, t); a = add(t, add(S0(b), maj(b, c, d)));
  t = add(add(h, S1(e)), add(add(ch(e, f, g), i32x4.splat(0xd807aa98)), w8)); d = add(d, t); h = add(t, add(S0(a), maj(a, b, c)));
  t = add(add(g, S1(d)), add(add(ch(d, e, f), i32x4.splat(0x12835b01)), w9)); c = add(c, t); g = add(t, add(S0(h), maj(h, a, b)));
  t = add(add(f, S1(c)), add(add(ch(c, d, e), i32x4.splat(0x243185be)), w10)); b = add(b, t); f = add(t, add(S0(g), maj(g, h, a)));
  t = add(add(e, S1(b)), add(add(ch(b, c, d), i32x4.splat(0x550c7dc3)), w11)); a = add(a, t); e = add(t, add(S0(f), maj(f, g, h)));
  t = add(add(d, S1(a)), add(add(ch(a, b, c), i32x4.splat(0x72be5d74)), w12)); h = add(h, t); d = add(t, add(S0(e), maj(e, f, g)));
  t = add(add(c, S1(h)), add(add(ch(h, a, b), i32x4.splat(0x80deb1fe)), w13)); g = add(g, t); c = add(t, add(S0(d), maj(d, e, f)));
  t = add(add(b, S1(g)), add(add(ch(g, h, a), i32x4.splat(0x9bdc06a7)), w14)); f = add(f, t); b = add(t, add(S0(c), maj(c, d, e)));
  t = add(add(a, S1(f)), add(add(ch(f, g, h), i32x4.splat(0xc19bf174)), w15)); e = add(e, t); a = add(t, add(S0(b), maj(b, c, d)));
  w0 = add(add(w0, s1(w14)), add(w9, s0(w1)));
  t = add(add(h, S1(e)), add(add(ch(e, f, g), i32x4.splat(0xe49b69c1)), w0)); d = add(d, t); h = add(t, add(S0(a), maj(a, b, c)));
  w1 = add(add(w1, s1(w15)), add(w10, s0(w2)));
  t = add(add(g, S1(d)), add(add(ch(d, e, f), i32x4.splat(0xefbe4786)), w1)); c = add(c, t); g = add(t, add(S0(h), maj(h, a, b)));
  w2 = add(add(w2, s1(w0)), add(w11, s0(w3)));
  t = add(add(f, S1(c)), add(add(ch(c, d, e), i32x4.splat(0x0fc19dc6)), w2)); b = add(b, t); f = add(t, add(S0(g), maj(g, h, a)));
  w3 = add(add(w3, s1(w1)), add(w12, s0(w4)));
  t = add(add(e, S1(b)), add(add(ch(b, c, d), i32x4.splat(0x240ca1cc)), w3)); a = add(a, t); e = add(t, add(S0(f), maj(f, g, h)));
  w4 = add(add(w4, s1(w2)), add(w13, s0(w5)));
  t = add(add(d, S1(a)), add(add(ch(a, b, c), i32x4.splat(0x2de92c6f)), w4)); h = add(h, t); d = add(t, add(S0(e), maj(e, f, g)));
  w5 = add(add(w5, s1(w3)), add(w14, s0(w6)));
  t = add(add(c, S1(h)), add(add(ch(h, a, b), i32x4.splat(0x4a7484aa)), w5)); g = add(g, t); c = add(t, add(S0(d), maj(d, e, f)));
  w6 = add(add(w6, s1(w4)), add(w15, s0(w7)));
  t = add(add(b, S1(g)), add(add(ch(g, h, a), i32x4.splat(0x5cb0a9dc)), w6)); f = add(f, t); b = add(t, add(S0(c), maj(c, d, e)));
  w7 = add(add(w7, s1(w5)), add(w0, s0(w8)));
  t = add(add(a, S1(f)), add(add(ch(f, g, h), i32x4.splat(0x76f988da)), w7)); e = add(e, t); a = add(t, add(S0(b), maj(b, c, d)));
  w8 = add(add(w8, s1(w6)), add(w1, s0(w9)));
  t = add(add(h, S1(e)), add(add(ch(e, f, g), i32x4.splat(0x983e5152)), w8)); d = add(d, t); h = add(t, add(S0(a), maj(a, b, c)));
  w9 = add(add(w9, s1(w7)), add(w2, s0(w10)));
  t = add(add(g, S1(d)), add(add(ch(d, e, f), i32x4.splat(0xa831c66d)), w9)); c = add(c, t); g = add(t, add(S0(h), maj(h, a, b)));
  w10 = add(add(w10, s1(w8)), add(w3, s0(w11)));
  t = add(add(f, S1(c)), add(add(ch(c, d, e), i32x4.splat(0xb00327c8)), w10)); b = add(b, t); f = add(t, add(S0(g), maj(g, h, a)));
  w11 = add(add(w11, s1(w9)), add(w4, s0(w12)));
  t = add(add(e, S1(b)), add(add(ch(b, c, d), i32x4.splat(0xbf597fc7)), w11)); a = add(a, t); e = add(t, add(S0(f), maj(f, g, h)));
  w12 = add(add(w12, s1(w10)), add(w5, s0(w13)));
  t = add(add(d, S1(a)), add(add(ch(a, b, c), i32x4.splat(0xc6e00bf3)), w12)); h = add(h, t); d = add(t, add(S0(e), maj(e, f, g)));
  w13 = add(add(w13, s1(w11)), add(w6, s0(w14)));
  t = add(add(c, S1(h)), add(add(ch(h, a, b), i32x4.splat(0xd5a79147)), w13)); g = add(g, t); c = add(t, add(S0(d), maj(d, e, f)));
  w14 = add(add(w14, s1(w12)), add(w7, s0(w15)));
  t = add(add(b, S1(g)), add(add(ch(g, h, a), i32x4.splat(0x06ca6351)), w14)); f = add(f, t); b = add(t, add(S0(c), maj(c, d, e)));
  w15 = add(add(w15, s1(w13)), add(w8, s0(w0)));
  t = add(add(a, S1(f)), add(add(ch(f, g, h), i32x4.splat(0x14292967)), w15)); e = add(e, t); a = add(t, add(S0(b), maj(b, c, d)));
  w0 = add(add(w0, s1(w14)), add(w9, s0(w1)));
  t = add(add(h, S1(e)), add(add(ch(e, f, g), i32x4.splat(0x27b70a85)), w0)); d = add(d, t); h = add(t, add(S0(a), maj(a, b, c)));
  w1 = add(add(w1, s1(w15)), add(w10, s0(w2)));
  t = add(add(g, S1(d)), add(add(ch(d, e, f), i32x4.splat(0x2e1b2138)), w1)); c = add(c, t); g = add(t, add(S0(h), maj(h, a, b)));
  w2 = add(add(w2, s1(w0)), add(w11, s0(w3)));
  t = add(add(f, S1(c)), add(add(ch(c, d, e), i32x4.splat(0x4d2c6dfc)), w2)); b = add(b, t); f = add(t, add(S0(g), maj(g, h, a)));
  w3 = add(add(w3, s1(w1)), add(w12, s0(w4)));
  t = add(add(e, S1(b)), add(add(ch(b, c, d), i32x4.splat(0x53380d13)), w3)); a = add(a, t); e = add(t, add(S0(f), maj(f, g, h)));
  w4 = add(add(w4, s1(w2)), add(w13, s0(w5)));
  t = add(add(d, S1(a)), add(add(ch(a, b, c), i32x4.splat(0x650a7354)), w4)); h = add(h, t); d = add(t, add(S0(e), maj(e, f, g)));
  w5 = add(add(w5, s1(w3)), add(w14, s0(w6)));
  t = add(add(c, S1(h)), add(add(ch(h, a, b), i32x4.splat(0x766a0abb)), w5)); g = add(g, t); c = add(t, add(S0(d), maj(d, e, f)));
  w6 = add(add(w6, s1(w4)), add(w15, s0(w7)));
  t = add(add(b, S1(g)), add(add(ch(g, h, a), i32x4.splat(0x81c2c92e)), w6)); f = add(f, t); b = add(t, add(S0(c), maj(c, d, e)));
  w7 = add(add(w7, s1(w5)), add(w0, s0(w8)));
  t = add(add(a, S1(f)), add(add(ch(f, g, h), i32x4.splat(0x92722c85)), w7)); e = add(e, t); a = add(t, add(S0(b), maj(b, c, d)));
  w8 = add(add(w8, s1(w6)), add(w1, s0(w9)));
  t = add(add(h, S1(e)), add(add(ch(e, f, g), i32x4.splat(0xa2bfe8a1)), w8)); d = add(d, t); h = add(t, add(S0(a), maj(a, b, c)));
  w9 = add(add(w9, s1(w7)), add(w2, s0(w10)));
  t = add(add(g, S1(d)), add(add(ch(d, e, f), i32x4.splat(0xa81a664b)), w9)); c = add(c, t); g = add(t, add(S0(h), maj(h, a, b)));
  w10 = add(add(w10, s1(w8)), add(w3, s0(w11)));
  t = add(add(f, S1(c)), add(add(ch(c, d, e), i32x4.splat(0xc24b8b70)), w10)); b = add(b, t); f = add(t, add(S0(g), maj(g, h, a)));
  w11 = add(add(w11, s1(w9)), add(w4, s0(w12)));
  t = add(add(e, S1(b)), add(add(ch(b, c, d), i32x4.splat(0xc76c51a3)), w11)); a = add(a, t); e = add(t, add(S0(f), maj(f, g, h)));
  w12 = add(add(w12, s1(w10)), add(w5, s0(w13)));
  t = add(add(d, S1(a)), add(add(ch(a, b, c), i32x4.splat(0xd192e819)), w12)); h = add(h, t); d = add(t, add(S0(e), maj(e, f, g)));
  w13 = add(add(w13, s1(w11)), add(w6, s0(w14)));
  t = add(add(c, S1(h)), add(add(ch(h, a, b), i32x4.splat(0xd6990624)), w13)); g = add(g, t); c = add(t, add(S0(d), maj(d, e, f)));
  w14 = add(add(w14, s1(w12)), add(w7, s0(w15)));
  t = add(add(b, S1(g)), add(add(ch(g, h, a), i32x4.splat(0xf40e3585)), w14)); f = add(f, t); b = add(t, add(S0(c), maj(c, d, e)));
  w15 = add(add(w15, s1(w13)), add(w8, s0(w0)));
  t = add(add(a, S1(f)), add(add(ch(f, g, h), i32x4.splat(0x106aa070)), w15)); e = add(e, t); a = add(t, add(S0(b), maj(b, c, d)));
  w0 = add(add(w0, s1(w14)), add(w9, s0(w1)));
  t = add(add(h, S1(e)), add(add(ch(e, f, g), i32x4.splat(0x19a4c116)), w0)); d = add(d, t); h = add(t, add(S0(a), maj(a, b, c)));
  w1 = add(add(w1, s1(w15)), add(w10, s0(w2)));
  t = add(add(g, S1(d)), add(add(ch(d, e, f), i32x4.splat(0x1e376c08)), w1)); c = add(c, t); g = add(t, add(S0(h), maj(h, a, b)));
  w2 = add(add(w2, s1(w0)), add(w11, s0(w3)));
  t = add(add(f, S1(c)), add(add(ch(c, d, e), i32x4.splat(0x2748774c)), w2)); b = add(b, t); f = add(t, add(S0(g), maj(g, h, a)));
  w3 = add(add(w3, s1(w1)), add(w12, s0(w4)));
  t = add(add(e, S1(b)), add(add(ch(b, c, d), i32x4.splat(0x34b0bcb5)), w3)); a = add(a, t); e = add(t, add(S0(f), maj(f, g, h)));
  w4 = add(add(w4, s1(w2)), add(w13, s0(w5)));
  t = add(add(d, S1(a)), add(add(ch(a, b, c), i32x4.splat(0x391c0cb3)), w4)); h = add(h, t); d = add(t, add(S0(e), maj(e, f, g)));
  w5 = add(add(w5, s1(w3)), add(w14, s0(w6)));
  t = add(add(c, S1(h)), add(add(ch(h, a, b), i32x4.splat(0x4ed8aa4a)), w5)); g = add(g, t); c = add(t, add(S0(d), maj(d, e, f)));
  w6 = add(add(w6, s1(w4)), add(w15, s0(w7)));
  t = add(add(b, S1(g)), add(add(ch(g, h, a), i32x4.splat(0x5b9cca4f)), w6)); f = add(f, t); b = add(t, add(S0(c), maj(c, d, e)));
  w7 = add(add(w7, s1(w5)), add(w0, s0(w8)));
  t = add(add(a, S1(f)), add(add(ch(f, g, h), i32x4.splat(0x682e6ff3)), w7)); e = add(e, t); a = add(t, add(S0(b), maj(b, c, d)));
  w8 = add(add(w8, s1(w6)), add(w1, s0(w9)));
  t = add(add(h, S1(e)), add(add(ch(e, f, g), i32x4.splat(0x748f82ee)), w8)); d = add(d, t); h = add(t, add(S0(a), maj(a, b, c)));
  w9 = add(add(w9, s1(w7)), add(w2, s0(w10)));
  t = add(add(g, S1(d)), add(add(ch(d, e, f), i32x4.splat(0x78a5636f)), w9)); c = add(c, t); g = add(t, add(S0(h), maj(h, a, b)));
  w10 = add(add(w10, s1(w8)), add(w3, s0(w11)));
  t = add(add(f, S1(c)), add(add(ch(c, d, e), i32x4.splat(0x84c87814)), w10)); b = add(b, t); f = add(t, add(S0(g), maj(g, h, a)));
  w11 = add(add(w11, s1(w9)), add(w4, s0(w12)));
  t = add(add(e, S1(b)), add(add(ch(b, c, d), i32x4.splat(0x8cc70208)), w11)); a = add(a, t); e = add(t, add(S0(f), maj(f, g, h)));
  w12 = add(add(w12, s1(w10)), add(w5, s0(w13)));
  t = add(add(d, S1(a)), add(add(ch(a, b, c), i32x4.splat(0x90befffa)), w12)); h = add(h, t); d = add(t, add(S0(e), maj(e, f, g)));
  w13 = add(add(w13, s1(w11)), add(w6, s0(w14)));
  t = add(add(c, S1(h)), add(add(ch(h, a, b), i32x4.splat(0xa4506ceb)), w13)); g = add(g, t); c = add(t, add(S0(d), maj(d, e, f)));
  w14 = add(add(w14, s1(w12)), add(w7, s0(w15)));
  t = add(add(b, S1(g)), add(add(ch(g, h, a), i32x4.splat(0xbef9a3f7)), w14)); f = add(f, t); b = add(t, add(S0(c), maj(c, d, e)));
  w15 = add(add(w15, s1(w13)), add(w8, s0(w0)));
  t = add(add(a, S1(f)), add(add(ch(f, g, h), i32x4.splat(0xc67178f2)), w15)); e = add(e, t); a = add(t, add(S0(b), maj(b, c, d)));
  g0 = add(g0, a); g1 = add(g1, b); g2 = add(g2, c); g3 = add(g3, d);
  g4 = add(g4, e); g5 = add(g5, f); g6 = add(g6, g); g7 = add(g7, h);
}

function storeLane(out: usize, x: v128, j: usize): void {
  store<u32>(out + j * 4, bswap<u32>(i32x4.extract_lane(x, 0)));
  store<u32>(out + 32 + j * 4, bswap<u32>(i32x4.extract_lane(x, 1)));
  store<u32>(out + 64 + j * 4, bswap<u32>(i32x4.extract_lane(x, 2)));
  store<u32>(out + 96 + j * 4, bswap<u32>(i32x4.extract_lane(x, 3)));
}

/** Digests of four len-byte messages at p0..p3, written as four consecutive 32-byte digests at out. */
export function digest4(p0: usize, p1: usize, p2: usize, p3: usize, len: u32, out: usize): void {
  g0 = i32x4.splat(0x6a09e667);
  g1 = i32x4.splat(0xbb67ae85);
  g2 = i32x4.splat(0x3c6ef372);
  g3 = i32x4.splat(0xa54ff53a);
  g4 = i32x4.splat(0x510e527f);
  g5 = i32x4.splat(0x9b05688c);
  g6 = i32x4.splat(0x1f83d9ab);
  g7 = i32x4.splat(0x5be0cd19);
  let off: usize = 0;
  const full = <usize>(len & ~63);
  while (off < full) { compress4(p0 + off, p1 + off, p2 + off, p3 + off); off += 64; }
  const rest = <usize>len - off;
  const padded: usize = rest < 56 ? 64 : 128;
  for (let k: usize = 0; k < 4; k++) {
    const tail = TAIL4 + k * 128;
    memory.copy(tail, (k == 0 ? p0 : k == 1 ? p1 : k == 2 ? p2 : p3) + off, rest);
    store<u8>(tail + rest, 0x80);
    memory.fill(tail + rest + 1, 0, padded - rest - 9);
    store<u64>(tail + padded - 8, bswap<u64>(<u64>len << 3));
  }
  compress4(TAIL4, TAIL4 + 128, TAIL4 + 256, TAIL4 + 384);
  if (padded == 128) compress4(TAIL4 + 64, TAIL4 + 192, TAIL4 + 320, TAIL4 + 448);
  storeLane(out, g0, 0); storeLane(out, g1, 1); storeLane(out, g2, 2); storeLane(out, g3, 3);
  storeLane(out, g4, 4); storeLane(out, g5, 5); storeLane(out, g6, 6); storeLane(out, g7, 7);
}
