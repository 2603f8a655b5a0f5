// Root → NCA issuing CA → leaf chains built by buildCertificate from openssl CSRs: OpenSSL parses and verifies every one.
import { expect } from 'chai';
import { buildCertificate, certificateParts } from '../../../services/trust/domain/pki/certificate.ts';
import { parseCsr } from '../../../services/trust/domain/pki/csr.ts';
import { templateFromProfile, ProfileError } from '../../../services/trust/domain/pki/issue.ts';
import { ed25519Spki, generateEd25519 } from '../../../services/trust/domain/pki/keys.ts';
import { encodeName } from '../../../services/trust/domain/pki/names.ts';
import { DAY, makeHierarchy, NOW, PROFILES } from './fixtures.ts';
import { OpenSslDir } from './openssl.ts';

const IIN = '880101300123';
const BIN = '990240000123';

describe('pki/certificate', () => {
  const o = new OpenSslDir();
  const { root, nca } = makeHierarchy();
  let leaves: Record<string, Uint8Array> = {};

  before(() => {
    o.writePem('root.pem', root.cert);
    o.writePem('ca.pem', nca.cert);
    const subj = `/C=KZ/O=ТОО Рұқсат/OU=BIN${BIN}/CN=АЙТБАЕВ АСАН/serialNumber=IIN${IIN}`;
    const kinds = ['ed25519', 'p256', 'rsa'] as const;
    leaves = Object.fromEntries(kinds.map((kind, i) => {
      const csr = parseCsr(o.csr(kind, subj));
      const t = templateFromProfile(PROFILES.legal_entity_auth, {
        serialNumber: (0xc0ffeen << 64n) + BigInt(i), issuerCertificate: nca.cert, subject: csr.subject,
        subjectPublicKeyInfo: csr.subjectPublicKeyInfo, notBefore: NOW, subjectAltNames: { email: ['asan@ruqsat.kz'] },
        crlDistributionPoints: ['http://pki.ruqsat.test/nca.crl'], ocspUrl: 'http://ocsp.ruqsat.test', caIssuersUrl: 'http://pki.ruqsat.test/nca.cer',
      });
      const cert = buildCertificate(t, nca.signer);
      o.writePem(`leaf-${kind}.pem`, cert);
      return [kind, cert];
    }));
  });
  after(() => o.remove());

  it('openssl x509 -text shows the root as a self-signed CA with its extensions', () => {
    const text = o.ok('x509', '-in', 'root.pem', '-text', '-noout');
    expect(text).to.include('Version: 3 (0x2)');
    expect(text).to.match(/Signature Algorithm: ED25519/);
    expect(text).to.match(/X509v3 Basic Constraints: critical\s+CA:TRUE\n/);
    expect(text).to.match(/X509v3 Key Usage: critical\s+Certificate Sign, CRL Sign\n/);
    expect(text).to.include('X509v3 Subject Key Identifier');
    expect(text).not.to.include('X509v3 Authority Key Identifier');
    expect(text).to.match(/Issuer: C = KZ, O = Ruqsat, CN = Ruqsat Root CA\n/);
  });

  it('openssl x509 -text shows the issuing CA with pathlen 0, anyPolicy and an AKI equal to the root SKI', () => {
    const text = o.ok('x509', '-in', 'ca.pem', '-text', '-noout');
    expect(text).to.match(/X509v3 Basic Constraints: critical\s+CA:TRUE, pathlen:0/);
    expect(text).to.match(/Digital Signature, Certificate Sign, CRL Sign/);
    expect(text).to.include('Policy: X509v3 Any Policy');
    const rootSki = /Subject Key Identifier:\s*\n\s*([0-9A-F:]+)/.exec(o.ok('x509', '-in', 'root.pem', '-text', '-noout'))![1];
    expect(text).to.match(new RegExp(`Authority Key Identifier:\\s*\\n\\s*(keyid:)?${rootSki}`));
    expect(text).to.include('URI:http://pki.ruqsat.test/root.crl');
  });

  // legal_entity_auth asks for keyEncipherment, which only the RSA key can honour (RFC 8410 §5, RFC 5480 §3).
  const usages = { ed25519: 'Digital Signature', p256: 'Digital Signature', rsa: 'Digital Signature, Key Encipherment' };
  for (const [kind, algo] of [['ed25519', 'ED25519'], ['p256', 'id-ecPublicKey'], ['rsa', 'rsaEncryption']] as const) {
    it(`leaf from an openssl ${kind} CSR: extensions shown, and openssl verify says OK`, () => {
      const text = o.ok('x509', '-in', `leaf-${kind}.pem`, '-text', '-noout', '-nameopt', 'utf8');
      expect(text).to.include(`Public Key Algorithm: ${algo}`);
      expect(text).to.match(new RegExp(`X509v3 Key Usage: critical\\s+${usages[kind]}\\n`));
      expect(text).to.match(/X509v3 Extended Key Usage:\s+TLS Web Client Authentication, E-mail Protection\n/);
      expect(text).to.include('Policy: 1.3.6.1.4.1.55555.1.1.3');
      expect(text).to.include('email:asan@ruqsat.kz');
      expect(text).to.match(/OCSP - URI:http:\/\/ocsp.ruqsat.test/);
      expect(text).to.match(/CA Issuers - URI:http:\/\/pki.ruqsat.test\/nca.cer/);
      expect(text).to.include(`serialNumber=IIN${IIN}`);
      expect(text).to.include('CN=АЙТБАЕВ АСАН');
      expect(text).not.to.include('Basic Constraints');
      const v = o.run('verify', '-attime', String(NOW.getTime() / 1000 + 60), '-CAfile', 'root.pem', '-untrusted', 'ca.pem', `leaf-${kind}.pem`);
      expect(v.out.trim()).to.equal(`leaf-${kind}.pem: OK`);
    });
  }

  it('openssl verify rejects a leaf when the intermediate is missing, and one signed by the wrong key', () => {
    expect(o.run('verify', '-attime', String(NOW.getTime() / 1000 + 60), '-CAfile', 'root.pem', 'leaf-rsa.pem').out)
      .to.match(/unable to get local issuer certificate/);
    const forged = buildCertificate({ ...templateFromProfile(PROFILES.individual_sign, {
      serialNumber: 77n, issuerCertificate: nca.cert, subject: encodeName([{ type: 'C', value: 'KZ' }, { type: 'CN', value: 'X' }, { type: 'SERIALNUMBER', value: `IIN${IIN}` }]),
      subjectPublicKeyInfo: ed25519Spki(generateEd25519().publicKey), notBefore: NOW,
    }) }, root.signer);
    o.writePem('forged.pem', forged);
    expect(o.run('verify', '-attime', String(NOW.getTime() / 1000 + 60), '-CAfile', 'root.pem', '-untrusted', 'ca.pem', 'forged.pem').out)
      .to.match(/certificate signature failure/);
  });

  it('a serial with the top bit set gets a leading 0x00 and reads back unchanged', () => {
    const serial = 0xc0ffeen << 64n;
    const asn1 = o.ok('asn1parse', '-in', 'leaf-ed25519.pem');
    expect(asn1).to.match(/prim: INTEGER\s+:C0FFEE0000000000000000\n/);
    expect(certificateParts(leaves.ed25519).serialNumber).to.equal(serial);
    expect(o.ok('x509', '-in', 'leaf-ed25519.pem', '-noout', '-serial').trim()).to.equal('serial=C0FFEE0000000000000000');
    const der = Buffer.from(leaves.ed25519);
    expect(der.includes(Buffer.from('020c00c0ffee', 'hex'))).to.equal(true);
    const highBit = buildCertificate({
      serialNumber: 0x80n, issuer: root.subject, subject: root.subject, notBefore: NOW, notAfter: new Date(NOW.getTime() + DAY),
      subjectPublicKeyInfo: root.spki,
    }, root.signer);
    expect(certificateParts(highBit).serialNumber).to.equal(0x80n);
    expect(Buffer.from(highBit).includes(Buffer.from('02020080', 'hex'))).to.equal(true);
  });

  it('notAfter in 2050 or later is a GeneralizedTime, through 2049 a UTCTime', () => {
    const long = buildCertificate({
      serialNumber: 3n, issuer: root.subject, subject: encodeName([{ type: 'CN', value: 'long' }]), authorityKeyIdentifier: root.keyId,
      notBefore: new Date(Date.UTC(2049, 11, 31, 23, 59, 59)), notAfter: new Date(Date.UTC(2050, 0, 1, 0, 0, 0)),
      subjectPublicKeyInfo: ed25519Spki(generateEd25519().publicKey),
    }, root.signer);
    o.writePem('long.pem', long);
    const asn1 = o.ok('asn1parse', '-in', 'long.pem');
    expect(asn1).to.match(/UTCTIME\s+:491231235959Z/);
    expect(asn1).to.match(/GENERALIZEDTIME\s+:20500101000000Z/);
    expect(o.ok('x509', '-in', 'long.pem', '-noout', '-enddate').trim()).to.equal('notAfter=Jan  1 00:00:00 2050 GMT');
  });

  it('an empty subject is allowed only with a SAN, which is then critical (RFC 5280 §4.2.1.6)', () => {
    const empty = encodeName([]);
    const t = { serialNumber: 4n, issuer: nca.subject, subject: empty, authorityKeyIdentifier: nca.keyId, notBefore: NOW,
      notAfter: new Date(NOW.getTime() + DAY), subjectPublicKeyInfo: ed25519Spki(generateEd25519().publicKey) };
    expect(() => buildCertificate(t, nca.signer)).to.throw(/empty subject needs subjectAltNames/);
    o.writePem('nosubject.pem', buildCertificate({ ...t, subjectAltNames: { dns: ['permit.ruqsat.internal'] } }, nca.signer));
    const text = o.ok('x509', '-in', 'nosubject.pem', '-text', '-noout');
    expect(text).to.match(/Subject: *\n/);
    expect(text).to.match(/X509v3 Subject Alternative Name: critical\s+DNS:permit.ruqsat.internal\n/);
    expect(o.run('verify', '-attime', String(NOW.getTime() / 1000 + 60), '-CAfile', 'root.pem', '-untrusted', 'ca.pem', 'nosubject.pem').out.trim()).to.equal('nosubject.pem: OK');
  });

  it('refuses a subject the profile does not allow, and an AKI-less certificate that is not self-signed', () => {
    const subject = encodeName([{ type: 'C', value: 'KZ' }, { type: 'CN', value: 'No IIN' }]);
    expect(() => templateFromProfile(PROFILES.individual_auth, { serialNumber: 9n, issuerCertificate: nca.cert, subject, subjectPublicKeyInfo: root.spki, notBefore: NOW }))
      .to.throw(ProfileError, /subject needs SERIALNUMBER/);
    expect(() => buildCertificate({ serialNumber: 9n, issuer: root.subject, subject, notBefore: NOW, notAfter: new Date(NOW.getTime() + DAY), subjectPublicKeyInfo: root.spki }, root.signer))
      .to.throw(/authorityKeyIdentifier is required/);
  });
});
