// Incremental SHA-256 (Sha256: update/digest/copy/exportState) against node:crypto over many split patterns.
import { expect } from 'chai';
import { createHash, randomBytes } from 'node:crypto';
import { hex, Sha256, SHA256_SLICE_BYTES } from '../src/index.ts';
import { core } from '../src/wasm.ts';

const node = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Hashes `b` cut at the given piece sizes (cycled), through one Sha256. */
function pieces(b: Uint8Array, sizes: number[]): string {
  const h = new Sha256();
  for (let off = 0, i = 0; off < b.length; i++) {
    const n = sizes[i % sizes.length]!;
    h.update(b.subarray(off, off + n));
    off += n;
  }
  return hex(h.digest());
}

// A seeded generator so a failing split can be replayed.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

// FIPS 180-4 compression in plain JS, from any chaining value: the reference for states no real test can reach.
const K = Uint32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const IV = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n));
function compressJs(h: number[], block: Buffer): number[] {
  const w = new Uint32Array(64);
  for (let t = 0; t < 16; t++) w[t] = block.readUInt32BE(t * 4);
  for (let t = 16; t < 64; t++) {
    const s0 = rotr(w[t - 15]!, 7) ^ rotr(w[t - 15]!, 18) ^ (w[t - 15]! >>> 3);
    const s1 = rotr(w[t - 2]!, 17) ^ rotr(w[t - 2]!, 19) ^ (w[t - 2]! >>> 10);
    w[t] = w[t - 16]! + s0 + w[t - 7]! + s1;
  }
  let [a, b, c, d, e, f, g, hh] = h as [number, number, number, number, number, number, number, number];
  for (let t = 0; t < 64; t++) {
    const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[t]! + w[t]!) >>> 0;
    const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
    hh = g; g = f; f = e; e = (d + t1) >>> 0; d = c; c = b; b = a; a = (t1 + t2) >>> 0;
  }
  return [a, b, c, d, e, f, g, hh].map((x, i) => (x + h[i]!) >>> 0);
}
/** The digest a hasher in state (h, total bytes, pending) must give: §5.1.1 padding with a 64-bit length. */
function finalJs(h: number[], total: bigint, pending: Buffer): string {
  const padded = pending.length < 56 ? 64 : 128;
  const tail = Buffer.alloc(padded);
  pending.copy(tail);
  tail[pending.length] = 0x80;
  tail.writeBigUInt64BE((total * 8n) & 0xffff_ffff_ffff_ffffn, padded - 8);
  for (let o = 0; o < padded; o += 64) h = compressJs(h, tail.subarray(o, o + 64));
  const out = Buffer.alloc(32);
  h.forEach((x, i) => out.writeUInt32BE(x, i * 4));
  return out.toString('hex');
}
function stateOf(h: number[], total: bigint, pending: Buffer): Uint8Array {
  const s = Buffer.alloc(40 + pending.length);
  h.forEach((x, i) => s.writeUInt32BE(x, i * 4));
  s.writeBigUInt64BE(total, 32);
  pending.copy(s, 40);
  return s;
}

describe('incremental SHA-256 (Sha256)', () => {
  it('matches node:crypto for every length 0..300, byte by byte and in one update', () => {
    const b = randomBytes(300);
    for (let n = 0; n <= 300; n++) {
      const m = b.subarray(0, n);
      expect(pieces(m, [1]), `${n} bytes, byte by byte`).to.equal(node(m));
      expect(hex(new Sha256().update(m).digest()), `${n} bytes at once`).to.equal(node(m));
    }
  });

  it('63-, 64-, 65-byte and mixed pieces, with 0-length updates between them', () => {
    const b = randomBytes(10_000);
    for (const sizes of [[63], [64], [65], [1, 63], [63, 1], [64, 0, 65], [0, 127, 0, 129], [55, 56, 57], [3, 200, 61]]) {
      for (const n of [0, 55, 56, 63, 64, 65, 119, 128, 1000, 10_000]) {
        const m = b.subarray(0, n);
        expect(pieces(m, sizes), `${n} bytes in ${sizes}`).to.equal(node(m));
      }
    }
  });

  it('random splits of random lengths (seeded)', () => {
    const next = rng(42);
    const b = randomBytes(200_000);
    for (let round = 0; round < 200; round++) {
      const n = Math.floor(next() * b.length);
      const m = b.subarray(0, n);
      const h = new Sha256();
      for (let off = 0; off < n; ) {
        const k = next() < 0.1 ? 0 : Math.floor(next() * (next() < 0.5 ? 130 : 20_000));
        h.update(m.subarray(off, off + k));
        off += k;
      }
      expect(hex(h.digest()), `round ${round}, ${n} bytes`).to.equal(node(m));
    }
  });

  it('several MiB: one update past the slice size, and slice-straddling pieces', () => {
    const b = randomBytes(5 * SHA256_SLICE_BYTES + 77);
    expect(hex(new Sha256().update(b).digest())).to.equal(node(b));
    expect(pieces(b, [SHA256_SLICE_BYTES - 1, SHA256_SLICE_BYTES + 1, 3])).to.equal(node(b));
  });

  it('core memory stays bounded while hashing 64 MiB', () => {
    const before = core.memory.buffer.byteLength;
    const h = new Sha256();
    const piece = randomBytes(4 << 20);
    const ref = createHash('sha256');
    for (let i = 0; i < 16; i++) {
      h.update(piece);
      ref.update(piece);
    }
    expect(hex(h.digest())).to.equal(ref.digest('hex'));
    expect(core.memory.buffer.byteLength - before).to.be.at.most(2 * SHA256_SLICE_BYTES);
  });

  it('many hashers interleaved keep separate states', () => {
    const next = rng(7);
    const msgs = Array.from({ length: 12 }, (_, i) => randomBytes(1000 + i * 3001));
    const hs = msgs.map(() => new Sha256());
    const offs = msgs.map(() => 0);
    while (offs.some((o, i) => o < msgs[i]!.length)) {
      const i = Math.floor(next() * msgs.length);
      const k = Math.floor(next() * 150);
      hs[i]!.update(msgs[i]!.subarray(offs[i]!, offs[i]! + k));
      offs[i] = Math.min(offs[i]! + k, msgs[i]!.length);
    }
    hs.forEach((h, i) => expect(hex(h.digest()), `hasher ${i}`).to.equal(node(msgs[i]!)));
  });

  it('copy() forks the state; exportState()/fromState() continue it, at every pending length', () => {
    const b = randomBytes(1000);
    for (const cut of [0, 1, 40, 63, 64, 65, 127, 128, 500]) {
      const h = new Sha256().update(b.subarray(0, cut));
      const c = h.copy();
      const state = h.exportState();
      expect(state.length, `state after ${cut}`).to.equal(40 + (cut % 64));
      const r = Sha256.fromState(state);
      expect(r.length).to.equal(cut);
      expect(hex(h.update(b.subarray(cut)).digest()), `original after ${cut}`).to.equal(node(b));
      expect(hex(c.digest()), `copy at ${cut}`).to.equal(node(b.subarray(0, cut)));
      expect(hex(r.update(b.subarray(cut)).digest()), `restored at ${cut}`).to.equal(node(b));
    }
  });

  it('the length field across 2^32 bits and 2^32 bytes: the padding encodes all 64 bits (reference: a JS compression)', () => {
    // The JS reference agrees with node:crypto from the IV.
    expect(finalJs(IV, 3n, Buffer.from('abc'))).to.equal(node(Buffer.from('abc')));
    const next = rng(3);
    const h = Array.from({ length: 8 }, () => Math.floor(next() * 2 ** 32));
    const totals = [2n ** 29n - 1n, 2n ** 29n, 2n ** 29n + 5n, 2n ** 32n - 1n, 2n ** 32n + 63n, 4n * 2n ** 30n + 55n, 5n * 2n ** 30n + 56n, 2n ** 61n - 1n, 2n ** 64n - 1n];
    for (const total of totals) {
      const pending = randomBytes(Number(total % 64n));
      const s = Sha256.fromState(stateOf(h, total, pending));
      expect(hex(s.digest()), `length ${total}`).to.equal(finalJs(h, total, pending));
    }
    // And updating across the 2^32-byte boundary carries into the high word.
    const s = Sha256.fromState(stateOf(h, 2n ** 32n - 10n, randomBytes(54)));
    s.update(randomBytes(100));
    expect(s.length).to.equal(2 ** 32 + 90);
    expect(Buffer.from(s.exportState()).readBigUInt64BE(32)).to.equal(2n ** 32n + 90n);
    s.free();
  });

  it('bad use throws a clear error and never traps the core', () => {
    const h = new Sha256().update(Buffer.from('x'));
    h.digest();
    expect(() => h.update(Buffer.from('y'))).to.throw(/update\(\) after digest\(\)/);
    expect(() => h.digest()).to.throw(/digest\(\) after digest\(\)/);
    expect(() => h.exportState()).to.throw(/after digest/);
    h.free(); // harmless
    expect(() => new Sha256().update('abc' as unknown as Uint8Array)).to.throw(TypeError);
    expect(() => Sha256.fromState(new Uint8Array(39))).to.throw(/40 to 103 bytes/);
    expect(() => Sha256.fromState(stateOf(IV, 5n, Buffer.alloc(4)))).to.throw(/does not match/);
    // The raw exports refuse bad handles and ranges with a result instead of trapping.
    const end = core.memory.buffer.byteLength;
    expect(core.sha256Update(0, 0, 0)).to.equal(-1);
    expect(core.sha256Update(end - 8, 0, 0)).to.equal(-1);
    expect(core.sha256Update(0xfffffff0, 0, 0)).to.equal(-1);
    expect(core.sha256Final(12345, 0)).to.equal(-1);
    const raw = core.sha256Init();
    expect(core.sha256Update(raw, end - 10, 11)).to.equal(-3);
    expect(core.sha256Update(raw, 0xffffffff, 2)).to.equal(-3);
    expect(core.sha256Final(raw, end - 31)).to.equal(-3);
    expect(core.sha256Final(raw, 0)).to.equal(0);
    expect(core.sha256Update(raw, 0, 1)).to.equal(-2);
    core.sha256Free(raw);
    core.sha256Free(raw); // a second free is a no-op
    expect(core.sha256Update(raw, 0, 1)).to.equal(-1);
    // The core still works.
    expect(hex(new Sha256().update(Buffer.from('abc')).digest())).to.equal('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
