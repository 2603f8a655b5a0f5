// PKCS#10 from `openssl req -new`: every accepted key type parses, and a broken proof of possession or garbage is refused.
import { expect } from 'chai';
import { createPublicKey } from 'node:crypto';
import { CsrError, parseCsr } from '../../../services/trust/domain/pki/csr.ts';
import { OpenSslDir } from './openssl.ts';

const SUBJ = '/C=KZ/CN=ӘЛИЕВ ӘЛИ/serialNumber=IIN880101300123';

function csrError(f: () => unknown): CsrError {
  try { f(); } catch (e) { if (e instanceof CsrError) return e; throw e; }
  throw new Error('expected a CsrError');
}

describe('pki/csr', () => {
  const o = new OpenSslDir();
  const csrs: Record<string, Uint8Array> = {};
  before(() => { for (const k of ['ed25519', 'p256', 'p384', 'rsa'] as const) csrs[k] = o.csr(k, SUBJ); });
  after(() => o.remove());

  for (const [kind, alg] of [['ed25519', 'ed25519'], ['p256', 'ecdsa-p256'], ['p384', 'ecdsa-p384'], ['rsa', 'rsa']] as const) {
    it(`accepts an openssl ${kind} CSR (DER and PEM) with the subject and key openssl put in it`, () => {
      // What openssl says is in the request, as the reference.
      expect(o.ok('req', '-in', `${kind}.csr.der`, '-inform', 'DER', '-noout', '-verify')).to.match(/verify OK/i);
      const pem = o.ok('req', '-in', `${kind}.csr.der`, '-inform', 'DER', '-outform', 'PEM');
      const opensslPub = o.ok('req', '-in', `${kind}.csr.der`, '-inform', 'DER', '-noout', '-pubkey');
      for (const input of [csrs[kind], pem]) {
        const r = parseCsr(input);
        expect(r.keyAlgorithm).to.equal(alg);
        expect(r.subjectAttributes).to.deep.equal([
          { type: 'C', value: 'KZ' }, { type: 'CN', value: 'ӘЛИЕВ ӘЛИ' }, { type: 'SERIALNUMBER', value: 'IIN880101300123' },
        ]);
        const ours = createPublicKey({ key: Buffer.from(r.subjectPublicKeyInfo), format: 'der', type: 'spki' }).export({ format: 'pem', type: 'spki' });
        expect(ours).to.equal(opensslPub);
      }
    });
  }

  it('refuses a CSR with one flipped byte in the signature: BAD_SIGNATURE (openssl agrees)', () => {
    for (const kind of ['ed25519', 'p256', 'rsa']) {
      const bad = Uint8Array.from(csrs[kind]);
      bad[bad.length - 5] ^= 0x01; // inside the signature BIT STRING, the last element of the request
      o.write(`${kind}-bad.csr.der`, bad);
      const r = o.run('req', '-in', `${kind}-bad.csr.der`, '-inform', 'DER', '-noout', '-verify');
      expect(r.out).to.match(/verify failure|Certificate request self-signature did not match|bad signature|verification failure/i);
      const err = csrError(() => parseCsr(bad));
      expect(err.reason, kind).to.equal('BAD_SIGNATURE');
    }
  });

  it('refuses a CSR whose signed subject was altered after signing: BAD_SIGNATURE', () => {
    const bad = Buffer.from(csrs.ed25519);
    const at = bad.indexOf(Buffer.from('IIN880101300123'));
    bad[at + 3] = '9'.charCodeAt(0);
    expect(csrError(() => parseCsr(new Uint8Array(bad))).reason).to.equal('BAD_SIGNATURE');
  });

  it('refuses garbage, truncation, trailing bytes and PEM without a block: MALFORMED', () => {
    expect(csrError(() => parseCsr(new Uint8Array([1, 2, 3, 4, 5]))).reason).to.equal('MALFORMED');
    expect(csrError(() => parseCsr(csrs.p256.subarray(0, csrs.p256.length - 10))).reason).to.equal('MALFORMED');
    expect(csrError(() => parseCsr(new Uint8Array([...csrs.p256, 0]))).reason).to.equal('MALFORMED');
    expect(csrError(() => parseCsr('hello')).reason).to.equal('MALFORMED');
    expect(csrError(() => parseCsr(new Uint8Array(0))).reason).to.equal('MALFORMED');
  });

  it('refuses RSA-1024, secp256k1 and SHA-1 signatures: UNSUPPORTED_ALGORITHM', () => {
    o.ok('req', '-new', '-newkey', 'rsa:1024', '-nodes', '-keyout', 'r1024.key', '-subj', '/CN=x', '-outform', 'DER', '-out', 'r1024.der');
    expect(csrError(() => parseCsr(o.read('r1024.der'))).reason).to.equal('UNSUPPORTED_ALGORITHM');
    o.ok('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:secp256k1', '-nodes', '-keyout', 'k1.key', '-subj', '/CN=x', '-outform', 'DER', '-out', 'k1.der');
    expect(csrError(() => parseCsr(o.read('k1.der'))).reason).to.equal('UNSUPPORTED_ALGORITHM');
    o.ok('req', '-new', '-key', 'rsa.key', '-sha1', '-subj', '/CN=x', '-outform', 'DER', '-out', 'sha1.der');
    expect(csrError(() => parseCsr(o.read('sha1.der'))).reason).to.equal('UNSUPPORTED_ALGORITHM');
  });
});
