// Ruqsat trust core — the one import for services and the CLI.
export { sha256, sha512, sha256Batch, sha256BatchRaw, hex } from './hash.ts';
export { Sha256, SHA256_SLICE_BYTES, SHA256_STATE_MAX_BYTES } from './sha256stream.ts';
export { Sha256Thread, ThreadHasher } from './sha256thread.ts';
export { parseDer, Der } from './der.ts';
export { parseCertificate, decodeCertificate, type Certificate, type AlgorithmId } from './x509.ts';
export { parseCrl, decodeCrl, REVOCATION_REASONS, type Crl, type RevokedEntry } from './crl.ts';
export { derObjects, pemBlocks } from './pem.ts';
export { KU } from './extensions.ts';
export { OID } from './oid.ts';
export { REASON_CODES, CoreError, type ReasonCode } from './codes.ts';
export { nodeBackend, createNodeBackend, nobleBackend, type SignatureBackend } from './signature.ts';
export { RevocationIndex, RevocationTable } from './revocation.ts';
export { VerificationCache, fingerprint } from './cache.ts';
export { matchesHost, parseIp } from './hostname.ts';
export { TrustStore, type VerifyOptions, type TrustStoreOptions } from './verifier.ts';
export type { VerifyResult } from './result.ts';
