// CA keys: Ed25519 signing (@noble/ed25519) and the encrypted envelope that keeps a CA's private key (жабық кілт) at rest.
import * as ed from '@noble/ed25519';
import { createCipheriv, createDecipheriv, createHash, randomBytes, scryptSync } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { bytes, der, toArrayBuffer } from './der.ts';

// noble needs a synchronous SHA-512; node's is native. Left alone when another module already set one.
ed.hashes.sha512 ??= (m: Uint8Array) => new Uint8Array(createHash('sha512').update(m).digest());

export const ID_ED25519 = '1.3.101.112';

export interface Ed25519Key { privateKey: Uint8Array; publicKey: Uint8Array }

/** Anything that signs a TBS structure; the encoders label the signature id-Ed25519 with absent parameters (RFC 8410). */
export interface Signer { sign(message: Uint8Array): Uint8Array }

export function generateEd25519(): Ed25519Key {
  const privateKey = new Uint8Array(randomBytes(32));
  return { privateKey, publicKey: ed.getPublicKey(privateKey) };
}

export function ed25519PublicKey(privateKey: Uint8Array): Uint8Array {
  return ed.getPublicKey(privateKey);
}

export function signEd25519(privateKey: Uint8Array, message: Uint8Array): Uint8Array {
  return ed.sign(message, privateKey);
}

export function ed25519Signer(privateKey: Uint8Array): Signer {
  const seed = Uint8Array.from(privateKey);
  return { sign: (message) => ed.sign(message, seed) };
}

/** AlgorithmIdentifier for id-Ed25519: parameters MUST be absent (RFC 8410 §3). */
export const ed25519Algorithm = () => new AlgorithmIdentifier({ algorithm: ID_ED25519 });

export function ed25519Spki(publicKey: Uint8Array): Uint8Array {
  if (publicKey.length !== 32) throw new RangeError('an Ed25519 public key is 32 bytes');
  return der(new SubjectPublicKeyInfo({ algorithm: ed25519Algorithm(), subjectPublicKey: toArrayBuffer(publicKey) }));
}

/** The subjectPublicKey BIT STRING contents (without the unused-bits octet) of a DER SubjectPublicKeyInfo. */
export function spkiKeyBits(spkiDer: Uint8Array): Uint8Array {
  return bytes(AsnConvert.parse(toArrayBuffer(spkiDer), SubjectPublicKeyInfo).subjectPublicKey);
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING contents. */
export function keyIdentifier(spkiDer: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha1').update(spkiKeyBits(spkiDer)).digest());
}

// ---- encryption at rest ----

/** Never carries key material or the passphrase in its message. */
export class KeyDecryptError extends Error {
  constructor(message = 'cannot decrypt the private key: wrong passphrase or damaged envelope') {
    super(message);
    this.name = 'KeyDecryptError';
  }
}

interface Envelope { v: 1; kdf: 'scrypt'; N: number; r: number; p: number; salt: string; iv: string; tag: string; ct: string }

// OWASP's scrypt floor (N=2^15, r=8) costs ~32 MB and ~50 ms here: fine for a CA key unlocked once per process start.
const KDF = { N: 2 ** 15, r: 8, p: 1 } as const;
const MAX_N = 2 ** 17; // 128 MB: room to raise the cost later, not enough for a forged envelope to exhaust memory
const AAD = Buffer.from('ruqsat/ca-key/v1');

function deriveKey(passphrase: string, salt: Buffer, N: number, r: number, p: number): Buffer {
  return scryptSync(passphrase.normalize('NFC'), salt, 32, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 });
}

/** scrypt → AES-256-GCM; the result is base64url JSON {v, kdf, N, r, p, salt, iv, tag, ct}. */
export function encryptPrivateKey(seed: Uint8Array, passphrase: string): string {
  if (seed.length !== 32) throw new RangeError('an Ed25519 private key seed is 32 bytes');
  if (passphrase.length === 0) throw new RangeError('an empty passphrase protects nothing');
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const key = deriveKey(passphrase, salt, KDF.N, KDF.r, KDF.p);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(AAD);
  const ct = Buffer.concat([cipher.update(seed), cipher.final()]);
  key.fill(0);
  const env: Envelope = {
    v: 1, kdf: 'scrypt', ...KDF,
    salt: salt.toString('base64url'), iv: iv.toString('base64url'),
    tag: cipher.getAuthTag().toString('base64url'), ct: ct.toString('base64url'),
  };
  return Buffer.from(JSON.stringify(env)).toString('base64url');
}

export function decryptPrivateKey(envelope: string, passphrase: string): Uint8Array {
  let env: Envelope;
  try {
    env = JSON.parse(Buffer.from(envelope, 'base64url').toString('utf8'));
  } catch {
    throw new KeyDecryptError('the private key envelope is not readable');
  }
  const isPow2 = (n: unknown) => Number.isInteger(n) && (n as number) > 1 && ((n as number) & ((n as number) - 1)) === 0;
  // Bounds stop a forged envelope from making scrypt allocate gigabytes.
  if (env?.v !== 1 || env.kdf !== 'scrypt' || !isPow2(env.N) || env.N > MAX_N || env.r !== 8 || env.p !== 1)
    throw new KeyDecryptError('unsupported private key envelope');
  const salt = Buffer.from(String(env.salt), 'base64url');
  const iv = Buffer.from(String(env.iv), 'base64url');
  const tag = Buffer.from(String(env.tag), 'base64url');
  const ct = Buffer.from(String(env.ct), 'base64url');
  if (salt.length !== 16 || iv.length !== 12 || tag.length !== 16 || ct.length !== 32) throw new KeyDecryptError('damaged private key envelope');
  const key = deriveKey(passphrase, salt, env.N, env.r, env.p);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(AAD);
    decipher.setAuthTag(tag);
    return new Uint8Array(Buffer.concat([decipher.update(ct), decipher.final()]));
  } catch {
    throw new KeyDecryptError();
  } finally {
    key.fill(0);
  }
}
