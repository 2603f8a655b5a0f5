// Stable result codes of the trust core; services and the CLI match on these strings.
export const REASON_CODES = [
  'OK', 'MALFORMED', 'UNSUPPORTED_ALGORITHM', 'BAD_SIGNATURE', 'UNKNOWN_ISSUER', 'EXPIRED', 'NOT_YET_VALID',
  'NOT_A_CA', 'PATH_LENGTH_EXCEEDED', 'KEY_USAGE', 'EXTENDED_KEY_USAGE', 'NAME_CONSTRAINTS', 'POLICY',
  'HOSTNAME_MISMATCH', 'UNHANDLED_CRITICAL_EXTENSION', 'REVOKED', 'CRL_MISSING', 'CRL_EXPIRED',
  'CRL_NOT_YET_VALID', 'CRL_BAD_SIGNATURE',
] as const;

export type ReasonCode = (typeof REASON_CODES)[number];

/** A failure with a stable code; parsing and validation throw it, the public API returns it. */
export class CoreError extends Error {
  constructor(
    readonly code: ReasonCode,
    message: string,
  ) {
    super(message);
  }
}

export function malformed(message: string): never {
  throw new CoreError('MALFORMED', message);
}
