// The customs check (кедендік тексеру): every reason a permit does not cover one declaration line. Pure.
import type { DocumentFailure } from './verify.ts';
import type { Movement } from './document.ts';

export type CheckReason =
  | 'UNKNOWN' | 'NOT_THIS_DECLARANT' | 'GOODS_NOT_COVERED' | 'QUANTITY_EXCEEDS_REMAINDER' | 'EXPIRED' | 'NOT_YET_VALID'
  | 'REVOKED' | 'SUSPENDED' | 'WRONG_MOVEMENT' | 'SIGNATURE_INVALID' | 'CHAIN_INVALID' | 'SIGNATORY_REVOKED';

export type PermitStatus = 'active' | 'suspended' | 'revoked';

/** What the check reads of a permit at call time. */
export interface LiveState {
  id: string;
  status: PermitStatus;
  holderIdentifier: string;
  movement: Movement | null;
  validFrom: Date;
  /** Exclusive: the midnight after the last valid day. */
  validUntil: Date;
  lines: { line: number; hsCode: string; remaining: bigint }[];
}

export interface Declared {
  declarant: string;
  hsCode: string;
  quantity: bigint;
  movement: Movement;
  date: Date;
  /** A permit line asked for by number; 0 = the best line with the HS code. */
  line?: number;
}

export interface CheckOutcome {
  reasons: CheckReason[];
  line?: { line: number; remaining: bigint };
}

const SIGNATURE_REASON: Record<DocumentFailure, CheckReason> = {
  MALFORMED: 'SIGNATURE_INVALID',
  BAD_SIGNATURE: 'SIGNATURE_INVALID',
  MALFORMED_DOCUMENT: 'SIGNATURE_INVALID',
  SIGNATORY_MISMATCH: 'SIGNATURE_INVALID',
  CHAIN_INVALID: 'CHAIN_INVALID',
  NOT_SIGNATORY: 'CHAIN_INVALID',
  SIGNATORY_REVOKED: 'SIGNATORY_REVOKED',
};

export function signatureReason(failure: DocumentFailure): CheckReason {
  return SIGNATURE_REASON[failure];
}

/** All reasons at once: a customs officer fixes a declaration faster knowing everything that is wrong. */
export function checkDeclared(state: LiveState, d: Declared, signature: 'OK' | DocumentFailure): CheckOutcome {
  const reasons: CheckReason[] = [];
  if (signature !== 'OK') reasons.push(signatureReason(signature));
  if (state.status === 'revoked') reasons.push('REVOKED');
  if (state.status === 'suspended') reasons.push('SUSPENDED');
  if (d.date < state.validFrom) reasons.push('NOT_YET_VALID');
  if (d.date >= state.validUntil) reasons.push('EXPIRED');
  if (d.declarant !== state.holderIdentifier) reasons.push('NOT_THIS_DECLARANT');
  if (state.movement !== d.movement) reasons.push('WRONG_MOVEMENT');
  const candidates = state.lines.filter((l) => l.hsCode === d.hsCode && (!d.line || l.line === d.line));
  if (candidates.length === 0) {
    reasons.push('GOODS_NOT_COVERED');
    return { reasons };
  }
  const best = candidates.reduce((a, b) => (b.remaining > a.remaining ? b : a));
  if (d.quantity > best.remaining) reasons.push('QUANTITY_EXCEEDS_REMAINDER');
  return { reasons, line: { line: best.line, remaining: best.remaining } };
}
