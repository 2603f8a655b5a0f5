// The trust service's PKI encoding library: pure functions from templates to DER that OpenSSL reads.
export * from './keys.ts';
export * from './names.ts';
export * from './certificate.ts';
export * from './crl.ts';
export * from './csr.ts';
export * from './ocsp.ts';
export * from './profiles.ts';
export { EKU, ExtensionError } from './extensions.ts';
export { DerError, fromPem, toPem } from './der.ts';
export * from './issue.ts';
