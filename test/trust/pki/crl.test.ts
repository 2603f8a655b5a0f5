// КТКТ: full and delta CRLs that openssl parses and enforces in path validation (-crl_check, -crl_check_all, -use_deltas).
import { expect } from 'chai';
import { buildCertificate } from '../../../services/trust/domain/pki/certificate.ts';
import { buildCrl, CrlError, type CrlTemplate } from '../../../services/trust/domain/pki/crl.ts';
import { templateFromProfile } from '../../../services/trust/domain/pki/issue.ts';
import { ed25519Spki, generateEd25519 } from '../../../services/trust/domain/pki/keys.ts';
import { encodeName } from '../../../services/trust/domain/pki/names.ts';
import { DAY, makeHierarchy, NOW, PROFILES } from './fixtures.ts';
import { OpenSslDir } from './openssl.ts';

describe('pki/crl', () => {
  const o = new OpenSslDir();
  const { root, nca } = makeHierarchy();
  const at = String(NOW.getTime() / 1000 + 3600);
  const leaf = (serial: bigint, cn: string) => buildCertificate(templateFromProfile(PROFILES.individual_sign, {
    serialNumber: serial, issuerCertificate: nca.cert, notBefore: NOW, subjectPublicKeyInfo: ed25519Spki(generateEd25519().publicKey),
    subject: encodeName([{ type: 'C', value: 'KZ' }, { type: 'CN', value: cn }, { type: 'SERIALNUMBER', value: 'IIN880101300123' }]),
  }), nca.signer);
  const base = (over: Partial<CrlTemplate>): CrlTemplate => ({
    issuer: nca.subject, authorityKeyIdentifier: nca.keyId, thisUpdate: new Date(NOW.getTime() + 60_000),
    nextUpdate: new Date(NOW.getTime() + DAY), crlNumber: 5n, entries: [], ...over,
  });
  const verify = (...args: string[]) => o.run('verify', '-attime', at, '-CAfile', 'root.pem', '-untrusted', 'ca.pem', ...args).out.trim();

  before(() => {
    o.writePem('root.pem', root.cert);
    o.writePem('ca.pem', nca.cert);
    o.writePem('revoked.pem', leaf(0x1001n, 'Revoked'));
    o.writePem('good.pem', leaf(0x1002n, 'Good'));
    o.writePem('later.pem', leaf(0x1003n, 'Revoked in the delta'));
    o.writePem('nca.crl', buildCrl(base({
      freshestCrl: ['http://pki.ruqsat.test/nca-delta.crl'],
      entries: [
        { serialNumber: 0x1001n, revocationDate: NOW, reason: 1 },
        { serialNumber: 0xff00n, revocationDate: NOW },
      ],
    }), nca.signer), 'X509 CRL');
    o.writePem('nca-delta.crl', buildCrl(base({
      crlNumber: 6n, deltaCrlIndicator: 5n,
      entries: [{ serialNumber: 0x1003n, revocationDate: new Date(NOW.getTime() + 30_000), reason: 4 }, { serialNumber: 0xff00n, revocationDate: NOW, reason: 8 }],
    }), nca.signer), 'X509 CRL');
    o.writePem('root.crl', buildCrl({ ...base({ crlNumber: 1n }), issuer: root.subject, authorityKeyIdentifier: root.keyId }, root.signer), 'X509 CRL');
    o.write('both.crl', o.readText('nca.crl') + o.readText('root.crl'));
    o.write('with-delta.crl', o.readText('nca.crl') + o.readText('nca-delta.crl'));
  });
  after(() => o.remove());

  it('openssl crl -text reads the full CRL: v2, CRL number, AKI, entries with reasons', () => {
    const text = o.ok('crl', '-in', 'nca.crl', '-text', '-noout');
    expect(text).to.include('Version 2 (0x1)');
    expect(text).to.include('Signature Algorithm: ED25519');
    expect(text).to.match(/X509v3 CRL Number:\s*\n\s*5\n/);
    expect(text).to.include('X509v3 Authority Key Identifier');
    expect(text).to.match(/X509v3 Freshest CRL:\s*\n\s*Full Name:\s*\n\s*URI:http:\/\/pki.ruqsat.test\/nca-delta.crl/);
    expect(text).to.match(/Serial Number: 1001\n\s*Revocation Date: Jan 15 09:00:00 2026 GMT\n\s*CRL entry extensions:\n\s*X509v3 CRL Reason Code:\s*\n\s*Key Compromise/);
    // Reason "unspecified" is omitted, so this entry has no extensions at all.
    expect(text).to.match(/Serial Number: FF00\n\s*Revocation Date: Jan 15 09:00:00 2026 GMT\n(?!\s*CRL entry extensions)/);
    expect(text).not.to.include('Delta CRL Indicator');
    expect(o.ok('crl', '-in', 'nca.crl', '-noout', '-CAfile', 'ca.pem')).to.match(/verify OK/);
  });

  it('openssl crl -text reads the delta CRL and shows its critical Delta CRL Indicator', () => {
    const text = o.ok('crl', '-in', 'nca-delta.crl', '-text', '-noout');
    expect(text).to.match(/X509v3 Delta CRL Indicator: critical\s*\n\s*5\n/);
    expect(text).to.match(/X509v3 CRL Number:\s*\n\s*6\n/);
    expect(text).to.match(/Serial Number: 1003\n[\s\S]*?Superseded/);
    expect(text).to.match(/Serial Number: FF00\n[\s\S]*?Remove From CRL/);
  });

  it('an empty CRL omits revokedCertificates and still parses', () => {
    const text = o.ok('crl', '-in', 'root.crl', '-text', '-noout');
    expect(text).to.include('No Revoked Certificates.');
  });

  it('openssl verify -crl_check rejects the revoked leaf and accepts another one', () => {
    expect(verify('-crl_check', '-CRLfile', 'nca.crl', 'revoked.pem')).to.match(/error 23 at 0 depth lookup: certificate revoked/);
    expect(verify('-crl_check', '-CRLfile', 'nca.crl', 'good.pem')).to.equal('good.pem: OK');
  });

  it('openssl verify -crl_check_all needs the root CRL too, then rejects the revoked leaf and accepts another one', () => {
    expect(verify('-crl_check_all', '-CRLfile', 'nca.crl', 'good.pem')).to.match(/unable to get certificate CRL/);
    expect(verify('-crl_check_all', '-CRLfile', 'both.crl', 'revoked.pem')).to.match(/certificate revoked/);
    expect(verify('-crl_check_all', '-CRLfile', 'both.crl', 'good.pem')).to.equal('good.pem: OK');
  });

  it('openssl verify -use_deltas applies the delta CRL on top of its base', () => {
    expect(verify('-crl_check', '-CRLfile', 'nca.crl', 'later.pem')).to.equal('later.pem: OK');
    expect(verify('-crl_check', '-use_deltas', '-CRLfile', 'with-delta.crl', 'later.pem')).to.match(/certificate revoked/);
    expect(verify('-crl_check', '-use_deltas', '-CRLfile', 'with-delta.crl', 'good.pem')).to.equal('good.pem: OK');
  });

  it('refuses removeFromCRL outside a delta, reason 7, duplicate serials and a delta not after its base', () => {
    expect(() => buildCrl(base({ entries: [{ serialNumber: 1n, revocationDate: NOW, reason: 8 }] }), nca.signer)).to.throw(CrlError, /removeFromCRL/);
    expect(() => buildCrl(base({ entries: [{ serialNumber: 1n, revocationDate: NOW, reason: 7 }] }), nca.signer)).to.throw(CrlError, /not an RFC 5280/);
    expect(() => buildCrl(base({ entries: [{ serialNumber: 1n, revocationDate: NOW }, { serialNumber: 1n, revocationDate: NOW }] }), nca.signer)).to.throw(CrlError, /twice/);
    expect(() => buildCrl(base({ deltaCrlIndicator: 5n }), nca.signer)).to.throw(CrlError, /after its base/);
  });
});
