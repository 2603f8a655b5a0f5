// The revocation index in linear memory: exact serial lookups whose cost does not grow with CRL size.
import { expect } from 'chai';
import { RevocationTable } from '../src/index.ts';
import { core } from '../src/wasm.ts';

const DATE = Buffer.from('17 0d'.replace(/\s/g, '') + Buffer.from('250101000000Z').toString('hex'), 'hex');
const REASON = (r: number) => Buffer.from([0x30, 0x0c, 0x30, 0x0a, 0x06, 0x03, 0x55, 0x1d, 0x15, 0x04, 0x03, 0x0a, 0x01, r]);

function serialOf(i: number): Buffer {
  return Buffer.from([0x01, (i >>> 16) & 0xff, (i >>> 8) & 0xff, i & 0xff]);
}

/** revokedCertificates contents for serials 0..n-1 (every 10th carries reason keyCompromise). */
function revokedDer(n: number): Uint8Array {
  const parts: Buffer[] = [];
  for (let i = 0; i < n; i++) {
    const ext = i % 10 === 0 ? REASON(1) : Buffer.alloc(0);
    const body = Buffer.concat([Buffer.from([0x02, 0x04]), serialOf(i), DATE, ext]);
    parts.push(Buffer.from([0x30, body.length]), body);
  }
  return new Uint8Array(Buffer.concat(parts));
}

function perLookup(t: RevocationTable, n: number, rounds: number): number {
  const probes = Array.from({ length: 1000 }, (_, i) => serialOf((i * 7919) % n));
  const start = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) for (const p of probes) t.get(p);
  return Number(process.hrtime.bigint() - start) / (rounds * probes.length);
}

describe('revocation index', function () {
  this.timeout(60_000);

  it('finds exactly the revoked serials with date and reason', () => {
    const t = new RevocationTable(revokedDer(5000));
    expect(t.count).to.equal(5000);
    expect(t.get(serialOf(0))).to.deep.equal({ revocationDate: Date.UTC(2025, 0, 1) / 1000, reason: 1 });
    expect(t.get(serialOf(4999))).to.deep.equal({ revocationDate: Date.UTC(2025, 0, 1) / 1000 });
    expect(t.get(serialOf(5000))).to.equal(undefined);
    expect(t.get(new Uint8Array([0x00, 0x01, 0x00, 0x00, 0x00]))).to.equal(undefined); // same value, different bytes: DER is canonical
    expect(t.get(new Uint8Array(40).fill(7))).to.equal(undefined);
    t.dispose();
  });

  it('holds 1,000,000 entries with lookup cost independent of size and bounded memory', () => {
    const small = new RevocationTable(revokedDer(1000));
    const der = revokedDer(1_000_000);
    const t0 = performance.now();
    const big = new RevocationTable(der);
    const buildMs = performance.now() - t0;
    expect(big.count).to.equal(1_000_000);
    for (const i of [0, 1, 123_456, 999_999]) expect(big.get(serialOf(i))?.revocationDate).to.equal(Date.UTC(2025, 0, 1) / 1000);
    expect(big.get(serialOf(1_000_001))).to.equal(undefined);
    // Alternate and keep the best of three, so a busy neighbour on a shared machine does not decide it.
    let smallNs = Infinity, bigNs = Infinity;
    for (let r = 0; r < 3; r++) {
      smallNs = Math.min(smallNs, perLookup(small, 1000, 30));
      bigNs = Math.min(bigNs, perLookup(big, 1_000_000, 30));
    }
    expect(bigNs, `1k: ${smallNs.toFixed(0)} ns, 1M: ${bigNs.toFixed(0)} ns`).to.be.below(smallNs * 4 + 500);
    const bytes = core.memory.buffer.byteLength;
    big.dispose();
    // Rebuilding the same CRL reuses the freed blocks instead of growing memory.
    const again = new RevocationTable(der);
    expect(core.memory.buffer.byteLength).to.equal(bytes);
    expect(bytes).to.be.below(400 * 1024 * 1024);
    expect(buildMs).to.be.below(5000);
    again.dispose();
    small.dispose();
  });

  it('rejects malformed entry lists as MALFORMED without touching memory past them', () => {
    const good = revokedDer(3);
    for (const cut of [1, 5, good.length - 1]) expect(() => new RevocationTable(good.subarray(0, cut))).to.throw(/CRL entries/);
    const critical = Buffer.from('3020020101170d3235303130313030303030305a300c300a0603551d1d0101ff04000000', 'hex');
    expect(() => new RevocationTable(critical)).to.throw(/CRL entries/);
  });
});
