// Path validation (RFC 5280 §6.1) on openssl-made chains; every case is also run through `openssl verify`.
import { writeFileSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { expect } from 'chai';
import { Pki, type Issued, type KeyAlg } from './helpers/pki.ts';
import { expectBoth, runCore } from './helpers/check.ts';
import { TrustStore, parseCertificate, createNodeBackend } from '../src/index.ts';

const CA = ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign'];
const LEAF = ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature', 'extendedKeyUsage=serverAuth,clientAuth', 'subjectAltName=DNS:svc.ruqsat.kz,DNS:*.api.ruqsat.kz,IP:10.0.0.7'];
const SERVER = { oid: '1.3.6.1.5.5.7.3.1', openssl: 'sslserver' };

describe('path validation', function () {
  this.timeout(120_000);
  const pki = new Pki();
  // Read when a case is assembled, after its fixtures exist (key generation can be slow on a busy machine).
  const now = () => Math.floor(Date.now() / 1000) + 5;
  let root: Issued;
  let inter: Issued;

  function chain(alg: KeyAlg, depth: number): { root: Issued; chain: Issued[] } {
    const r = pki.issue(`root-${alg}`, `/C=KZ/O=Ruqsat/CN=Root ${alg}`, undefined, { alg, ext: CA });
    const certs: Issued[] = [];
    let issuer = r;
    for (let i = 1; i < depth; i++) {
      issuer = pki.issue(`ca${i}-${alg}`, `/C=KZ/O=Ruqsat/CN=CA ${i} ${alg}`, issuer, { alg, ext: CA });
      certs.unshift(issuer);
    }
    certs.unshift(pki.issue(`leaf-${alg}`, `/C=KZ/O=Ruqsat/CN=svc.ruqsat.kz`, issuer, { alg, ext: LEAF }));
    return { root: r, chain: certs };
  }

  before(() => {
    root = pki.issue('root', '/C=KZ/O=Ruqsat/CN=Ruqsat Root', undefined, { ext: CA });
    inter = pki.issue('inter', '/C=KZ/O=Ruqsat/CN=Ruqsat Issuing CA', root, { ext: CA });
  });
  after(() => pki.cleanup());

  for (const alg of ['ed25519', 'p256', 'rsa', 'rsa-pss', 'p384'] as KeyAlg[]) {
    for (const depth of alg === 'ed25519' || alg === 'p256' ? [1, 2, 3, 4] : [2]) {
      it(`accepts a depth-${depth} ${alg} chain`, () => {
        const { root: r, chain: c } = chain(alg, depth);
        const res = expectBoth(pki, { leaf: c[0].cert, ca: [r.cert], untrusted: c.slice(1).map((x) => x.cert), at: now(), purpose: SERVER, host: 'svc.ruqsat.kz' }, 'OK');
        expect(res.chain).to.have.length(depth + 1);
        expect(res.chain[depth].subject.text).to.equal(`CN=Root ${alg}, O=Ruqsat, C=KZ`);
      });
    }
  }

  // Every other algorithm `openssl verify` accepts (SHA-1 aside): each chain accepted, and a leaf whose signature
  // was altered refused as BAD_SIGNATURE, both as OpenSSL says.
  for (const alg of ['p521', 'ed448', 'secp256k1', 'brainpool256', 'dsa', 'rsa-sha224'] as KeyAlg[]) {
    it(`accepts a ${alg} chain and refuses it with an altered signature`, () => {
      const { root: r, chain: c } = chain(alg, 2);
      expectBoth(pki, { leaf: c[0].cert, ca: [r.cert], untrusted: [c[1].cert], at: now(), purpose: SERVER, host: 'svc.ruqsat.kz' }, 'OK');
      const der = Buffer.from(c[0].pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
      der[der.length - 3] ^= 0x01; // inside the signature BIT STRING, the last field
      writeFileSync(pki.path(`${alg}-bad.der`), der);
      expectBoth(pki, { leaf: pki.path(`${alg}-bad.der`), ca: [r.cert], untrusted: [c[1].cert], at: now() }, 'BAD_SIGNATURE');
    });
  }

  const leafOf = (ext: string[], opts: { issuer?: Issued; days?: number; alg?: KeyAlg } = {}) =>
    pki.issue('leaf', '/C=KZ/O=Ruqsat/CN=svc.ruqsat.kz', opts.issuer ?? inter, { ext, days: opts.days, alg: opts.alg });
  const base = (leaf: Issued, more: object = {}) => ({ leaf: leaf.cert, ca: [root.cert], untrusted: [inter.cert], at: now(), ...more });

  it('MALFORMED: a truncated leaf', () => {
    const leaf = leafOf(LEAF);
    const der = Buffer.from(leaf.pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    writeFileSync(pki.path('trunc.der'), der.subarray(0, der.length - 10));
    expectBoth(pki, { ...base(leaf), leaf: pki.path('trunc.der') }, 'MALFORMED');
  });

  it('UNSUPPORTED_ALGORITHM: a signature algorithm neither side implements', () => {
    const leaf = leafOf(LEAF);
    const der = Buffer.from(leaf.pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    // Ed25519 (1.3.101.112) -> X448 (1.3.101.111, not a signature algorithm) in every place it appears.
    const patched = Buffer.from(der.toString('hex').replaceAll('06032b6570', '06032b656f'), 'hex');
    writeFileSync(pki.path('x448.der'), patched);
    expectBoth(pki, { ...base(leaf), leaf: pki.path('x448.der') }, 'UNSUPPORTED_ALGORITHM');
  });

  it('UNSUPPORTED_ALGORITHM: SHA-1 signatures are refused by policy (OpenSSL 3.0 still accepts them)', () => {
    const rsaRoot = pki.issue('rsaroot', '/CN=RSA Root', undefined, { alg: 'rsa', ext: CA });
    const key = pki.key('rsa');
    writeFileSync(pki.path('sha1.ext'), `[v3]\n${LEAF.join('\n')}\n`);
    execFileSync('openssl', ['req', '-new', '-key', key, '-subj', '/CN=sha1', '-out', pki.path('sha1.csr')]);
    execFileSync('openssl', ['x509', '-req', '-in', pki.path('sha1.csr'), '-CA', rsaRoot.cert, '-CAkey', rsaRoot.key, '-sha1', '-days', '30',
      '-extfile', pki.path('sha1.ext'), '-extensions', 'v3', '-out', pki.path('sha1.pem')], { stdio: 'ignore' });
    const r = runCore({ leaf: pki.path('sha1.pem'), ca: [rsaRoot.cert], at: now() });
    expect(r.code).to.equal('UNSUPPORTED_ALGORITHM');
    const legacy = new TrustStore({ anchors: [parseCertificate(rsaRoot.pem)], backend: createNodeBackend({ legacySha1: true }) });
    expect(legacy.verifyBytes(readFileSync(pki.path('sha1.pem')), { time: now() }).code).to.equal('OK');
  });

  it('BAD_SIGNATURE: a tampered signature', () => {
    const leaf = leafOf(LEAF);
    const der = Buffer.from(leaf.pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    der[der.length - 5] ^= 0x01;
    writeFileSync(pki.path('badsig.der'), der);
    expectBoth(pki, { ...base(leaf), leaf: pki.path('badsig.der') }, 'BAD_SIGNATURE');
  });

  it('UNKNOWN_ISSUER: the issuing CA is not supplied', () => {
    expectBoth(pki, { ...base(leafOf(LEAF)), untrusted: [] }, 'UNKNOWN_ISSUER');
  });

  it('UNKNOWN_ISSUER: a self-signed leaf that is not an anchor', () => {
    const self = pki.issue('self', '/CN=self', undefined, { ext: LEAF });
    expectBoth(pki, { leaf: self.cert, ca: [root.cert], at: now() }, 'UNKNOWN_ISSUER');
  });

  it('EXPIRED and NOT_YET_VALID', () => {
    const leaf = leafOf(LEAF, { days: 1 });
    expectBoth(pki, base(leaf, { at: now() + 3 * 86400 }), 'EXPIRED');
    expectBoth(pki, base(leaf, { at: now() - 3 * 86400 }), 'NOT_YET_VALID');
  });

  it('NOT_A_CA: an end-entity certificate used as issuer', () => {
    const notCa = pki.issue('notca', '/CN=Not a CA', inter, { ext: ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,keyCertSign'] });
    const leaf = leafOf(LEAF, { issuer: notCa });
    expectBoth(pki, base(leaf, { untrusted: [notCa.cert, inter.cert] }), 'NOT_A_CA');
  });

  it('PATH_LENGTH_EXCEEDED: pathlen 0 with an intermediate below', () => {
    const r = pki.issue('plroot', '/CN=PL Root', undefined, { ext: ['basicConstraints=critical,CA:TRUE,pathlen:0', 'keyUsage=critical,keyCertSign,cRLSign'] });
    const i = pki.issue('plint', '/CN=PL Int', r, { ext: CA });
    const leaf = leafOf(LEAF, { issuer: i });
    expectBoth(pki, { leaf: leaf.cert, ca: [r.cert], untrusted: [i.cert], at: now() }, 'PATH_LENGTH_EXCEEDED');
    const i2 = pki.issue('plint2', '/CN=PL Int 2', root, { ext: ['basicConstraints=critical,CA:TRUE,pathlen:0', 'keyUsage=critical,keyCertSign'] });
    expectBoth(pki, { leaf: leafOf(LEAF, { issuer: i2 }).cert, ca: [root.cert], untrusted: [i2.cert], at: now() }, 'OK');
  });

  it('KEY_USAGE: a CA key without keyCertSign', () => {
    const i = pki.issue('noksign', '/CN=No KeyCertSign', root, { ext: ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,digitalSignature'] });
    expectBoth(pki, base(leafOf(LEAF, { issuer: i }), { untrusted: [i.cert] }), 'KEY_USAGE');
  });

  it('EXTENDED_KEY_USAGE: a client-only leaf for a server purpose', () => {
    const leaf = leafOf(['basicConstraints=CA:FALSE', 'extendedKeyUsage=clientAuth', 'subjectAltName=DNS:svc.ruqsat.kz']);
    expectBoth(pki, base(leaf, { purpose: SERVER }), 'EXTENDED_KEY_USAGE');
  });

  it('TLS purposes as OpenSSL checks them: anyExtendedKeyUsage is not serverAuth, and the leaf\'s keyUsage and Netscape type must allow it', () => {
    const CLIENT = { oid: '1.3.6.1.5.5.7.3.2', openssl: 'sslclient' };
    const server = (ext: string[], code: string, purpose = SERVER) => expectBoth(pki, base(leafOf(ext), { purpose }), code);
    server(['extendedKeyUsage=anyExtendedKeyUsage'], 'EXTENDED_KEY_USAGE');
    server(['extendedKeyUsage=serverAuth,anyExtendedKeyUsage'], 'OK');
    server(['keyUsage=critical,keyAgreement', 'extendedKeyUsage=serverAuth'], 'OK');
    server(['keyUsage=critical,dataEncipherment', 'extendedKeyUsage=serverAuth'], 'KEY_USAGE');
    server(['keyUsage=critical,keyEncipherment'], 'KEY_USAGE', CLIENT);
    server(['keyUsage=critical,nonRepudiation'], 'KEY_USAGE', CLIENT);
    server(['nsCertType=client'], 'EXTENDED_KEY_USAGE');
    server(['nsCertType=client'], 'OK', CLIENT);
    const anyCa = pki.issue('any-eku-ca', '/C=KZ/O=Ruqsat/CN=anyEKU CA', root, { ext: [...CA, 'extendedKeyUsage=anyExtendedKeyUsage'] });
    expectBoth(pki, base(leafOf(['extendedKeyUsage=serverAuth'], { issuer: anyCa }), { untrusted: [anyCa.cert], purpose: SERVER }), 'EXTENDED_KEY_USAGE');
    // The anchor's EKU counts too, and an anchor verified on its own is held to the leaf's rules.
    const clientRoot = pki.issue('client-root', '/C=KZ/O=Ruqsat/CN=Client Root', undefined, { ext: [...CA, 'extendedKeyUsage=clientAuth'] });
    expectBoth(pki, { leaf: leafOf(['extendedKeyUsage=serverAuth'], { issuer: clientRoot }).cert, ca: [clientRoot.cert], at: now(), purpose: SERVER }, 'EXTENDED_KEY_USAGE');
    const selfClient = pki.issue('self-client', '/C=KZ/O=Ruqsat/CN=self client', undefined, { ext: ['extendedKeyUsage=clientAuth'] });
    expectBoth(pki, { leaf: selfClient.cert, ca: [selfClient.cert], at: now(), purpose: SERVER }, 'EXTENDED_KEY_USAGE');
    expectBoth(pki, { leaf: selfClient.cert, ca: [selfClient.cert], at: now(), purpose: CLIENT }, 'OK');
  });

  it('NAME_CONSTRAINTS: a DNS name outside the permitted subtree', () => {
    const i = pki.issue('nc', '/C=KZ/O=Ruqsat/CN=Constrained CA', root, { ext: [...CA, 'nameConstraints=critical,permitted;DNS:ruqsat.kz,excluded;DNS:bad.ruqsat.kz'] });
    expectBoth(pki, base(leafOf(LEAF, { issuer: i }), { untrusted: [i.cert] }), 'OK');
    expectBoth(pki, base(leafOf(['subjectAltName=DNS:evil.example'], { issuer: i }), { untrusted: [i.cert] }), 'NAME_CONSTRAINTS');
    expectBoth(pki, base(leafOf(['subjectAltName=DNS:x.bad.ruqsat.kz'], { issuer: i }), { untrusted: [i.cert] }), 'NAME_CONSTRAINTS');
    const otherCa = pki.issue('ncother', '/C=KZ/O=Ruqsat/CN=OtherName CA', root, { ext: [...CA, 'nameConstraints=critical,permitted;otherName:1.2.398.1.1;UTF8:x'] });
    expectBoth(pki, base(leafOf(['subjectAltName=otherName:1.2.398.1.1;UTF8:y'], { issuer: otherCa }), { untrusted: [otherCa.cert] }), 'NAME_CONSTRAINTS');
    // No dNSName SAN: a hostname-like CN is checked as a DNS name (OpenSSL does the same).
    const cnLeaf = pki.issue('cnleaf', '/C=KZ/O=Ruqsat/CN=www.evil.example', i, { ext: ['basicConstraints=CA:FALSE'] });
    expectBoth(pki, base(cnLeaf, { untrusted: [i.cert] }), 'NAME_CONSTRAINTS');
    const ipCa = pki.issue('ncip', '/C=KZ/O=Ruqsat/CN=IP CA', root, { ext: [...CA, 'nameConstraints=critical,permitted;IP:192.168.0.0/255.255.0.0'] });
    expectBoth(pki, base(leafOf(['subjectAltName=IP:10.1.2.3'], { issuer: ipCa }), { untrusted: [ipCa.cert] }), 'NAME_CONSTRAINTS');
  });

  it('POLICY: the required policy is absent', () => {
    const i = pki.issue('pol', '/CN=Policy CA', root, { ext: [...CA, 'certificatePolicies=1.2.398.3.3.1,2.5.29.32.0'] });
    const leaf = leafOf([...LEAF, 'certificatePolicies=1.2.398.3.3.1'], { issuer: i });
    expectBoth(pki, base(leaf, { untrusted: [i.cert], policies: ['1.2.398.3.3.1'] }), 'OK');
    expectBoth(pki, base(leaf, { untrusted: [i.cert], policies: ['1.2.398.3.3.2'] }), 'POLICY');
  });

  it('POLICY: mappings, requireExplicitPolicy, inhibitPolicyMapping and inhibitAnyPolicy (RFC 5280 §6.1)', () => {
    const A = '1.2.398.3.3.1', B = '1.2.398.3.3.9';
    const mapper = pki.issue('mapper', '/CN=Mapping CA', root, { ext: [...CA, `certificatePolicies=${A}`, 'policyMappings=critical,' + `${A}:${B}`] });
    const mapped = leafOf([...LEAF, `certificatePolicies=${B}`], { issuer: mapper });
    expectBoth(pki, base(mapped, { untrusted: [mapper.cert], policies: [A] }), 'OK');
    expectBoth(pki, base(mapped, { untrusted: [mapper.cert], policies: [B] }), 'POLICY');
    // An upper CA that inhibits mapping turns the same mapping into a dead end.
    const inhibitor = pki.issue('inhibitor', '/CN=Inhibiting CA', root, { ext: [...CA, 'certificatePolicies=2.5.29.32.0', 'policyConstraints=critical,inhibitPolicyMapping:0'] });
    const mapper2 = pki.issue('mapper2', '/CN=Mapping CA 2', inhibitor, { ext: [...CA, `certificatePolicies=${A}`, 'policyMappings=critical,' + `${A}:${B}`] });
    const mapped2 = leafOf([...LEAF, `certificatePolicies=${B}`], { issuer: mapper2 });
    expectBoth(pki, base(mapped2, { untrusted: [mapper2.cert, inhibitor.cert], policies: [A] }), 'POLICY');
    // requireExplicitPolicy:0 demands a policy even when the caller asks for none.
    const strict = pki.issue('strict', '/CN=Explicit CA', root, { ext: [...CA, 'certificatePolicies=2.5.29.32.0', 'policyConstraints=critical,requireExplicitPolicy:0'] });
    expectBoth(pki, base(leafOf(LEAF, { issuer: strict }), { untrusted: [strict.cert] }), 'POLICY');
    const explicitLeaf = leafOf([...LEAF, `certificatePolicies=${A}`], { issuer: strict });
    expectBoth(pki, base(explicitLeaf, { untrusted: [strict.cert], policies: [A] }), 'OK');
    // RFC 5280: the default user-initial-policy-set is anyPolicy (OpenSSL treats it as empty and refuses).
    expect(runCore(base(explicitLeaf, { untrusted: [strict.cert] })).code).to.equal('OK');
    // inhibitAnyPolicy:0 stops anyPolicy in the certificates below from counting.
    const noAny = pki.issue('noany', '/CN=No anyPolicy CA', root, { ext: [...CA, `certificatePolicies=${A}`, 'inhibitAnyPolicy=critical,0'] });
    const anyLeaf = leafOf([...LEAF, 'certificatePolicies=2.5.29.32.0'], { issuer: noAny });
    expectBoth(pki, base(anyLeaf, { untrusted: [noAny.cert], policies: [A] }), 'POLICY');
    expectBoth(pki, base(leafOf([...LEAF, `certificatePolicies=${A}`], { issuer: noAny }), { untrusted: [noAny.cert], policies: [A] }), 'OK');
  });

  it('HOSTNAME_MISMATCH, with wildcard and IP matches', () => {
    const leaf = leafOf(LEAF);
    expectBoth(pki, base(leaf, { host: 'a.api.ruqsat.kz' }), 'OK');
    expectBoth(pki, base(leaf, { host: '10.0.0.7' }), 'OK');
    expectBoth(pki, base(leaf, { host: 'a.b.api.ruqsat.kz' }), 'HOSTNAME_MISMATCH');
    expectBoth(pki, base(leaf, { host: 'other.ruqsat.kz' }), 'HOSTNAME_MISMATCH');
    expectBoth(pki, base(leaf, { host: '10.0.0.8' }), 'HOSTNAME_MISMATCH');
  });

  it('UNHANDLED_CRITICAL_EXTENSION: an unknown critical extension', () => {
    expectBoth(pki, base(leafOf([...LEAF, '1.2.398.99.1=critical,DER:05:00'])), 'UNHANDLED_CRITICAL_EXTENSION');
    expectBoth(pki, base(leafOf([...LEAF, '1.2.398.99.1=DER:05:00'])), 'OK');
  });

  it('picks the issuer by SKI/AKI among CAs with the same name', () => {
    const twin = pki.issue('twin', '/C=KZ/O=Ruqsat/CN=Ruqsat Issuing CA', root, { ext: CA });
    const leaf = leafOf(LEAF, { issuer: twin });
    const res = expectBoth(pki, base(leaf, { untrusted: [inter.cert, twin.cert] }), 'OK');
    expect(Buffer.from(res.chain[1].der).equals(Buffer.from(readFileSync(twin.cert, 'utf8').replace(/-----[^-]+-----|\s/g, ''), 'base64'))).to.equal(true);
  });
});

