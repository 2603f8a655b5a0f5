// Signature backends (node:crypto vs @noble/ed25519) and the verification cache.
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { TrustStore, parseCertificate, nodeBackend, nobleBackend } from '../src/index.ts';
import { Pki, type Issued } from './helpers/pki.ts';

const CA = ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign'];

describe('signature backends and verification cache', function () {
  this.timeout(60_000);
  const pki = new Pki();
  let root: Issued, inter: Issued;
  const leaves: Issued[] = [];

  before(() => {
    root = pki.issue('root', '/CN=Backend Root', undefined, { ext: CA });
    inter = pki.issue('inter', '/CN=Backend CA', root, { ext: CA });
    for (let i = 0; i < 3; i++) leaves.push(pki.issue(`leaf${i}`, `/CN=leaf ${i}`, inter, { ext: ['basicConstraints=CA:FALSE'] }));
  });
  after(() => pki.cleanup());

  it('node:crypto and @noble/ed25519 agree on valid, tampered and random Ed25519 signatures', () => {
    const noble = nobleBackend();
    const issuer = parseCertificate(inter.pem);
    for (const l of leaves) {
      const c = parseCertificate(l.pem);
      expect(nodeBackend.verify(c.signatureAlgorithm, issuer.spki, c.tbs, c.signature)).to.equal('OK');
      expect(noble.verify(c.signatureAlgorithm, issuer.spki, c.tbs, c.signature)).to.equal('OK');
      for (let i = 0; i < 20; i++) {
        const sig = Uint8Array.from(c.signature);
        if (i < 10) sig[i * 6] ^= 1 << (i % 8);
        const s = i < 10 ? sig : randomBytes(64);
        const a = nodeBackend.verify(c.signatureAlgorithm, issuer.spki, c.tbs, s);
        expect(noble.verify(c.signatureAlgorithm, issuer.spki, c.tbs, s)).to.equal(a);
        expect(a).to.equal('BAD_SIGNATURE');
      }
    }
  });

  it('hands the backend exactly the TBS, algorithm and signature the core located (host import)', () => {
    const seen: { tbs: string; alg: string; sig: string }[] = [];
    const spy = { name: 'spy', verify: (alg: Parameters<typeof nodeBackend.verify>[0], spki: Uint8Array, data: Uint8Array, sig: Uint8Array) => {
      seen.push({ tbs: Buffer.from(data).toString('hex'), alg: alg.oid, sig: Buffer.from(sig).toString('hex') });
      return nodeBackend.verify(alg, spki, data, sig);
    } };
    const store = new TrustStore({ anchors: [parseCertificate(root.pem)], backend: spy, cache: false });
    const leaf = parseCertificate(leaves[2].pem), ca = parseCertificate(inter.pem);
    expect(store.verify(leaf, { intermediates: [ca] }).code).to.equal('OK');
    const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
    expect(seen).to.deep.equal([
      { tbs: hex(ca.tbs), alg: '1.3.101.112', sig: hex(ca.signature) },
      { tbs: hex(leaf.tbs), alg: '1.3.101.112', sig: hex(leaf.signature) },
    ]);
  });

  it('validates whole chains with the noble backend', () => {
    const store = new TrustStore({ anchors: [parseCertificate(root.pem)], backend: nobleBackend() });
    const r = store.verifyBytes(leaves[0].pem, { intermediates: [inter.pem] });
    expect(r.code, r.message).to.equal('OK');
  });

  it('verifies an intermediate once, and forgets on anchor or CRL changes', () => {
    const store = new TrustStore({ anchors: [parseCertificate(root.pem)] });
    const i = parseCertificate(inter.pem);
    for (const l of leaves) expect(store.verify(parseCertificate(l.pem), { intermediates: [i] }).code).to.equal('OK');
    expect(store.cache!.misses).to.equal(1 + leaves.length);
    expect(store.cache!.hits).to.equal(leaves.length - 1);
    store.addCrl(readFileSync(pki.crl('c', inter)));
    expect(store.cache!.size).to.equal(0);
    store.verify(parseCertificate(leaves[0].pem), { intermediates: [i] });
    expect(store.cache!.size).to.equal(2);
    store.addAnchor(parseCertificate(pki.issue('other', '/CN=Other', undefined, { ext: CA }).pem));
    expect(store.cache!.size).to.equal(0);
  });

  it('never serves a cached OK for a certificate with a forged signature', () => {
    const store = new TrustStore({ anchors: [parseCertificate(root.pem)] });
    const good = parseCertificate(leaves[1].pem);
    expect(store.verify(good, { intermediates: [parseCertificate(inter.pem)] }).code).to.equal('OK');
    const der = Uint8Array.from(good.der);
    der[der.length - 1] ^= 0x80;
    expect(store.verifyBytes(der, { intermediates: [inter.pem] }).code).to.equal('BAD_SIGNATURE');
  });
});

describe('path building limits', function () {
  this.timeout(60_000);
  const pki = new Pki();
  after(() => pki.cleanup());

  it('gives up in bounded time on a mesh of same-name cross-certificates', () => {
    const root = pki.issue('root', '/CN=Mesh Root', undefined, { ext: CA });
    // Four CA names, each cross-certified by three keys of the level above: 3^4 = 81 paths, none to the root.
    const levels: Issued[][] = [];
    let above: Issued[] = [pki.issue('orphan', '/CN=Orphan', undefined, { ext: CA })];
    for (let l = 0; l < 4; l++) {
      const keys = [pki.key('ed25519'), pki.key('ed25519'), pki.key('ed25519')];
      const level = keys.flatMap((key) => above.slice(0, 3).map((issuer) => pki.issue(`m${l}`, `/CN=Mesh ${l}`, issuer, { ext: CA, key, noKeyIds: true })));
      levels.push(level);
      above = level;
    }
    const leaf = pki.issue('leaf', '/CN=leaf', above[0], { ext: ['basicConstraints=CA:FALSE'], noKeyIds: true });
    const store = new TrustStore({ anchors: [parseCertificate(root.pem)] });
    const t = performance.now();
    const r = store.verifyBytes(leaf.pem, { intermediates: levels.flat().map((x) => x.pem) });
    expect(r.code).to.equal('UNKNOWN_ISSUER');
    expect(performance.now() - t).to.be.below(1000);
  });

  it('maxDepth counts distinct CAs: a self-issued rollover certificate is not one more', () => {
    const root = pki.issue('d-root', '/CN=Depth Root', undefined, { ext: CA });
    const ica = pki.issue('d-ica', '/CN=Depth CA', root, { ext: CA });
    const rollover = pki.issue('d-roll', '/CN=Depth CA', ica, { ext: CA });
    const leaf = pki.issue('d-leaf', '/CN=leaf', rollover, { ext: ['basicConstraints=critical,CA:FALSE'] });
    const store = new TrustStore({ anchors: [parseCertificate(root.pem)] });
    const verify = (maxDepth: number, intermediates: Issued[]) => store.verifyBytes(leaf.pem, { intermediates: intermediates.map((x) => x.pem), maxDepth }).code;
    expect(verify(2, [ica, rollover])).to.equal('OK');
    expect(verify(1, [ica, rollover])).to.equal('UNKNOWN_ISSUER');
    // A second distinct CA in place of the rollover does count.
    const sub = pki.issue('d-sub', '/CN=Depth Sub CA', ica, { ext: CA });
    const subLeaf = pki.issue('d-subleaf', '/CN=leaf', sub, { ext: ['basicConstraints=critical,CA:FALSE'] });
    expect(store.verifyBytes(subLeaf.pem, { intermediates: [ica.pem, sub.pem], maxDepth: 2 }).code).to.equal('UNKNOWN_ISSUER');
    expect(store.verifyBytes(subLeaf.pem, { intermediates: [ica.pem, sub.pem], maxDepth: 3 }).code).to.equal('OK');
  });
});
