// A commission's act (акт) is adopted only by the signatures its rule asks for; dissent is recorded, not counted.
import type { CommissionMember, Vote } from './state.ts';

/** When a commission's act counts as adopted (accreditation rules para 13; revocation examination para 22). */
export interface QuorumRule {
  /** Share of the counted members that must sign, [numerator, denominator]: para 13's two thirds is [2, 3]. */
  share?: [number, number];
  /** At least this many counted signatures (para 22: 3). */
  minSignatures?: number;
  /** The commission has at least this many members (para 22: 5). */
  minMembers?: number;
  /** Bodies whose representative must be among the signers (para 13: national security). */
  requiredBodies?: string[];
  /** Positions whose signatures and seats are not counted (para 22: the secretary). */
  uncounted?: string[];
  /** The provision that sets the rule, for the refusal's message. */
  basis: string;
}

export interface QuorumShortfall {
  reason: 'COMMISSION_TOO_SMALL' | 'QUORUM_NOT_MET' | 'REQUIRED_SIGNATURE_MISSING';
  message: string;
  metadata: Record<string, string>;
}

/** Why the act is not adopted yet, or undefined when the signatures suffice. */
export function quorumShortfall(rule: QuorumRule, commission: readonly CommissionMember[], votes: readonly Vote[]): QuorumShortfall | undefined {
  const counted = commission.filter((m) => !(rule.uncounted ?? []).includes(m.position));
  const signed = new Set(votes.filter((v) => v.signs).map((v) => v.memberId));
  const signers = counted.filter((m) => signed.has(m.id));
  const tally = { signatures: String(signers.length), members: String(counted.length) };
  if (rule.minMembers !== undefined && commission.length < rule.minMembers) {
    return { reason: 'COMMISSION_TOO_SMALL', message: `the commission has ${commission.length} members; ${rule.basis} needs at least ${rule.minMembers}`, metadata: tally };
  }
  if (rule.share) {
    const [num, den] = rule.share;
    const needed = Math.ceil((counted.length * num) / den);
    if (signers.length < needed) return { reason: 'QUORUM_NOT_MET', message: `${signers.length} of ${counted.length} members signed; ${rule.basis} needs ${needed} (${num}/${den})`, metadata: { ...tally, needed: String(needed) } };
  }
  if (rule.minSignatures !== undefined && signers.length < rule.minSignatures) {
    return { reason: 'QUORUM_NOT_MET', message: `${signers.length} counted signatures; ${rule.basis} needs ${rule.minSignatures}`, metadata: { ...tally, needed: String(rule.minSignatures) } };
  }
  for (const body of rule.requiredBodies ?? []) {
    if (!signers.some((m) => m.body === body)) {
      return { reason: 'REQUIRED_SIGNATURE_MISSING', message: `no member from ${body} signed; ${rule.basis} does not adopt the act without one`, metadata: { ...tally, body } };
    }
  }
  return undefined;
}
