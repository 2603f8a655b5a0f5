// Signature checks are delegated to the host (native code): node:crypto by default, @noble/ed25519 as the
// portable Ed25519 backend. The core never does big-number arithmetic itself.
import { createPublicKey, verify as nodeVerify, constants, KeyObject } from 'node:crypto';
import * as ed from '@noble/ed25519';
import { TAG, parseDer, readSmallInt } from './der.ts';
import { OID, decodeOid } from './oid.ts';
import { AlgorithmId, readAlgorithm } from './x509.ts';
import { sha512 } from './hash.ts';
import { core, copyIn, mem, setSignatureHost } from './wasm.ts';
import { CoreError } from './codes.ts';

export type SignatureResult = 'OK' | 'BAD_SIGNATURE' | 'UNSUPPORTED_ALGORITHM';

export interface SignatureBackend {
  name: string;
  verify(alg: AlgorithmId, spki: Uint8Array, data: Uint8Array, signature: Uint8Array): SignatureResult;
}

// What `openssl verify` accepts, SHA-1 aside (refused by policy, see legacySha1).
const HASH_OF: Record<string, string> = {
  [OID.sha224]: 'sha224', [OID.sha256]: 'sha256', [OID.sha384]: 'sha384', [OID.sha512]: 'sha512',
};
const ECDSA: Record<string, string> = {
  '1.2.840.10045.4.3.1': 'sha224', '1.2.840.10045.4.3.2': 'sha256', '1.2.840.10045.4.3.3': 'sha384', '1.2.840.10045.4.3.4': 'sha512',
};
const RSA_PKCS1: Record<string, string> = {
  '1.2.840.113549.1.1.14': 'sha224', '1.2.840.113549.1.1.11': 'sha256', '1.2.840.113549.1.1.12': 'sha384', '1.2.840.113549.1.1.13': 'sha512',
};
const EDDSA: Record<string, string> = { [OID.ed25519]: 'ed25519', [OID.ed448]: 'ed448' }; // the key type each needs
const DSA: Record<string, string> = { '2.16.840.1.101.3.4.3.1': 'sha224', '2.16.840.1.101.3.4.3.2': 'sha256' };
const CURVES = new Set(['prime256v1', 'secp384r1', 'secp521r1', 'secp256k1', 'brainpoolP256r1', 'brainpoolP384r1', 'brainpoolP512r1']);

// Parsing a public key costs more than some verifications; keep the recent ones.
const keyCache = new Map<string, KeyObject | null>();
function keyObject(spki: Uint8Array): KeyObject | null {
  const id = Buffer.from(spki.buffer, spki.byteOffset, spki.length).toString('base64');
  let k = keyCache.get(id);
  if (k === undefined) {
    try {
      k = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
    } catch {
      k = null;
    }
    if (keyCache.size >= 4096) keyCache.delete(keyCache.keys().next().value!);
    keyCache.set(id, k);
  }
  return k;
}

interface PssParams { hash: string; saltLength: number }

// RSASSA-PSS-params (RFC 4055): hash [0], MGF1 [1] with the same hash, salt [2], trailer [3] = 1.
function pssParams(params: Uint8Array | undefined): PssParams | null {
  if (!params) return null;
  const d = parseDer(params);
  d.expect(0, TAG.SEQUENCE, 'RSASSA-PSS-params');
  let hash = OID.sha256 as string;
  let mgfHash = OID.sha256 as string;
  let hashSet = false;
  let saltLength = 20;
  for (const f of d.children(0)) {
    const inner = d.children(f)[0];
    const t = d.tag(f);
    if (t === 0xa0) { hash = decodeOid(d.content(d.children(inner)[0])); hashSet = true; }
    else if (t === 0xa1) {
      const [mgf, p] = d.children(inner);
      if (decodeOid(d.content(mgf)) !== OID.mgf1 || p === undefined) return null;
      mgfHash = decodeOid(d.content(d.children(p)[0]));
    } else if (t === 0xa2) saltLength = readSmallInt(d, d.expect(inner, TAG.INTEGER, 'saltLength'), 'salt');
    else if (t === 0xa3) { if (readSmallInt(d, inner, 'trailer') !== 1) return null; }
  }
  if (!hashSet || mgfHash !== hash || !HASH_OF[hash]) return null; // SHA-1 defaults are not accepted
  return { hash: HASH_OF[hash], saltLength };
}

function noParams(alg: AlgorithmId): boolean {
  return alg.params === undefined;
}

function nullOrNoParams(alg: AlgorithmId): boolean {
  return alg.params === undefined || (alg.params.length === 2 && alg.params[0] === 0x05 && alg.params[1] === 0);
}

function run(fn: () => boolean): SignatureResult {
  try {
    return fn() ? 'OK' : 'BAD_SIGNATURE';
  } catch {
    return 'BAD_SIGNATURE';
  }
}

// SHA-1 signatures, for legacy conformance data only (PKITS-era): collisions make them forgeable.
const SHA1_RSA = '1.2.840.113549.1.1.5';
const SHA1_ECDSA = '1.2.840.10045.4.1';

export interface NodeBackendOptions {
  /** Accept sha1WithRSAEncryption / ecdsa-with-SHA1 (default false: UNSUPPORTED_ALGORITHM). */
  legacySha1?: boolean;
}

/** node:crypto (OpenSSL) backend: Ed25519, Ed448, ECDSA (P-256/384/521, secp256k1, brainpool), RSA PKCS#1 v1.5 and RSA-PSS, DSA, with SHA-2. */
export function createNodeBackend(opts: NodeBackendOptions = {}): SignatureBackend {
  const ecdsa = opts.legacySha1 ? { ...ECDSA, [SHA1_ECDSA]: 'sha1' } : ECDSA;
  const rsa = opts.legacySha1 ? { ...RSA_PKCS1, [SHA1_RSA]: 'sha1' } : RSA_PKCS1;
  return { name: opts.legacySha1 ? 'node:crypto+sha1' : 'node:crypto', verify: (alg, spki, data, sig) => nodeVerifyWith(ecdsa, rsa, alg, spki, data, sig) };
}

function nodeVerifyWith(ecdsa: Record<string, string>, rsa: Record<string, string>, alg: AlgorithmId, spki: Uint8Array, data: Uint8Array, sig: Uint8Array): SignatureResult {
  const key = keyObject(spki);
  if (!key) return 'UNSUPPORTED_ALGORITHM';
  const type = key.asymmetricKeyType;
  const eddsa = EDDSA[alg.oid];
  if (eddsa) {
    if (!noParams(alg)) return 'UNSUPPORTED_ALGORITHM';
    if (type !== eddsa) return 'BAD_SIGNATURE';
    return run(() => nodeVerify(null, data, key, sig));
  }
  if (DSA[alg.oid]) {
    if (!noParams(alg)) return 'UNSUPPORTED_ALGORITHM';
    if (type !== 'dsa') return 'BAD_SIGNATURE';
    return run(() => nodeVerify(DSA[alg.oid], data, { key, dsaEncoding: 'der' }, sig));
  }
  if (ecdsa[alg.oid]) {
    if (!noParams(alg)) return 'UNSUPPORTED_ALGORITHM';
    if (type !== 'ec') return 'BAD_SIGNATURE';
    if (!CURVES.has(key.asymmetricKeyDetails?.namedCurve ?? '')) return 'UNSUPPORTED_ALGORITHM';
    return run(() => nodeVerify(ecdsa[alg.oid], data, { key, dsaEncoding: 'der' }, sig));
  }
  if (rsa[alg.oid]) {
    if (!nullOrNoParams(alg)) return 'UNSUPPORTED_ALGORITHM';
    if (type !== 'rsa') return 'BAD_SIGNATURE';
    return run(() => nodeVerify(rsa[alg.oid], data, { key, padding: constants.RSA_PKCS1_PADDING }, sig));
  }
  if (alg.oid === OID.rsaPss) {
    let p: PssParams | null;
    try {
      p = pssParams(alg.params);
    } catch {
      return 'UNSUPPORTED_ALGORITHM';
    }
    if (!p) return 'UNSUPPORTED_ALGORITHM';
    if (type !== 'rsa' && type !== 'rsa-pss') return 'BAD_SIGNATURE';
    const pss = p;
    return run(() => nodeVerify(pss.hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: pss.saltLength }, sig));
  }
  return 'UNSUPPORTED_ALGORITHM';
}

export const nodeBackend: SignatureBackend = createNodeBackend();

// noble needs a synchronous SHA-512: the core's own.
ed.hashes.sha512 = (m: Uint8Array) => sha512(m) as Uint8Array<ArrayBuffer>;

/** Raw 32-byte Ed25519 key from an SPKI (SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING }). */
function ed25519Key(spki: Uint8Array): Uint8Array | null {
  const d = parseDer(spki);
  const [alg, bits] = d.children(0);
  const algOid = decodeOid(d.content(d.children(alg)[0]));
  const key = d.content(bits);
  if (algOid !== OID.ed25519 || d.children(alg).length !== 1 || key.length !== 33 || key[0] !== 0) return null;
  return key.subarray(1);
}

/** Portable backend: Ed25519 in JavaScript (@noble/ed25519); other algorithms go to the fallback, if any. */
export function nobleBackend(fallback?: SignatureBackend): SignatureBackend {
  return {
    name: fallback ? `@noble/ed25519+${fallback.name}` : '@noble/ed25519',
    verify(alg, spki, data, sig) {
      if (alg.oid !== OID.ed25519) return fallback ? fallback.verify(alg, spki, data, sig) : 'UNSUPPORTED_ALGORITHM';
      if (!noParams(alg)) return 'UNSUPPORTED_ALGORITHM';
      let key: Uint8Array | null;
      try {
        key = ed25519Key(spki);
      } catch {
        key = null;
      }
      if (!key) return 'BAD_SIGNATURE';
      const k = key;
      if (sig.length !== 64) return 'BAD_SIGNATURE';
      return run(() => ed.verify(sig, data, k, { zip215: false }));
    },
  };
}

const RESULTS: SignatureResult[] = ['OK', 'BAD_SIGNATURE', 'UNSUPPORTED_ALGORITHM'];
// Algorithm identifiers repeat across millions of objects; decode each distinct encoding once.
const algorithms = new Map<string, AlgorithmId>();
let active: SignatureBackend = nodeBackend;

setSignatureHost((alg, algLen, spki, spkiLen, msg, msgLen, sig, sigLen) => {
  // Copy out first: decoding may re-enter the core, and growth would detach views of its memory.
  const m = mem();
  const algDer = m.slice(alg, alg + algLen);
  const key = m.slice(spki, spki + spkiLen);
  const data = m.slice(msg, msg + msgLen);
  const signature = m.slice(sig, sig + sigLen);
  const id = Buffer.from(algDer).toString('hex');
  let a = algorithms.get(id);
  if (!a) {
    try {
      a = readAlgorithm(parseDer(algDer), 0);
    } catch {
      return 2;
    }
    if (algorithms.size < 256) algorithms.set(id, a);
  }
  return RESULTS.indexOf(active.verify(a, key, data, signature));
});

/**
 * Checks a signed object (certificate or CRL DER) against an issuer's SubjectPublicKeyInfo: the core finds
 * the signed bytes and calls the host import, which runs backend.
 */
export function verifySigned(der: Uint8Array, issuerSpki: Uint8Array, backend: SignatureBackend): SignatureResult {
  const p = copyIn(der);
  const k = copyIn(issuerSpki);
  const previous = active;
  active = backend;
  try {
    const rc = core.verifySigned(p, der.length, k, issuerSpki.length);
    if (rc < 0) throw new CoreError('MALFORMED', 'signed object: bad structure');
    return RESULTS[rc] ?? 'BAD_SIGNATURE';
  } finally {
    active = previous;
    core.free(k);
    core.free(p);
  }
}
