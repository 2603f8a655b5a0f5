// What a validation returns: a stable code, a human message, and the chain that was examined.
import type { ReasonCode } from './codes.ts';
import type { Certificate } from './x509.ts';

export interface VerifyResult {
  ok: boolean;
  code: ReasonCode;
  message: string;
  /** Leaf first, trust anchor last (the best path examined, even on failure). */
  chain: Certificate[];
  /** Depth in the chain the failure concerns (0 = leaf). */
  depth?: number;
  /** For REVOKED: the CRL reason name and code, and the revocation date (Unix seconds). */
  revocation?: { reason: string; reasonCode?: number; date: number };
}

export function ok(chain: Certificate[]): VerifyResult {
  return { ok: true, code: 'OK', message: 'ok', chain };
}

export function fail(code: ReasonCode, message: string, chain: Certificate[], depth?: number): VerifyResult {
  return { ok: false, code, message, chain, depth };
}
