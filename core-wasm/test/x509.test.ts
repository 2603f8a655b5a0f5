// Certificate and CRL decoding against what openssl put in and node:crypto reads back.
import { expect } from 'chai';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseCertificate, parseCrl, KU, OID, CoreError } from '../src/index.ts';
import { Pki, type Issued } from './helpers/pki.ts';

describe('X.509 decoding', function () {
  this.timeout(60_000);
  const pki = new Pki();
  let ca: Issued;
  let leaf: Issued;

  before(() => {
    ca = pki.issue('ca', '/C=KZ/O=Ruqsat/CN=Decode CA', undefined, {
      alg: 'p256',
      ext: ['basicConstraints=critical,CA:TRUE,pathlen:2', 'keyUsage=critical,keyCertSign,cRLSign',
        'nameConstraints=critical,permitted;DNS:ruqsat.kz,permitted;IP:10.0.0.0/255.0.0.0,excluded;email:.bad.kz'],
    });
    leaf = pki.issue('leaf', '/C=KZ/ST=Astana/O=Ruqsat, LLP/CN=Тест Leaf', ca, {
      ext: ['basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature,nonRepudiation', 'extendedKeyUsage=serverAuth,1.2.398.3.3.4.1',
        'subjectAltName=DNS:a.ruqsat.kz,IP:10.1.2.3,IP:2001:db8::1,email:ops@ruqsat.kz,URI:https://ruqsat.kz/x',
        'certificatePolicies=1.2.398.3.3.1,1.2.398.3.3.2', 'crlDistributionPoints=URI:http://crl.ruqsat.kz/ca.crl'],
      serial: '7F00AA',
    });
  });
  after(() => pki.cleanup());

  it('decodes the fields node:crypto also reads', () => {
    const c = parseCertificate(leaf.pem);
    const n = new X509Certificate(leaf.pem);
    expect(c.version).to.equal(3);
    expect(c.serialHex.toUpperCase()).to.equal(n.serialNumber);
    expect(c.notBefore * 1000).to.equal(Date.parse(n.validFrom));
    expect(c.notAfter * 1000).to.equal(Date.parse(n.validTo));
    expect(c.subject.text).to.equal('CN=Тест Leaf, O=Ruqsat\\, LLP, ST=Astana, C=KZ');
    expect(c.issuer.text).to.equal('CN=Decode CA, O=Ruqsat, C=KZ');
    expect(Buffer.from(c.spki).equals(n.publicKey.export({ type: 'spki', format: 'der' }))).to.equal(true);
    expect(c.signatureAlgorithm.name).to.equal('ecdsa-with-SHA256');
    expect(c.publicKeyAlgorithm.oid).to.equal(OID.ecPublicKey);
  });

  it('decodes the extensions', () => {
    const c = parseCertificate(readFileSync(leaf.cert));
    expect(c.basicConstraints).to.deep.equal({ ca: false, pathLen: undefined });
    expect(c.keyUsage).to.equal(KU.digitalSignature | KU.nonRepudiation);
    expect(c.extKeyUsage).to.deep.equal(['1.3.6.1.5.5.7.3.1', '1.2.398.3.3.4.1']);
    expect(c.subjectAltNames?.map((g) => `${g.type}:${'value' in g ? g.value : ''}`)).to.deep.equal([
      'dns:a.ruqsat.kz', 'ip:10.1.2.3', 'ip:2001:db8:0:0:0:0:0:1', 'email:ops@ruqsat.kz', 'uri:https://ruqsat.kz/x']);
    expect(c.policies?.map((p) => p.oid)).to.deep.equal(['1.2.398.3.3.1', '1.2.398.3.3.2']);
    expect(c.crlDistributionPoints?.[0].fullName?.[0]).to.deep.equal({ type: 'uri', value: 'http://crl.ruqsat.kz/ca.crl' });
    const parent = parseCertificate(ca.pem);
    expect(Buffer.from(c.authorityKeyId!.keyId!).equals(Buffer.from(parent.subjectKeyId!))).to.equal(true);
    expect(parent.basicConstraints).to.deep.equal({ ca: true, pathLen: 2 });
    expect(parent.keyUsage).to.equal(KU.keyCertSign | KU.cRLSign);
    expect(parent.nameConstraints?.permitted.map((g) => g.type)).to.deep.equal(['dns', 'ip']);
    expect(parent.nameConstraints?.excluded).to.deep.equal([{ type: 'email', value: '.bad.kz' }]);
    expect(parent.selfIssued).to.equal(true);
    expect(c.unhandledCritical).to.deep.equal([]);
  });

  it('decodes a CRL with entries, reasons, number and AKI', () => {
    const crl = parseCrl(readFileSync(pki.crl('c', ca, { crlNumber: 0x42, entries: [
      { serial: '7F00AA', reason: 'keyCompromise', date: '260301101010Z' }, { serial: '01' }, { serial: '00FF', reason: 'certificateHold' }] })));
    expect(crl.version).to.equal(2);
    expect(crl.issuer.text).to.equal('CN=Decode CA, O=Ruqsat, C=KZ');
    expect(crl.crlNumber).to.equal(0x42n);
    expect(crl.deltaBase).to.equal(undefined);
    expect(crl.nextUpdate! - crl.thisUpdate).to.equal(7 * 86400);
    expect(crl.revokedCount).to.equal(3);
    const bySerial = new Map(crl.revoked.map((e) => [e.serialHex, e]));
    expect([...bySerial.keys()].sort()).to.deep.equal(['00ff', '01', '7f00aa']);
    expect([bySerial.get('7f00aa')!.reason, bySerial.get('01')!.reason, bySerial.get('00ff')!.reason]).to.deep.equal([1, undefined, 6]);
    expect(bySerial.get('7f00aa')!.revocationDate).to.equal(Date.UTC(2026, 2, 1, 10, 10, 10) / 1000);
    expect(crl.authorityKeyId?.keyId).to.deep.equal(parseCertificate(ca.pem).subjectKeyId);
    const delta = parseCrl(readFileSync(pki.crl('d', ca, { crlNumber: 3, deltaBase: 2 })));
    expect(delta.deltaBase).to.equal(2n);
    expect(delta.revokedCount).to.equal(0);
  });

  it('reports malformed input as MALFORMED', () => {
    for (const bad of ['', 'not a certificate', new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01])]) {
      expect(() => parseCertificate(bad)).to.throw(CoreError).with.property('code', 'MALFORMED');
    }
    expect(() => parseCrl(new Uint8Array([0x30, 0x00]))).to.throw(CoreError).with.property('code', 'MALFORMED');
  });

  it('an authorityInfoAccess that is not AuthorityInfoAccessSyntax makes the certificate MALFORMED (§4.2.2.1)', () => {
    const aia = (value: string) => pki.issue('aia', '/CN=aia.ruqsat.kz', ca, { ext: ['basicConstraints=CA:FALSE', value] }).pem;
    expect(() => parseCertificate(aia('authorityInfoAccess=caIssuers;URI:http://pki.ruqsat.kz/ca.crt'))).not.to.throw();
    // Raw bytes instead of DER, and an empty SEQUENCE where SIZE (1..MAX) is required.
    for (const bad of ['1.3.6.1.5.5.7.1.1=DER:6d:61:6c', '1.3.6.1.5.5.7.1.1=DER:30:00']) {
      expect(() => parseCertificate(aia(bad)), bad).to.throw(CoreError).with.property('code', 'MALFORMED');
    }
  });

  it('an iPAddress of the wrong size is MALFORMED: 4 or 16 octets in a SAN, address and mask in name constraints, no wildcard dNSName subtree (§4.2.1.6, §4.2.1.10)', () => {
    const cert = (value: string) => pki.issue('ip', '/CN=ip.ruqsat.kz', ca, { ext: ['basicConstraints=critical,CA:TRUE', value] }).pem;
    // An excluded subtree of a bare IPv4 address, without its mask: ignoring it would let that address through.
    for (const bad of ['2.5.29.30=critical,DER:30:0a:a1:08:30:06:87:04:7f:00:00:01', '2.5.29.17=DER:30:07:87:05:01:02:03:04:05']) {
      expect(() => parseCertificate(cert(bad)), bad).to.throw(CoreError).with.property('code', 'MALFORMED');
    }
    expect(() => parseCertificate(cert('nameConstraints=critical,excluded;DNS:*.bad.kz'))).to.throw(CoreError).with.property('code', 'MALFORMED');
    expect(() => parseCertificate(cert('nameConstraints=critical,excluded;IP:127.0.0.0/255.0.0.0'))).not.to.throw();
  });
});
