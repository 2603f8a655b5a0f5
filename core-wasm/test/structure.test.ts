// The core's certificate structure checks (RFC 5280 §4.1) on hand-built DER.
import { expect } from 'chai';
import { parseCertificate, parseCrl, CoreError } from '../src/index.ts';
import { tlv, seq, oid, int, name, time, ext, newKey } from '../bench/pki.ts';

const key = newKey('ed25519');
const alg = seq(oid('1.3.101.112'));
const validity = seq(time(1_700_000_000), time(1_800_000_000));
const bc = ext('2.5.29.19', true, seq(tlv(0x01, Buffer.from([0xff]))));
const ski = ext('2.5.29.14', false, tlv(0x04, Buffer.alloc(20, 1)));

function cert(tbsFields: Buffer[], outerAlg = alg, sig = tlv(0x03, Buffer.from([0]), Buffer.alloc(64, 7))): Buffer {
  return seq(seq(...tbsFields), outerAlg, sig);
}

const v3 = tlv(0xa0, int(2));
const body = (extensions?: Buffer[]) => [v3, int(5), alg, name('Issuer'), validity, name('Subject'), key.spki, ...(extensions ? [tlv(0xa3, seq(...extensions))] : [])];

function code(der: Buffer): string {
  try {
    parseCertificate(der);
    return 'ok';
  } catch (err) {
    expect(err).to.be.instanceOf(CoreError);
    return (err as Error).message.replace('certificate: ', '');
  }
}

describe('certificate structure (core)', () => {
  it('accepts a well-formed v3 certificate and locates its fields', () => {
    const c = parseCertificate(cert(body([bc, ski])));
    expect(c.version).to.equal(3);
    expect(c.serialHex).to.equal('05');
    expect(c.notBefore).to.equal(1_700_000_000);
    expect(c.notAfter).to.equal(1_800_000_000);
    expect(c.subject.text).to.equal('CN=Subject, O=Ruqsat');
    expect(Buffer.from(c.spki).equals(key.spki)).to.equal(true);
    expect(c.extensions.map((e) => [e.oid, e.critical])).to.deep.equal([['2.5.29.19', true], ['2.5.29.14', false]]);
    expect(c.signature).to.have.length(64);
  });

  it('rejects version problems', () => {
    expect(code(cert([tlv(0xa0, int(0)), ...body().slice(1)]))).to.equal('bad version'); // explicit v1
    expect(code(cert([tlv(0xa0, int(3)), ...body().slice(1)]))).to.equal('bad version');
    expect(code(cert([...body().slice(1), tlv(0xa3, seq(bc))]))).to.equal('bad version'); // extensions in v1
    expect(code(cert([tlv(0xa0, int(1)), ...body().slice(1), tlv(0xa3, seq(bc))]))).to.equal('bad version'); // extensions in v2
    expect(code(cert(body().slice(1)))).to.equal('ok'); // v1 without extensions
  });

  it('rejects missing, extra and mistyped fields', () => {
    expect(code(cert(body().filter((_, i) => i !== 1)))).to.equal('missing, extra or mistyped field');
    expect(code(cert([...body(), int(1)]))).to.equal('missing, extra or mistyped field');
    expect(code(cert([v3, tlv(0x04, Buffer.from([5])), ...body().slice(2)]))).to.equal('missing, extra or mistyped field');
    expect(code(seq(seq(...body()), alg))).to.equal('missing, extra or mistyped field');
    const badValidity = [v3, int(5), alg, name('I'), seq(time(1), time(2), time(3)), name('S'), key.spki];
    expect(code(cert(badValidity))).to.equal('missing, extra or mistyped field');
  });

  it('rejects algorithm mismatch, duplicate extensions, empty extensions and explicit critical FALSE', () => {
    expect(code(cert(body(), seq(oid('1.2.840.10045.4.3.2'))))).to.equal('outer signatureAlgorithm differs from the signed one');
    expect(code(cert(body([bc, ski, bc])))).to.equal('duplicate extension');
    expect(code(cert(body([])))).to.equal('empty extensions or explicit critical FALSE');
    const falseCritical = seq(oid('2.5.29.14'), tlv(0x01, Buffer.from([0])), tlv(0x04, tlv(0x04, Buffer.alloc(4))));
    expect(code(cert(body([falseCritical])))).to.equal('empty extensions or explicit critical FALSE');
  });

  it('rejects bad times and signatures with unused bits', () => {
    const badTime = [v3, int(5), alg, name('I'), seq(tlv(0x18, Buffer.from('20240230000000Z')), time(2)), name('S'), key.spki];
    expect(code(cert(badTime))).to.equal('bad time');
    expect(code(cert(body(), alg, tlv(0x03, Buffer.from([1, 0xfe]))))).to.equal('bad primitive value');
  });
});

describe('CRL structure (core)', () => {
  const entry = seq(int(7), time(1_700_000_000));
  const crlNumber = ext('2.5.29.20', false, int(3));
  const tbs = (fields: Buffer[]) => seq(seq(...fields), alg, tlv(0x03, Buffer.from([0]), Buffer.alloc(64, 7)));
  const v2 = (more: Buffer[] = [seq(entry)], exts: Buffer[] | null = [crlNumber]) =>
    [int(1), alg, name('Issuer'), time(1_700_000_000), time(1_800_000_000), ...more, ...(exts ? [tlv(0xa0, seq(...exts))] : [])];

  function crlCode(der: Buffer): string {
    try {
      parseCrl(der);
      return 'ok';
    } catch (err) {
      expect(err).to.be.instanceOf(CoreError);
      return (err as Error).message.replace('CRL: ', '');
    }
  }

  it('accepts v2 with entries and extensions, and v1 without', () => {
    const c = parseCrl(tbs(v2()));
    expect([c.version, c.revokedCount, c.crlNumber, c.thisUpdate, c.nextUpdate]).to.deep.equal([2, 1, 3n, 1_700_000_000, 1_800_000_000]);
    expect(parseCrl(tbs([alg, name('Issuer'), time(1_700_000_000)])).nextUpdate).to.equal(undefined);
  });

  it('rejects version, structure and entry problems', () => {
    expect(crlCode(tbs([int(0), ...v2().slice(1)]))).to.equal('bad version');
    expect(crlCode(tbs(v2().slice(1)))).to.equal('bad version'); // extensions in a v1 CRL
    expect(crlCode(tbs(v2([seq()])))).to.equal('missing, extra or mistyped field');
    expect(crlCode(tbs(v2([seq(seq(int(7)))])))).to.equal('truncated');
    expect(crlCode(tbs(v2([seq(entry)], [crlNumber, crlNumber])))).to.equal('duplicate extension');
    expect(crlCode(tbs([...v2(), int(1)]))).to.equal('missing, extra or mistyped field');
    expect(crlCode(seq(seq(...v2()), seq(oid('1.2.840.10045.4.3.2')), tlv(0x03, Buffer.from([0]), Buffer.alloc(8))))).to.equal('outer signatureAlgorithm differs from the signed one');
  });
});
