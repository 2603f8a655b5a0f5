// The customs side of PermitService: CheckPermit(s), ConsumePermit, ReleaseConsumption, VerifyPermitDocument.
// Decode and validate here; the rules are in domain/, the transactions in consumptions.ts.
import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { Status } from '../../gen/google/rpc/status.ts';
import {
  CheckReason, MovementType, type CheckPermitRequest, type CheckPermitResponse, type CheckPermitsRequest, type CheckPermitsResponse,
  type Consumption, type PermitServiceServer,
} from '../../gen/ruqsat/permit/v1/permit.ts';
import { encodeStatusDetails, invalidArgument, toRuqsatError, toServiceError, unavailable, type FieldViolation } from '../kit/errors.ts';
import { unary } from '../kit/grpc/handler.ts';
import { isValidIinBin } from '../kit/party.ts';
import type { TrustFollower } from '../kit/trust-follower.ts';
import { checkDeclared, type CheckReason as Reason, type Declared } from './domain/check.ts';
import { isPermitNumber, type Movement } from './domain/document.ts';
import { permitName } from './domain/names.ts';
import { isHsCode, microsOfDouble, microsToNumber } from './domain/quantity.ts';
import type { Consumptions, ConsumptionView } from './consumptions.ts';
import type { PermitDocuments } from './documents.ts';
import type { PermitStore } from './store.ts';
import { documentResponse } from './verify-response.ts';

const MOVEMENT: Partial<Record<MovementType, Movement>> = {
  [MovementType.MOVEMENT_TYPE_IMPORT]: 'import',
  [MovementType.MOVEMENT_TYPE_EXPORT]: 'export',
  [MovementType.MOVEMENT_TYPE_TRANSIT]: 'transit',
};

const reasonCode = (r: Reason): CheckReason => CheckReason[`CHECK_REASON_${r}` as keyof typeof CheckReason];

export interface CustomsDeps {
  store: PermitStore;
  documents: PermitDocuments;
  consumptions: Consumptions;
  trust: TrustFollower;
  logger: Logger;
}

function requireNumber(number: string, field: string, v: FieldViolation[]): void {
  if (number === '') v.push({ field, description: 'is required' });
  else if (!isPermitNumber(number)) v.push({ field, description: 'must be 1–64 letters, digits, ".", "/" or "-"' });
}

function requireDeclarant(id: string, field: string, v: FieldViolation[]): void {
  if (!isValidIinBin(id)) v.push({ field, description: 'must be a 12-digit IIN or BIN with a valid check digit' });
}

function requireMovement(m: MovementType, field: string, v: FieldViolation[]): Movement {
  const movement = MOVEMENT[m];
  if (!movement) v.push({ field, description: 'must be import, export or transit' });
  return movement!;
}

function requireGoods(hsCode: string, quantity: number, prefix: string, v: FieldViolation[]): bigint {
  if (!isHsCode(hsCode)) v.push({ field: `${prefix}hs_code`, description: 'must be a 10-digit HS code (ТН ВЭД ЕАЭС)' });
  const micros = microsOfDouble(quantity);
  if (micros === undefined) v.push({ field: `${prefix}quantity`, description: 'must be positive, at most 9e9, with at most 6 decimal places' });
  return micros!;
}

/** A check request as the domain reads it, or INVALID_ARGUMENT with every bad field. */
function declaredOf(req: CheckPermitRequest, prefix = ''): Declared & { number: string } {
  const v: FieldViolation[] = [];
  requireNumber(req.number, `${prefix}number`, v);
  requireDeclarant(req.declarantIdentifier, `${prefix}declarant_identifier`, v);
  const quantity = requireGoods(req.hsCode, req.quantity, prefix, v);
  const movement = requireMovement(req.movementType, `${prefix}movement_type`, v);
  if (req.date && Number.isNaN(req.date.getTime())) v.push({ field: `${prefix}date`, description: 'must be a valid timestamp' });
  if (v.length > 0) throw invalidArgument(v);
  return { number: req.number, declarant: req.declarantIdentifier, hsCode: req.hsCode, quantity, movement, date: req.date ?? new Date() };
}

const toConsumption = (c: ConsumptionView): Consumption => ({
  permit: permitName(c.permitId),
  number: c.number,
  declarationId: c.declarationId,
  lines: c.lines.map((l) => ({ hsCode: l.hsCode, quantity: microsToNumber(l.quantity), line: l.line })),
  released: c.released,
  consumeTime: c.consumedAt,
  releaseTime: c.releasedAt,
  remainingQuantities: c.lines.map((l) => microsToNumber(l.remaining)),
});

export function customsHandlers({ store, documents, consumptions, trust, logger }: CustomsDeps): Pick<PermitServiceServer, 'checkPermit' | 'checkPermits' | 'consumePermit' | 'releaseConsumption' | 'verifyPermitDocument'> {
  const requireTrust = () => {
    // Before anchors and CRLs load, a revoked signatory would look fine: no answer beats a wrong one.
    if (!trust.ready) throw unavailable('TRUST_NOT_READY', 'the trust anchors and CRLs are still loading; retry shortly');
  };

  const check = async (req: CheckPermitRequest, prefix = ''): Promise<CheckPermitResponse> => {
    const declared = declaredOf(req, prefix);
    requireTrust();
    // Status and remainders come from states.ts (cached only where every writer fences it, else read live);
    // the immutable signed document and this instance's verdict on it are cached apart.
    const state = await store.states.get(declared.number);
    if (!state) return { valid: false, reasons: [CheckReason.CHECK_REASON_UNKNOWN], remainingQuantity: 0, permit: '', line: 0, verificationCode: '' };
    const verdict = await documents.verdict(declared.number, state.id);
    const outcome = checkDeclared(state, declared, verdict.code);
    return {
      valid: outcome.reasons.length === 0,
      reasons: outcome.reasons.map(reasonCode),
      remainingQuantity: outcome.line ? microsToNumber(outcome.line.remaining) : 0,
      permit: permitName(state.id),
      line: outcome.line?.line ?? 0,
      verificationCode: verdict.ok ? '' : verdict.detail,
    };
  };

  return {
    checkPermit: unary(logger, (req) => check(req)),

    checkPermits: (call: grpc.ServerDuplexStream<CheckPermitsRequest, CheckPermitsResponse>) => {
      // One answer per line, in order; a bad line gets its own error and the batch goes on.
      let queue = Promise.resolve();
      call.on('data', (req: CheckPermitsRequest) => {
        queue = queue.then(async () => {
          try {
            if (!req.check) throw invalidArgument([{ field: 'check', description: 'is required' }]);
            call.write({ correlationId: req.correlationId, result: await check(req.check, 'check.'), error: undefined });
          } catch (err) {
            const e = toRuqsatError(err);
            if (e.code !== grpc.status.INVALID_ARGUMENT) throw e;
            call.write({ correlationId: req.correlationId, result: undefined, error: Status.decode(encodeStatusDetails(e)) });
          }
        });
        queue.catch(() => undefined);
      });
      call.on('end', () => {
        queue.then(
          () => call.end(),
          (err) => call.emit('error', toServiceError(toRuqsatError(err))),
        );
      });
    },

    consumePermit: unary(logger, async (req, ctx) => {
      const v: FieldViolation[] = [];
      requireNumber(req.number, 'number', v);
      if (req.declarationId === '' || req.declarationId.length > 128) v.push({ field: 'declaration_id', description: 'is required, at most 128 characters' });
      requireDeclarant(req.declarantIdentifier, 'declarant_identifier', v);
      const movement = requireMovement(req.movementType, 'movement_type', v);
      if (req.lines.length === 0) v.push({ field: 'lines', description: 'at least one goods line' });
      if (req.lines.length > 1000) v.push({ field: 'lines', description: 'at most 1000 lines' });
      const lines = req.lines.map((l, i) => {
        if (!Number.isInteger(l.line) || l.line < 0) v.push({ field: `lines[${i}].line`, description: 'must be 0 or a line number' });
        return { hsCode: l.hsCode, quantity: requireGoods(l.hsCode, l.quantity, `lines[${i}].`, v), line: l.line };
      });
      if (v.length > 0) throw invalidArgument(v);
      requireTrust();
      const input = { number: req.number, declarationId: req.declarationId, declarant: req.declarantIdentifier, movement, lines };
      const signature = async () => {
        const state = await store.states.get(req.number);
        return state ? (await documents.verdict(req.number, state.id)).code : 'OK';
      };
      return toConsumption(await consumptions.consume(input, signature, ctx.caller));
    }),

    releaseConsumption: unary(logger, async (req, ctx) => {
      const v: FieldViolation[] = [];
      requireNumber(req.number, 'number', v);
      if (req.declarationId === '') v.push({ field: 'declaration_id', description: 'is required' });
      if (v.length > 0) throw invalidArgument(v);
      return toConsumption(await consumptions.release(req.number, req.declarationId, ctx.caller));
    }),

    verifyPermitDocument: unary(logger, async (req) => {
      const env = req.document;
      if (!env || env.payload.length === 0 || env.signature.length === 0 || env.certificateChain.length === 0) {
        throw invalidArgument([{ field: 'document', description: 'a signed envelope (payload, signature, certificate chain) is required' }]);
      }
      requireTrust();
      return documentResponse(documents.verify(env, req.time));
    }),
  };
}
