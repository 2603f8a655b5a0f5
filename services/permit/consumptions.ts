// ConsumePermit and ReleaseConsumption: each one transaction that locks the permit row (SELECT … FOR UPDATE),
// so two customs posts racing for the last unit queue on the lock and exactly one wins, on PostgreSQL and PGlite.
import * as grpc from '@grpc/grpc-js';
import { createHash } from 'node:crypto';
import type { AuditLog } from '../kit/audit.ts';
import { invalidArgument, notFound, RuqsatError } from '../kit/errors.ts';
import { checkDeclared, type CheckReason, type PermitStatus } from './domain/check.ts';
import type { Movement } from './domain/document.ts';
import { permitName } from './domain/names.ts';
import { microsToText, toMicros } from './domain/quantity.ts';
import type { DocumentFailure } from './domain/verify.ts';
import type { PermitChanges } from './changes.ts';
import type { ConsumptionRow, PermitStore } from './store.ts';

export interface ConsumeInput {
  number: string;
  declarationId: string;
  declarant: string;
  movement: Movement;
  lines: { hsCode: string; quantity: bigint; line: number }[];
}

export interface ConsumptionView {
  permitId: string;
  number: string;
  declarationId: string;
  /** One per permit line used, in line order. */
  lines: { line: number; hsCode: string; quantity: bigint; remaining: bigint }[];
  released: boolean;
  consumedAt: Date;
  releasedAt?: Date;
}

// The order the first reason is chosen in when a consumption is refused: the most fundamental first.
const REFUSAL_ORDER: CheckReason[] = ['SIGNATURE_INVALID', 'CHAIN_INVALID', 'SIGNATORY_REVOKED', 'REVOKED', 'SUSPENDED', 'NOT_YET_VALID', 'EXPIRED', 'NOT_THIS_DECLARANT', 'WRONG_MOVEMENT', 'GOODS_NOT_COVERED', 'QUANTITY_EXCEEDS_REMAINDER'];

function refused(reasons: CheckReason[], metadata: Record<string, string> = {}): RuqsatError {
  const sorted = [...new Set(reasons)].sort((a, b) => REFUSAL_ORDER.indexOf(a) - REFUSAL_ORDER.indexOf(b));
  return new RuqsatError(grpc.status.FAILED_PRECONDITION, sorted[0]!, `the permit does not cover this declaration: ${sorted.join(', ')}`, { reasons: sorted.join(','), ...metadata });
}

/** What makes two requests "the same declaration": everything the caller sent, lines in a stable order. */
function requestHash(input: ConsumeInput): string {
  const lines = input.lines.map((l) => `${l.hsCode}:${l.line}:${l.quantity}`).sort();
  return createHash('sha256').update(JSON.stringify([input.declarant, input.movement, lines])).digest('hex');
}

export class Consumptions {
  constructor(
    private readonly store: PermitStore,
    private readonly audit: AuditLog,
    private readonly changes: PermitChanges,
  ) {}

  /**
   * Takes the declared quantities off the permit's lines, or nothing. The same declaration id with the
   * same body returns the recorded consumption again; with another body it is ALREADY_EXISTS.
   */
  async consume(input: ConsumeInput, signature: () => Promise<'OK' | DocumentFailure>, actor: string, now = new Date()): Promise<ConsumptionView> {
    const hash = requestHash(input);
    const signatureCode = await signature();
    const view = await this.store.db.transaction(async (trx) => {
      const permit = await this.store.lockPermit(trx, input.number);
      if (!permit) throw notFound(`permit ${input.number}`);
      const recorded = await this.store.consumptions(trx, permit.id, input.declarationId);
      if (recorded.length > 0) {
        if (recorded[0]!.request_hash !== hash) {
          throw new RuqsatError(grpc.status.ALREADY_EXISTS, 'DECLARATION_ALREADY_USED', `declaration ${input.declarationId} already consumed this permit with other goods or quantities`, { declaration_id: input.declarationId });
        }
        return { view: await this.viewOf(trx, permit.id, input.number, recorded), changed: false };
      }
      const state = (await this.store.liveState(input.number, trx))!;
      // Several declaration lines may draw on one permit line: they are summed before the remainder is checked.
      const wanted = new Map<number, bigint>();
      for (const [i, l] of input.lines.entries()) {
        const lines = state.lines.filter((s) => s.hsCode === l.hsCode && (l.line === 0 || s.line === l.line));
        if (lines.length > 1) throw invalidArgument([{ field: `lines[${i}].line`, description: `the permit has ${lines.length} lines with HS code ${l.hsCode}: say which` }]);
        if (lines.length === 0) throw refused(['GOODS_NOT_COVERED'], { hs_code: l.hsCode });
        wanted.set(lines[0]!.line, (wanted.get(lines[0]!.line) ?? 0n) + l.quantity);
      }
      const reasons: CheckReason[] = [];
      for (const [line, quantity] of wanted) {
        const hsCode = state.lines.find((s) => s.line === line)!.hsCode;
        reasons.push(...checkDeclared(state, { declarant: input.declarant, hsCode, quantity, movement: input.movement, date: now, line }, signatureCode).reasons);
      }
      if (reasons.length > 0) throw refused(reasons);
      for (const [line, quantity] of wanted) {
        // The row lock already serializes consumers; the conditional update keeps the rule even without it.
        if (!(await this.store.takeFromLine(trx, permit.id, line, microsToText(quantity)))) throw refused(['QUANTITY_EXCEEDS_REMAINDER'], { line: String(line) });
      }
      const rows = [...wanted].sort(([a], [b]) => a - b).map(([line, quantity]) => ({ permit_id: permit.id, declaration_id: input.declarationId, line, quantity: microsToText(quantity), request_hash: hash, consumed_at: now }));
      await this.store.insertConsumptions(trx, rows);
      await this.store.bumpVersion(trx, permit.id);
      await this.audit.append(trx, { actor, action: 'consume_permit', resource: permitName(permit.id), at: now, payload: { number: input.number, declaration_id: input.declarationId, lines: rows.map((r) => ({ line: r.line, quantity: r.quantity })) } });
      const recordedNow = rows.map((r) => ({ ...r, released: false, released_at: null }));
      return { view: await this.viewOf(trx, permit.id, input.number, recordedNow), changed: true };
    });
    if (view.changed) await this.changes.changed(input.number);
    return view.view;
  }

  /** Gives a cancelled declaration's quantities back, once; a repeat returns the released consumption. */
  async release(number: string, declarationId: string, actor: string, now = new Date()): Promise<ConsumptionView> {
    const result = await this.store.db.transaction(async (trx) => {
      const permit = await this.store.lockPermit(trx, number);
      if (!permit) throw notFound(`permit ${number}`);
      const recorded = await this.store.consumptions(trx, permit.id, declarationId);
      if (recorded.length === 0) throw notFound(`consumption of permit ${number} by declaration ${declarationId}`);
      if (recorded[0]!.released) return { view: await this.viewOf(trx, permit.id, number, recorded), changed: false };
      for (const r of recorded) await this.store.giveBackToLine(trx, permit.id, r.line, String(r.quantity));
      await this.store.markReleased(trx, permit.id, declarationId, now);
      await this.store.bumpVersion(trx, permit.id);
      await this.audit.append(trx, { actor, action: 'release_consumption', resource: permitName(permit.id), at: now, payload: { number, declaration_id: declarationId, lines: recorded.map((r) => ({ line: r.line, quantity: String(r.quantity) })) } });
      return { view: await this.viewOf(trx, permit.id, number, recorded.map((r) => ({ ...r, released: true, released_at: now }))), changed: true };
    });
    if (result.changed) await this.changes.changed(number);
    return result.view;
  }

  /** Suspends, revokes or reinstates a permit; `act` is the signed act's fingerprint, accepted once. */
  async setStatus(number: string, status: PermitStatus, actor: string, reason: string, act?: string, now = new Date()): Promise<void> {
    await this.store.db.transaction(async (trx) => {
      const permit = await this.store.lockPermit(trx, number);
      if (!permit) throw notFound(`permit ${number}`);
      if (permit.status === 'revoked') throw new RuqsatError(grpc.status.FAILED_PRECONDITION, 'PERMIT_REVOKED', 'a revoked permit stays revoked');
      if (status === 'active' && permit.status !== 'suspended') throw new RuqsatError(grpc.status.FAILED_PRECONDITION, 'NOT_SUSPENDED', 'only a suspended permit is reinstated');
      if (status === 'suspended' && permit.status !== 'active') throw new RuqsatError(grpc.status.FAILED_PRECONDITION, 'ALREADY_SUSPENDED', 'the permit is already suspended');
      if (act && !(await this.store.recordAct(trx, act, permit.id, status, now))) {
        throw new RuqsatError(grpc.status.ALREADY_EXISTS, 'ACT_ALREADY_USED', 'this signed act was already accepted; sign a new one');
      }
      await this.store.bumpVersion(trx, permit.id, status);
      await this.audit.append(trx, { actor, action: `permit_${status}`, resource: permitName(permit.id), at: now, payload: { number, status, reason } });
    });
    await this.changes.changed(number);
  }

  private async viewOf(trx: Parameters<PermitStore['consumptions']>[0], permitId: string, number: string, rows: Pick<ConsumptionRow, 'line' | 'quantity' | 'released' | 'consumed_at' | 'released_at' | 'declaration_id'>[]): Promise<ConsumptionView> {
    const state = await this.store.liveState(number, trx);
    return {
      permitId,
      number,
      declarationId: rows[0]!.declaration_id,
      lines: rows.map((r) => {
        const line = state?.lines.find((l) => l.line === r.line);
        return { line: r.line, hsCode: line?.hsCode ?? '', quantity: toMicros(String(r.quantity)), remaining: line?.remaining ?? 0n };
      }),
      released: rows[0]!.released,
      consumedAt: new Date(rows[0]!.consumed_at),
      releasedAt: rows[0]!.released_at ? new Date(rows[0]!.released_at) : undefined,
    };
  }
}
