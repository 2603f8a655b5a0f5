// Revocation (RFC 5280 §6.3): complete and delta CRLs from `openssl ca`, each case checked against `openssl verify`.
import { expect } from 'chai';
import { Pki, asn1Time, type Issued } from './helpers/pki.ts';
import { expectBoth } from './helpers/check.ts';

const CA = ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign'];
const LEAF = ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature'];

describe('revocation', function () {
  this.timeout(120_000);
  const pki = new Pki();
  // Read when a case is assembled, after its fixtures exist (key generation can be slow on a busy machine).
  const now = () => Math.floor(Date.now() / 1000) + 5;
  let root: Issued, inter: Issued, leaf: Issued, rootCrl: string, interCrl: string;

  before(() => {
    root = pki.issue('root', '/C=KZ/O=Ruqsat/CN=Revocation Root', undefined, { ext: CA, alg: 'p256' });
    inter = pki.issue('inter', '/C=KZ/O=Ruqsat/CN=Revocation CA', root, { ext: CA, alg: 'p256' });
    leaf = pki.issue('leaf', '/C=KZ/O=Ruqsat/CN=leaf', inter, { ext: LEAF, alg: 'p256' });
    rootCrl = pki.crl('root-empty', root);
    interCrl = pki.crl('inter-empty', inter, { entries: [{ serial: 'ABCDEF', reason: 'superseded' }] });
  });
  after(() => pki.cleanup());

  const base = (more: object) => ({ leaf: leaf.cert, ca: [root.cert], untrusted: [inter.cert], at: now(), crlCheck: 'leaf' as const, ...more });

  it('accepts a leaf absent from a fresh CRL, leaf-only and whole-chain', () => {
    expectBoth(pki, base({ crls: [interCrl] }), 'OK');
    expectBoth(pki, base({ crls: [interCrl, rootCrl], crlCheck: 'all' }), 'OK');
  });

  it('REVOKED: a revoked leaf, with its reason code', () => {
    const crl = pki.crl('revoked-leaf', inter, { entries: [{ serial: leaf.serial, reason: 'keyCompromise', date: '260101000000Z' }] });
    const r = expectBoth(pki, base({ crls: [crl] }), 'REVOKED');
    expect(r.depth).to.equal(0);
    expect(r.revocation).to.deep.equal({ reason: 'keyCompromise', reasonCode: 1, date: Date.UTC(2026, 0, 1) / 1000 });
  });

  it('REVOKED: a revoked intermediate is caught by crl-check-all only', () => {
    const crl = pki.crl('revoked-inter', root, { entries: [{ serial: inter.serial, reason: 'cACompromise' }] });
    expectBoth(pki, base({ crls: [crl, interCrl] }), 'OK');
    const r = expectBoth(pki, base({ crls: [crl, interCrl], crlCheck: 'all' }), 'REVOKED');
    expect(r.depth).to.equal(1);
    expect(r.revocation?.reason).to.equal('cACompromise');
  });

  it('CRL_MISSING: checking without a CRL for the issuer', () => {
    expectBoth(pki, base({ crls: [rootCrl] }), 'CRL_MISSING');
    expectBoth(pki, base({ crls: [interCrl], crlCheck: 'all' }), 'CRL_MISSING');
  });

  it('CRL_EXPIRED: a stale CRL', () => {
    const crl = pki.crl('stale', inter, { hours: 1 });
    expectBoth(pki, base({ crls: [crl], at: now() + 2 * 3600 }), 'CRL_EXPIRED');
  });

  it('CRL_NOT_YET_VALID: a CRL issued in the future', () => {
    const crl = pki.crl('future', inter, { lastUpdate: asn1Time(now() + 86400), hours: 24 * 30 });
    expectBoth(pki, base({ crls: [crl] }), 'CRL_NOT_YET_VALID');
  });

  it('CRL_BAD_SIGNATURE: a CRL under the issuer name signed by another key', () => {
    const impostor = pki.issue('impostor', '/C=KZ/O=Ruqsat/CN=Revocation CA', undefined, { ext: CA, alg: 'p256' });
    const crl = pki.crl('wrongkey', inter, { signer: impostor, aki: false });
    expectBoth(pki, base({ crls: [crl] }), 'CRL_BAD_SIGNATURE');
  });

  it('KEY_USAGE: a CRL issuer without cRLSign', () => {
    const noCrlSign = pki.issue('nocrlsign', '/C=KZ/O=Ruqsat/CN=No cRLSign', root, { ext: ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign'], alg: 'p256' });
    const l = pki.issue('leaf2', '/CN=leaf2', noCrlSign, { ext: LEAF });
    const crl = pki.crl('nocrlsign', noCrlSign);
    expectBoth(pki, { leaf: l.cert, ca: [root.cert], untrusted: [noCrlSign.cert], at: now(), crlCheck: 'leaf', crls: [crl] }, 'KEY_USAGE');
  });

  // After x509-limbo's RFC 5280 CRL cases, each also checked against `openssl verify`.
  it('UNHANDLED_CRITICAL_EXTENSION: a CRL with an unknown critical extension, or a critical CRLNumber (§5.2, §5.2.3)', () => {
    expectBoth(pki, base({ crls: [pki.crl('unknown-critical', inter, { exts: ['1.3.6.1.4.1.55738.666.1=critical,ASN1:NULL'] })] }), 'UNHANDLED_CRITICAL_EXTENSION');
    expectBoth(pki, base({ crls: [pki.crl('critical-number', inter, { noCrlNumber: true, exts: ['2.5.29.20=critical,DER:02:02:30:39'] })] }), 'UNHANDLED_CRITICAL_EXTENSION');
    expectBoth(pki, base({ crls: [pki.crl('unknown-noncritical', inter, { exts: ['1.3.6.1.4.1.55738.666.1=ASN1:NULL'] })] }), 'OK');
  });

  it('a CRL without CRLNumber is used, as OpenSSL uses it (x509-limbo expects a failure)', () => {
    expectBoth(pki, base({ crls: [pki.crl('no-number', inter, { noCrlNumber: true, entries: [{ serial: 'ABCDEF' }] })] }), 'OK');
    expectBoth(pki, base({ crls: [pki.crl('no-number-revoked', inter, { noCrlNumber: true, entries: [{ serial: leaf.serial }] })] }), 'REVOKED');
  });

  it('REVOKED whatever the entry\'s revocation date: after the validation time, or before the certificate existed', () => {
    expectBoth(pki, base({ crls: [pki.crl('revoked-later', inter, { entries: [{ serial: leaf.serial, date: asn1Time(now() + 86400).slice(2) }] })] }), 'REVOKED');
    expectBoth(pki, base({ crls: [pki.crl('revoked-before', inter, { entries: [{ serial: leaf.serial, date: '000101000000Z' }] })] }), 'REVOKED');
  });

  it('a serial on another CA\'s CRL does not revoke; an issuer without keyUsage may sign CRLs (§6.3.3 f)', () => {
    const other = pki.issue('other-root', '/C=KZ/O=Ruqsat/CN=Other Root', undefined, { ext: CA, alg: 'p256' });
    expectBoth(pki, base({ ca: [root.cert, other.cert], crls: [interCrl, pki.crl('other', other, { entries: [{ serial: leaf.serial }] })] }), 'OK');
    const noKu = pki.issue('noku', '/C=KZ/O=Ruqsat/CN=No keyUsage', undefined, { ext: ['basicConstraints=critical,CA:TRUE'], alg: 'p256' });
    const l = pki.issue('leaf-noku', '/CN=leaf3', noKu, { ext: LEAF });
    expectBoth(pki, { leaf: l.cert, ca: [noKu.cert], at: now(), crlCheck: 'leaf', crls: [pki.crl('noku', noKu)] }, 'OK');
  });

  it('CRL_MISSING: a CRL for a named distribution point covers only certificates that name it (§6.3.3 b.2.i), and its user/CA scope holds', () => {
    const idp = (name: string, lines: string[]) => pki.crl(name, inter, { exts: ['issuingDistributionPoint=critical,@idp', '[idp]', ...lines] });
    const named = pki.issue('dp-leaf', '/C=KZ/O=Ruqsat/CN=dp leaf', inter, { ext: [...LEAF, 'crlDistributionPoints=URI:http://crl.ruqsat.kz/ca.crl'], alg: 'p256' });
    const withDp = (crl: string) => ({ ...base({ crls: [crl] }), leaf: named.cert });
    expectBoth(pki, withDp(idp('dp-same', ['fullname=URI:http://crl.ruqsat.kz/ca.crl'])), 'OK');
    expectBoth(pki, withDp(idp('dp-other', ['fullname=URI:http://crl.ruqsat.kz/other.crl'])), 'CRL_MISSING');
    expectBoth(pki, base({ crls: [idp('dp-none', ['fullname=URI:http://crl.ruqsat.kz/ca.crl'])] }), 'CRL_MISSING');
    expectBoth(pki, base({ crls: [idp('only-ca', ['onlyCA=TRUE'])] }), 'CRL_MISSING');
    expectBoth(pki, base({ crls: [idp('only-user', ['onlyuser=TRUE'])] }), 'OK');
  });

  it('delta CRL: revokes a certificate the complete CRL does not list', () => {
    const full = pki.crl('d1-full', inter, { crlNumber: 1, freshest: true });
    const delta = pki.crl('d1-delta', inter, { crlNumber: 2, deltaBase: 1, entries: [{ serial: leaf.serial, reason: 'keyCompromise' }] });
    expectBoth(pki, base({ crls: [full] }), 'OK');
    const r = expectBoth(pki, base({ crls: [full, delta] }), 'REVOKED');
    expect(r.revocation?.reason).to.equal('keyCompromise');
  });

  it('delta CRL: removeFromCRL releases a certificate on hold', () => {
    const full = pki.crl('d2-full', inter, { crlNumber: 1, freshest: true, entries: [{ serial: leaf.serial, reason: 'certificateHold' }] });
    const delta = pki.crl('d2-delta', inter, { crlNumber: 2, deltaBase: 1, entries: [{ serial: leaf.serial, reason: 'removeFromCRL' }] });
    const held = expectBoth(pki, base({ crls: [full] }), 'REVOKED');
    expect(held.revocation?.reason).to.equal('certificateHold');
    expectBoth(pki, base({ crls: [full, delta] }), 'OK');
  });

  it('delta CRL: ignored when its base is newer than the complete CRL', () => {
    // One thisUpdate for both: OpenSSL without -extended_crl scores a delta as a complete CRL and takes the newer one,
    // so a delta issued a second later would be read as the complete CRL (flaky before).
    const at = asn1Time(now() - 60);
    const full = pki.crl('d3-full', inter, { crlNumber: 1, freshest: true, lastUpdate: at });
    const delta = pki.crl('d3-delta', inter, { crlNumber: 6, deltaBase: 5, lastUpdate: at, entries: [{ serial: leaf.serial, reason: 'keyCompromise' }] });
    expectBoth(pki, base({ crls: [full, delta] }), 'OK');
  });
});
