// SHA-512 (FIPS 180-4) over linear memory.

const K = memory.data<u64>([
  0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc, 0x3956c25bf348b538,
  0x59f111f1b605d019, 0x923f82a4af194f9b, 0xab1c5ed5da6d8118, 0xd807aa98a3030242, 0x12835b0145706fbe,
  0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2, 0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235,
  0xc19bf174cf692694, 0xe49b69c19ef14ad2, 0xefbe4786384f25e3, 0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65,
  0x2de92c6f592b0275, 0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5, 0x983e5152ee66dfab,
  0xa831c66d2db43210, 0xb00327c898fb213f, 0xbf597fc7beef0ee4, 0xc6e00bf33da88fc2, 0xd5a79147930aa725,
  0x06ca6351e003826f, 0x142929670a0e6e70, 0x27b70a8546d22ffc, 0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed,
  0x53380d139d95b3df, 0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6, 0x92722c851482353b,
  0xa2bfe8a14cf10364, 0xa81a664bbc423001, 0xc24b8b70d0f89791, 0xc76c51a30654be30, 0xd192e819d6ef5218,
  0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8, 0x19a4c116b8d2d0c8, 0x1e376c085141ab53,
  0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8, 0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb, 0x5b9cca4f7763e373,
  0x682e6ff3d6b2b8a3, 0x748f82ee5defb2fc, 0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
  0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915, 0xc67178f2e372532b, 0xca273eceea26619c,
  0xd186b8c721c0c207, 0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178, 0x06f067aa72176fba, 0x0a637dc5a2c898a6,
  0x113f9804bef90dae, 0x1b710b35131c471b, 0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc,
  0x431d67c49c100d4c, 0x4cc5d4becb3e42b6, 0x597f299cfc657e2a, 0x5fcb6fab3ad6faec, 0x6c44198c4a475817,
]);
// W[t] + K[t] for the current block: the schedule writes it, the rounds load one word each.
const WK = memory.data(640);
const TAIL = memory.data(256);

let h0: u64, h1: u64, h2: u64, h3: u64, h4: u64, h5: u64, h6: u64, h7: u64;

// @ts-ignore: decorator
@inline function S0(x: u64): u64 { return rotr<u64>(x, 28) ^ rotr<u64>(x, 34) ^ rotr<u64>(x, 39); }
// @ts-ignore: decorator
@inline function S1(x: u64): u64 { return rotr<u64>(x, 14) ^ rotr<u64>(x, 18) ^ rotr<u64>(x, 41); }
// @ts-ignore: decorator
@inline function ch(x: u64, y: u64, z: u64): u64 { return z ^ (x & (y ^ z)); }
// @ts-ignore: decorator
@inline function vrot(x: v128, n: i32): v128 { return v128.or(i64x2.shr_u(x, n), i64x2.shl(x, 64 - n)); }
// @ts-ignore: decorator
@inline function vs0(x: v128): v128 { return v128.xor(v128.xor(vrot(x, 1), vrot(x, 8)), i64x2.shr_u(x, 7)); }
// @ts-ignore: decorator
@inline function vs1(x: v128): v128 { return v128.xor(v128.xor(vrot(x, 19), vrot(x, 61)), i64x2.shr_u(x, 6)); }

// Two schedule words per v128 (FIPS 180-4 §6.4.2 step 1): σ1 of W[t-2..t-1] is already known for W[t..t+1].
// The 16-word window lives in eight v128 locals; only W+K goes to memory.
// @ts-ignore: decorator
@inline function step(x0: v128, x1: v128, x4: v128, x5: v128, x7: v128, k: usize): v128 {
  const v = i64x2.add(i64x2.add(x0, vs0(i64x2.shuffle(x0, x1, 1, 2))), i64x2.add(i64x2.shuffle(x4, x5, 1, 2), vs1(x7)));
  v128.store(WK + k, i64x2.add(v, v128.load(K + k)));
  return v;
}

// @ts-ignore: decorator
@inline function bigEndian(p: usize, k: usize): v128 {
  const w = i8x16.swizzle(v128.load(p + k), i8x16(7, 6, 5, 4, 3, 2, 1, 0, 15, 14, 13, 12, 11, 10, 9, 8));
  v128.store(WK + k, i64x2.add(w, v128.load(K + k)));
  return w;
}

// FIPS 180-4 §6.4.2, eight rounds per iteration with state names rotated, so no moves between rounds;
// Maj(a,b,c) = ((a^b) & (b^c)) ^ b with this round's a^b reused as the next round's b^c.
function compress(p: usize): void {
  let x0 = bigEndian(p, 0), x1 = bigEndian(p, 16), x2 = bigEndian(p, 32), x3 = bigEndian(p, 48);
  let x4 = bigEndian(p, 64), x5 = bigEndian(p, 80), x6 = bigEndian(p, 96), x7 = bigEndian(p, 112);
  for (let k: usize = 128; k < 640; k += 128) {
    x0 = step(x0, x1, x4, x5, x7, k);
    x1 = step(x1, x2, x5, x6, x0, k + 16);
    x2 = step(x2, x3, x6, x7, x1, k + 32);
    x3 = step(x3, x4, x7, x0, x2, k + 48);
    x4 = step(x4, x5, x0, x1, x3, k + 64);
    x5 = step(x5, x6, x1, x2, x4, k + 80);
    x6 = step(x6, x7, x2, x3, x5, k + 96);
    x7 = step(x7, x0, x3, x4, x6, k + 112);
  }
  let a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
  let t: u64, y: u64, x = b ^ c;
  for (let q = WK; q < WK + 640; q += 64) {
    t = h + load<u64>(q, 0) + ch(e, f, g) + S1(e); d += t; y = a ^ b; h = t + S0(a) + ((x & y) ^ b);
    t = g + load<u64>(q, 8) + ch(d, e, f) + S1(d); c += t; x = h ^ a; g = t + S0(h) + ((y & x) ^ a);
    t = f + load<u64>(q, 16) + ch(c, d, e) + S1(c); b += t; y = g ^ h; f = t + S0(g) + ((x & y) ^ h);
    t = e + load<u64>(q, 24) + ch(b, c, d) + S1(b); a += t; x = f ^ g; e = t + S0(f) + ((y & x) ^ g);
    t = d + load<u64>(q, 32) + ch(a, b, c) + S1(a); h += t; y = e ^ f; d = t + S0(e) + ((x & y) ^ f);
    t = c + load<u64>(q, 40) + ch(h, a, b) + S1(h); g += t; x = d ^ e; c = t + S0(d) + ((y & x) ^ e);
    t = b + load<u64>(q, 48) + ch(g, h, a) + S1(g); f += t; y = c ^ d; b = t + S0(c) + ((x & y) ^ d);
    t = a + load<u64>(q, 56) + ch(f, g, h) + S1(f); e += t; x = b ^ c; a = t + S0(b) + ((y & x) ^ c);
  }
  h0 += a; h1 += b; h2 += c; h3 += d; h4 += e; h5 += f; h6 += g; h7 += h;
}

export function sha512(p: usize, len: u32, out: usize): void {
  h0 = 0x6a09e667f3bcc908; h1 = 0xbb67ae8584caa73b; h2 = 0x3c6ef372fe94f82b; h3 = 0xa54ff53a5f1d36f1;
  h4 = 0x510e527fade682d1; h5 = 0x9b05688c2b3e6c1f; h6 = 0x1f83d9abfb41bd6b; h7 = 0x5be0cd19137e2179;
  let off: usize = 0;
  const full = <usize>(len & ~127);
  while (off < full) { compress(p + off); off += 128; }
  const rest = <usize>len - off;
  memory.copy(TAIL, p + off, rest);
  store<u8>(TAIL + rest, 0x80);
  const padded: usize = rest < 112 ? 128 : 256;
  memory.fill(TAIL + rest + 1, 0, padded - rest - 9);
  store<u64>(TAIL + padded - 8, bswap<u64>(<u64>len << 3));
  compress(TAIL);
  if (padded == 256) compress(TAIL + 128);
  store<u64>(out, bswap<u64>(h0)); store<u64>(out + 8, bswap<u64>(h1));
  store<u64>(out + 16, bswap<u64>(h2)); store<u64>(out + 24, bswap<u64>(h3));
  store<u64>(out + 32, bswap<u64>(h4)); store<u64>(out + 40, bswap<u64>(h5));
  store<u64>(out + 48, bswap<u64>(h6)); store<u64>(out + 56, bswap<u64>(h7));
}
