// PKCS#10 requests (RFC 2986) as `openssl req -new` makes them: parsed, then the proof of possession checked with node:crypto.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { CertificationRequest } from '@peculiar/asn1-csr';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { bytes, children, fromPem, single, slice, toArrayBuffer } from './der.ts';
import { ID_ED25519 } from './keys.ts';
import { decodeName, type NameAttribute } from './names.ts';

export type KeyAlgorithm = 'ed25519' | 'ecdsa-p256' | 'ecdsa-p384' | 'rsa';

export interface ParsedCsr { subject: Uint8Array; subjectAttributes: NameAttribute[]; subjectPublicKeyInfo: Uint8Array; keyAlgorithm: KeyAlgorithm }

export class CsrError extends Error {
  constructor(readonly reason: 'MALFORMED' | 'BAD_SIGNATURE' | 'UNSUPPORTED_ALGORITHM', message: string) {
    super(message);
    this.name = 'CsrError';
  }
}

const EC_PUBLIC_KEY = '1.2.840.10045.2.1';
const RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
// SHA-1 signatures are refused: a collision-prone hash proves nothing about possession.
const SIGNATURES: Record<string, { key: 'ed25519' | 'ec' | 'rsa'; hash: string | null }> = {
  [ID_ED25519]: { key: 'ed25519', hash: null },
  '1.2.840.10045.4.3.2': { key: 'ec', hash: 'sha256' },
  '1.2.840.10045.4.3.3': { key: 'ec', hash: 'sha384' },
  '1.2.840.10045.4.3.4': { key: 'ec', hash: 'sha512' },
  '1.2.840.113549.1.1.11': { key: 'rsa', hash: 'sha256' },
  '1.2.840.113549.1.1.12': { key: 'rsa', hash: 'sha384' },
  '1.2.840.113549.1.1.13': { key: 'rsa', hash: 'sha512' },
};
const MIN_RSA_BITS = 2048;
// node:crypto reports OpenSSL's curve names.
const CURVES: Record<string, KeyAlgorithm> = { prime256v1: 'ecdsa-p256', secp384r1: 'ecdsa-p384' };

function keyAlgorithmOf(alg: AlgorithmIdentifier, key: KeyObject): KeyAlgorithm {
  if (alg.algorithm === ID_ED25519) return 'ed25519';
  if (alg.algorithm === RSA_ENCRYPTION) {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < MIN_RSA_BITS) throw new CsrError('UNSUPPORTED_ALGORITHM', `RSA keys need at least ${MIN_RSA_BITS} bits, got ${bits}`);
    return 'rsa';
  }
  if (alg.algorithm === EC_PUBLIC_KEY) {
    const named = key.asymmetricKeyDetails?.namedCurve;
    if (named && CURVES[named]) return CURVES[named];
    throw new CsrError('UNSUPPORTED_ALGORITHM', `EC curve ${named ?? 'unknown'} is not accepted (P-256 or P-384)`);
  }
  throw new CsrError('UNSUPPORTED_ALGORITHM', `public key algorithm ${alg.algorithm} is not accepted`);
}

function toDer(input: Uint8Array | string): Uint8Array {
  if (typeof input !== 'string') return input;
  const der = fromPem(input);
  if (!der) throw new CsrError('MALFORMED', 'no PEM block in the request text');
  return der;
}

/** DER or PEM; returns only after the request's self-signature verifies against its own public key. */
export function parseCsr(input: Uint8Array | string): ParsedCsr {
  const der = toDer(input);
  let csr: CertificationRequest;
  let info: Uint8Array, subject: Uint8Array, spki: Uint8Array;
  try {
    csr = AsnConvert.parse(toArrayBuffer(der), CertificationRequest);
    const [infoTlv] = children(der, single(der));
    const [, subjectTlv, spkiTlv] = children(der, infoTlv);
    [info, subject, spki] = [slice(der, infoTlv), slice(der, subjectTlv), slice(der, spkiTlv)];
  } catch (e) {
    throw new CsrError('MALFORMED', `not a PKCS#10 request: ${(e as Error).message}`);
  }
  if (csr.certificationRequestInfo.version !== 0) throw new CsrError('MALFORMED', 'PKCS#10 version must be 0');
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  } catch (e) {
    throw new CsrError('UNSUPPORTED_ALGORITHM', `the public key cannot be loaded: ${(e as Error).message}`);
  }
  const keyAlgorithm = keyAlgorithmOf(csr.certificationRequestInfo.subjectPKInfo.algorithm, key);
  const sig = SIGNATURES[csr.signatureAlgorithm.algorithm];
  if (!sig) throw new CsrError('UNSUPPORTED_ALGORITHM', `signature algorithm ${csr.signatureAlgorithm.algorithm} is not accepted`);
  const family = keyAlgorithm === 'ed25519' ? 'ed25519' : keyAlgorithm === 'rsa' ? 'rsa' : 'ec';
  if (sig.key !== family) throw new CsrError('UNSUPPORTED_ALGORITHM', `signature algorithm ${csr.signatureAlgorithm.algorithm} does not fit a ${keyAlgorithm} key`);
  let ok = false;
  try {
    ok = verify(sig.hash, info, { key, dsaEncoding: 'der' }, bytes(csr.signature));
  } catch {
    ok = false;
  }
  if (!ok) throw new CsrError('BAD_SIGNATURE', 'the request is not signed by the key it carries (no proof of possession)');
  let subjectAttributes: NameAttribute[];
  try {
    subjectAttributes = decodeName(subject);
  } catch (e) {
    throw new CsrError('MALFORMED', (e as Error).message);
  }
  return { subject, subjectAttributes, subjectPublicKeyInfo: spki, keyAlgorithm };
}
