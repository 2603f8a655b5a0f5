// EDS-signed acts (ЭЦҚ): the signature over the exact payload bytes, and the signer's chain by the trust core.
import * as grpc from '@grpc/grpc-js';
import { createHash, createPublicKey, verify as verifySignature } from 'node:crypto';
import { parseCertificate, type Certificate, type TrustStore, type VerifyResult } from '../../core-wasm/src/index.ts';
import type { SignedEnvelope } from '../../gen/ruqsat/common/v1/common.ts';
import { invalidArgument, RuqsatError } from './errors.ts';

export interface SignedAct<T> {
  act: T;
  signer: Certificate;
  chain: Certificate[];
  /** SHA-256 of the signature, hex: one signed act is accepted once. */
  fingerprint: string;
}

export interface VerifyActOptions {
  time?: Date;
  /** Revocation of the signer only, or of every certificate in its chain. */
  crlCheck?: 'leaf' | 'all';
  policies?: string[];
  /** CA certificates the service already knows, to complete a chain the signer sent short. */
  intermediates?: (Uint8Array | Certificate)[];
}

/** Verifies a detached signature with the key of the certificate's SPKI (Ed25519, ECDSA, RSA PKCS#1 v1.5). */
export function signatureMatches(spki: Uint8Array, payload: Uint8Array, signature: Uint8Array): boolean {
  try {
    const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
    const curve = key.asymmetricKeyDetails?.namedCurve;
    const hash = key.asymmetricKeyType === 'ed25519' ? null : curve === 'secp384r1' ? 'sha384' : curve === 'secp521r1' ? 'sha512' : 'sha256';
    return verifySignature(hash, payload, key, signature);
  } catch {
    return false;
  }
}

/** The status a failed verification leaves with: a revoked signer is refused, anything else is unauthenticated. */
export function refusalOf(result: VerifyResult, what: string): RuqsatError {
  const code = result.code === 'REVOKED' ? grpc.status.PERMISSION_DENIED : grpc.status.UNAUTHENTICATED;
  const metadata: Record<string, string> = { verification: result.code };
  if (result.revocation?.reasonCode !== undefined) metadata.revocation_reason = String(result.revocation.reasonCode);
  return new RuqsatError(code, result.code, `${what}: ${result.message}`, metadata);
}

/**
 * Checks an envelope: well-formed, the payload signed by the first certificate's key, that certificate
 * chained to a trust anchor with revocation checked, the payload JSON. Throws the gRPC refusal.
 */
export function verifyAct<T>(store: TrustStore, envelope: SignedEnvelope | undefined, field: string, options: VerifyActOptions = {}): SignedAct<T> {
  requireEnvelope(envelope, field);
  let signer: Certificate;
  try {
    signer = parseCertificate(envelope.certificateChain[0]!);
  } catch (err) {
    throw new RuqsatError(grpc.status.UNAUTHENTICATED, 'MALFORMED', `${field}: the signer certificate cannot be read: ${(err as Error).message}`);
  }
  if (!signatureMatches(signer.spki, envelope.payload, envelope.signature)) {
    throw new RuqsatError(grpc.status.UNAUTHENTICATED, 'BAD_SIGNATURE', `${field}: the signature does not match the payload and the signer's key`);
  }
  const result = store.verifyBytes(envelope.certificateChain[0]!, {
    intermediates: [...envelope.certificateChain.slice(1), ...(options.intermediates ?? [])],
    time: options.time,
    crlCheck: options.crlCheck ?? 'all',
    policies: options.policies,
  });
  if (!result.ok) throw refusalOf(result, `${field}: the signer's certificate`);
  let act: T;
  try {
    act = JSON.parse(Buffer.from(envelope.payload).toString('utf8')) as T;
  } catch {
    throw invalidArgument([{ field: `${field}.payload`, description: 'must be UTF-8 JSON' }]);
  }
  if (act === null || typeof act !== 'object') throw invalidArgument([{ field: `${field}.payload`, description: 'must be a JSON object' }]);
  return { act, signer, chain: result.chain, fingerprint: createHash('sha256').update(envelope.signature).digest('hex') };
}

/** An envelope with a payload, a signature and at least the signer's certificate, or UNAUTHENTICATED. */
export function requireEnvelope(envelope: SignedEnvelope | undefined, field: string): asserts envelope is SignedEnvelope {
  if (!envelope || envelope.payload.length === 0 || envelope.signature.length === 0 || envelope.certificateChain.length === 0) {
    throw new RuqsatError(grpc.status.UNAUTHENTICATED, 'UNSIGNED', `${field}: an EDS-signed envelope (payload, signature, certificate chain) is required`);
  }
}

/** The signer's IIN from a Kazakh certificate's SERIALNUMBER ("IIN123456789012"), if it has one. */
export function iinOf(cert: Certificate): string | undefined {
  for (const rdn of cert.subject.rdns) {
    for (const a of rdn) if (a.type === '2.5.4.5' && /^IIN\d{12}$/.test(a.value)) return a.value.slice(3);
  }
  return undefined;
}

/** A legal entity's BIN from a Kazakh certificate's OU ("BIN123456789012"), if it has one. */
export function binOf(cert: Certificate): string | undefined {
  for (const rdn of cert.subject.rdns) {
    for (const a of rdn) if (a.type === '2.5.4.11' && /^BIN\d{12}$/.test(a.value)) return a.value.slice(3);
  }
  return undefined;
}

/** The policy OIDs a certificate carries. */
export function policiesOf(cert: Certificate): string[] {
  return (cert.policies ?? []).map((p) => p.oid);
}

/** The signed act must say exactly this: a signature over some other act proves nothing about this one. */
export function requireAct(act: object, field: string, want: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(want)) {
    if ((act as Record<string, unknown>)[key] !== value) {
      throw invalidArgument([{ field: `${field}.payload`, description: `"${key}" must be ${JSON.stringify(value)}: the signature must cover this very act` }]);
    }
  }
}
