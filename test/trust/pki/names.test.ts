// X.501 Names: our DER matches what openssl itself encodes, decodes openssl's, and formats like openssl's RFC 2253 output.
import { expect } from 'chai';
import { buildCertificate } from '../../../services/trust/domain/pki/certificate.ts';
import { parseCsr } from '../../../services/trust/domain/pki/csr.ts';
import { ed25519Signer, ed25519Spki, generateEd25519 } from '../../../services/trust/domain/pki/keys.ts';
import { decodeName, encodeName, formatName, NameError, type NameAttribute } from '../../../services/trust/domain/pki/names.ts';
import { OpenSslDir } from './openssl.ts';

const ATTRS: NameAttribute[] = [
  { type: 'C', value: 'KZ' }, { type: 'ST', value: 'Астана' }, { type: 'L', value: 'Астана' },
  { type: 'O', value: 'ТОО «Рұқсат»' }, { type: 'OU', value: 'BIN990240000123' },
  { type: 'SN', value: 'ӘЛИЕВ' }, { type: 'GN', value: 'ӘЛИҰЛЫ' }, { type: 'CN', value: 'ӘЛИЕВ ӘЛИ' },
  { type: 'SERIALNUMBER', value: 'IIN880101300123' }, { type: 'E', value: 'ali@ruqsat.kz' },
];
const SUBJ = '/C=KZ/ST=Астана/L=Астана/O=ТОО «Рұқсат»/OU=BIN990240000123/SN=ӘЛИЕВ/GN=ӘЛИҰЛЫ/CN=ӘЛИЕВ ӘЛИ/serialNumber=IIN880101300123/emailAddress=ali@ruqsat.kz';

describe('pki/names', () => {
  const o = new OpenSslDir();
  after(() => o.remove());

  it('encodes byte for byte what `openssl req -utf8` encodes for the same subject', () => {
    const fromOpenssl = parseCsr(o.csr('ed25519', SUBJ)).subject;
    expect(Buffer.from(encodeName(ATTRS)).toString('hex')).to.equal(Buffer.from(fromOpenssl).toString('hex'));
    expect(decodeName(fromOpenssl)).to.deep.equal(ATTRS);
  });

  it('uses PrintableString for C and SERIALNUMBER, IA5String for E and DC, UTF8String otherwise (openssl asn1parse)', () => {
    const der = encodeName([...ATTRS, { type: 'DC', value: 'kz' }, { type: '2.5.4.97', value: 'VATKZ-990240000123' }]);
    o.write('name.der', der);
    const asn1 = o.ok('asn1parse', '-inform', 'DER', '-in', 'name.der');
    expect(asn1).to.match(/:countryName\n.*PRINTABLESTRING\s+:KZ\n/);
    expect(asn1).to.match(/:serialNumber\n.*PRINTABLESTRING\s+:IIN880101300123\n/);
    expect(asn1).to.match(/:emailAddress\n.*IA5STRING\s+:ali@ruqsat.kz\n/);
    expect(asn1).to.match(/:domainComponent\n.*IA5STRING\s+:kz\n/);
    expect(asn1).to.match(/:commonName\n.*UTF8STRING/);
    expect(asn1).to.match(/:organizationIdentifier\n.*UTF8STRING\s+:VATKZ-990240000123\n/);
    expect(asn1.match(/ SET /g)).to.have.length(12); // one attribute per RDN
  });

  it('formats in RFC 4514 order with escapes, as openssl -nameopt RFC2253 does (with ", " between RDNs for display)', () => {
    const attrs: NameAttribute[] = [
      { type: 'C', value: 'KZ' }, { type: 'O', value: 'Ромашка, ТОО' }, { type: 'OU', value: '#1 + "отдел"' }, { type: 'CN', value: ' Иван <Ivan>; ' },
    ];
    const key = generateEd25519();
    const name = encodeName(attrs);
    o.writePem('self.pem', buildCertificate({
      serialNumber: 1n, issuer: name, subject: name, notBefore: new Date(), notAfter: new Date(Date.now() + 60_000), subjectPublicKeyInfo: ed25519Spki(key.publicKey),
    }, ed25519Signer(key.privateKey)));
    const openssl = o.ok('x509', '-in', 'self.pem', '-noout', '-subject', '-nameopt', 'RFC2253,-esc_msb,sep_comma_plus_space').trim().replace(/^subject=/, '');
    expect(formatName(attrs)).to.equal(openssl);
    expect(formatName(attrs)).to.equal('CN=\\ Иван \\<Ivan\\>\\;\\ , OU=\\#1 \\+ \\"отдел\\", O=Ромашка\\, ТОО, C=KZ');
  });

  it('refuses unknown types, bad countries, non-printable serial numbers and non-ASCII e-mail', () => {
    expect(() => encodeName([{ type: 'XX', value: 'a' }])).to.throw(NameError, /unknown name attribute/);
    expect(() => encodeName([{ type: 'C', value: 'Kaz' }])).to.throw(NameError, /alpha-2/);
    expect(() => encodeName([{ type: 'SERIALNUMBER', value: 'ЖСН880101300123' }])).to.throw(NameError, /PrintableString/);
    expect(() => encodeName([{ type: 'E', value: 'әли@ruqsat.kz' }])).to.throw(NameError, /IA5String/);
    expect(() => encodeName([{ type: 'CN', value: '' }])).to.throw(NameError, /empty/);
    expect(() => decodeName(new Uint8Array([0x31, 0x00]))).to.throw(NameError);
  });
});
