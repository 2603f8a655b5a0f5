// SHA-256 / SHA-512 in the core against node:crypto.
import { expect } from 'chai';
import { createHash, randomBytes } from 'node:crypto';
import { sha256, sha512, sha256Batch, hex } from '../src/index.ts';

const node = (alg: string, b: Uint8Array) => createHash(alg).update(b).digest('hex');

describe('SHA-2', () => {
  const sizes = [0, 1, 3, 55, 56, 63, 64, 65, 111, 112, 119, 127, 128, 129, 1000, 4096, 1 << 20];

  for (const n of sizes) {
    it(`SHA-256 and SHA-512 of ${n} bytes match node:crypto`, () => {
      const b = randomBytes(n);
      expect(hex(sha256(b))).to.equal(node('sha256', b));
      expect(hex(sha512(b))).to.equal(node('sha512', b));
    });
  }

  // Lengths where the last full block, the 0x80 byte and the 64-bit length field fall differently near 1 MiB.
  it('SHA-256 and SHA-512 around 1 MiB match node:crypto', () => {
    const big = randomBytes((1 << 20) + 256);
    for (const d of [-129, -128, -113, -112, -65, -64, -57, -56, -55, -9, -1, 1, 55, 56, 63, 64, 65, 111, 112, 128, 255]) {
      const b = big.subarray(0, (1 << 20) + d);
      expect(hex(sha256(b)), `1 MiB ${d}`).to.equal(node('sha256', b));
      expect(hex(sha512(b)), `1 MiB ${d}`).to.equal(node('sha512', b));
    }
  });

  it('a long message then a short one reuse the staging block without carrying state', () => {
    const long = randomBytes(3 << 20), short = randomBytes(100);
    expect(hex(sha256(long))).to.equal(node('sha256', long));
    expect(hex(sha256(short))).to.equal(node('sha256', short));
    expect(hex(sha512(short))).to.equal(node('sha512', short));
  });

  it('known answers', () => {
    expect(hex(sha256(new TextEncoder().encode('abc')))).to.equal('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    // FIPS 180-2 appendix B.2 (two blocks) and B.3 (one million 'a', 15,625 blocks)
    const two = new TextEncoder().encode('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq');
    expect(hex(sha256(two))).to.equal('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
    expect(hex(sha256(new Uint8Array(1_000_000).fill(0x61)))).to.equal('cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
    expect(hex(sha512(new Uint8Array(0)))).to.equal(
      'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e');
  });

  it('hashes a batch of many small messages in one call', () => {
    const msgs = Array.from({ length: 1000 }, (_, i) => randomBytes(i % 130));
    const out = sha256Batch(msgs);
    expect(out).to.have.length(1000);
    out.forEach((d, i) => expect(hex(d)).to.equal(node('sha256', msgs[i])));
    expect(sha256Batch([])).to.deep.equal([]);
  });

  // Batch messages sit at any byte offset, so the block loads run unaligned here.
  it('hashes messages at unaligned offsets in linear memory', () => {
    const msgs = [1, 63, 64, 65, 127, 128, 129, 1000, 4097].map((n) => randomBytes(n));
    sha256Batch(msgs).forEach((d, i) => expect(hex(d)).to.equal(node('sha256', msgs[i])));
  });

  it('hashes runs of equal-length messages through the 4-lane path, mixed with odd ones', () => {
    for (const len of [0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 1000]) {
      const msgs = Array.from({ length: 11 }, (_, i) => randomBytes(i === 5 ? len + 1 : len));
      sha256Batch(msgs).forEach((d, i) => expect(hex(d), `len ${len} #${i}`).to.equal(node('sha256', msgs[i])));
    }
  });
});
