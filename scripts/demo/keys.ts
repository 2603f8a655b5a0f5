// A holder's key pair and PKCS#10 request, made in-process (Ed25519) the way an applicant's signing software would.
import { createPrivateKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { tlv, signedSequence, toPem } from '../../services/trust/domain/pki/der.ts';
import { encodeName } from '../../services/trust/domain/pki/names.ts';

// id-Ed25519 (RFC 8410): AlgorithmIdentifier SEQUENCE { OID 1.3.101.112 }, no parameters.
const ED25519_ALGORITHM = new Uint8Array([0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70]);

export interface HolderKey {
  privateKey: KeyObject;
  /** PKCS#10 request; trust takes the subject from the reference registry, so the CN here is only a label. */
  csrPem: string;
}

export function newHolderKey(label: string): HolderKey {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const spki = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
  // CertificationRequestInfo: version 0, subject, SPKI, attributes [0] (none).
  const info = tlv(0x30, new Uint8Array([0x02, 0x01, 0x00]), encodeName([{ type: 'CN', value: label }]), spki, new Uint8Array([0xa0, 0x00]));
  const csr = signedSequence(info, ED25519_ALGORITHM, new Uint8Array(sign(null, info, privateKey)));
  return { privateKey, csrPem: toPem(csr, 'CERTIFICATE REQUEST') };
}

export const keyPem = (key: KeyObject): string => key.export({ type: 'pkcs8', format: 'pem' }).toString();
export const keyFromPem = (pem: string): KeyObject => createPrivateKey(pem);
