// CA keys: the at-rest envelope round-trips, refuses wrong passphrases and tampering, and never shows the seed.
import { expect } from 'chai';
import { createPublicKey, verify } from 'node:crypto';
import {
  decryptPrivateKey, ed25519Spki, encryptPrivateKey, generateEd25519, KeyDecryptError, keyIdentifier, signEd25519,
} from '../../../services/trust/domain/pki/keys.ts';
import { OpenSslDir } from './openssl.ts';

function flipCiphertextByte(envelope: string): string {
  const env = JSON.parse(Buffer.from(envelope, 'base64url').toString('utf8'));
  const ct = Buffer.from(env.ct, 'base64url');
  ct[5] ^= 0x01;
  env.ct = ct.toString('base64url');
  return Buffer.from(JSON.stringify(env)).toString('base64url');
}

describe('pki/keys', () => {
  const key = generateEd25519();
  const passphrase = 'correct horse battery staple';
  const envelope = encryptPrivateKey(key.privateKey, passphrase);

  it('decrypts what it encrypted', () => {
    expect(Buffer.from(decryptPrivateKey(envelope, passphrase))).to.deep.equal(Buffer.from(key.privateKey));
  });

  it('throws KeyDecryptError on a wrong passphrase, without echoing secrets', () => {
    let err: unknown;
    try { decryptPrivateKey(envelope, 'Tr0ub4dor&3'); } catch (e) { err = e; }
    expect(err).to.be.instanceOf(KeyDecryptError);
    const msg = (err as Error).message + String((err as Error).stack);
    expect(msg).not.to.include(passphrase);
    expect(msg).not.to.include('Tr0ub4dor&3');
    expect(msg).not.to.include(Buffer.from(key.privateKey).toString('hex'));
  });

  it('throws KeyDecryptError when one ciphertext byte is flipped', () => {
    expect(() => decryptPrivateKey(flipCiphertextByte(envelope), passphrase)).to.throw(KeyDecryptError);
  });

  it('throws KeyDecryptError on garbage and on a forged KDF cost', () => {
    expect(() => decryptPrivateKey('not an envelope', passphrase)).to.throw(KeyDecryptError);
    const env = JSON.parse(Buffer.from(envelope, 'base64url').toString('utf8'));
    const forged = Buffer.from(JSON.stringify({ ...env, N: 2 ** 30 })).toString('base64url');
    expect(() => decryptPrivateKey(forged, passphrase)).to.throw(KeyDecryptError, /unsupported/);
  });

  it('uses a fresh salt and IV each time', () => {
    const again = encryptPrivateKey(key.privateKey, passphrase);
    expect(again).not.to.equal(envelope);
    expect(Buffer.from(decryptPrivateKey(again, passphrase))).to.deep.equal(Buffer.from(key.privateKey));
  });

  it('never contains the seed in hex, base64, base64url or raw form, inside or outside the JSON', () => {
    const seed = Buffer.from(key.privateKey);
    const decoded = Buffer.from(envelope, 'base64url');
    const haystacks = [envelope, decoded.toString('utf8'), decoded.toString('latin1')];
    const needles = [
      seed.toString('hex'), seed.toString('hex').toUpperCase(), seed.toString('base64'), seed.toString('base64url'),
      seed.toString('base64').slice(0, 40), seed.subarray(0, 16).toString('hex'), seed.toString('latin1'),
    ];
    for (const h of haystacks) for (const n of needles) expect(h).not.to.include(n);
    // Nor any field of the JSON, decoded from its base64url form.
    const env = JSON.parse(decoded.toString('utf8'));
    for (const v of Object.values(env)) if (typeof v === 'string') expect(Buffer.from(v, 'base64url').includes(seed.subarray(0, 8))).to.equal(false);
  });

  it('signs so that node:crypto (OpenSSL) verifies, and the SPKI reads in openssl', () => {
    const spki = ed25519Spki(key.publicKey);
    const msg = new TextEncoder().encode('тіркеу куәлігі');
    const sig = signEd25519(key.privateKey, msg);
    expect(verify(null, msg, createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }), sig)).to.equal(true);
    const o = new OpenSslDir();
    try {
      o.write('pub.der', spki);
      const text = o.ok('pkey', '-pubin', '-inform', 'DER', '-in', 'pub.der', '-text', '-noout');
      expect(text).to.include('ED25519 Public-Key');
      expect(text.replace(/[\s:]/g, '')).to.include(Buffer.from(key.publicKey).toString('hex'));
    } finally { o.remove(); }
    expect(keyIdentifier(spki)).to.have.length(20);
  });
});
