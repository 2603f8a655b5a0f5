// Flows C and E (revocation by the holder or by an RA operator), CRLs, and the revocation feed.
import * as grpc from '@grpc/grpc-js';
import { parseCertificate } from '../../../core-wasm/src/index.ts';
import type { RevocationEvent, TrustServiceServer } from '../../../gen/ruqsat/trust/v1/trust.ts';
import { invalidArgument, notFound, RuqsatError, toRuqsatError, toServiceError } from '../../kit/errors.ts';
import { unary } from '../../kit/grpc/handler.ts';
import { parseName } from '../../kit/names.ts';
import { iinOf, policiesOf, requireAct, verifyAct } from '../../kit/signed.ts';
import { actorOf, knownIntermediates, type TrustContext } from '../context.ts';
import { REVOCATION_REASONS } from '../domain/hierarchy.ts';
import { AUTHORITY, CERTIFICATE, normalizeSerial } from '../domain/names.ts';
import { toCertificate, toCrl } from './reads.ts';
import { requireActiveOperator } from './applications.ts';

interface RevokeAct {
  act?: unknown;
  certificate?: unknown;
  reason?: unknown;
}

const REPLAY_PAGE = 500;

export function revocationHandlers(ctx: TrustContext): Pick<TrustServiceServer, 'revokeCertificate' | 'getCrl' | 'watchRevocations'> {
  const { logger } = ctx;
  return {
    revokeCertificate: unary(logger, async (req) => {
      const { authority, certificate } = parseName(req.name, CERTIFICATE, 'name');
      const serial = normalizeSerial(certificate!);
      if (!serial) throw invalidArgument([{ field: 'name', description: 'the certificate id must be the serial number in hex' }]);
      const target = await ctx.store.certificate(authority!, serial);
      if (!target) throw notFound(req.name);
      const targetCert = parseCertificate(target.certificate_der);
      const isCa = targetCert.basicConstraints?.ca === true;
      if (!(req.reason in REVOCATION_REASONS) || (req.reason === 2 && !isCa)) {
        throw invalidArgument([{ field: 'reason', description: `must be an RFC 5280 CRLReason: ${Object.entries(REVOCATION_REASONS).filter(([c]) => c !== '2' || isCa).map(([c, n]) => `${c} ${n}`).join(', ')}` }]);
      }
      if (target.status === 'revoked') throw new RuqsatError(grpc.status.FAILED_PRECONDITION, 'ALREADY_REVOKED', `${req.name} is already revoked`);

      // Flow C: the holder, by a certificate of the same person; flow E: an active RA operator.
      const signed = verifyAct<RevokeAct>(ctx.core, req.request, 'request', { intermediates: knownIntermediates(ctx) });
      const operatorPolicy = ctx.authorities.profile('ra_operator').policies[0]!;
      const holderIin = iinOf(targetCert);
      // A system's mesh certificate names no person: its holder proves itself with the certified key.
      const sameKey = Buffer.compare(Buffer.from(signed.signer.spki), Buffer.from(targetCert.spki)) === 0;
      const byHolder = (holderIin !== undefined && iinOf(signed.signer) === holderIin) || sameKey;
      if (!byHolder) {
        if (!policiesOf(signed.signer).includes(operatorPolicy)) {
          throw new RuqsatError(grpc.status.PERMISSION_DENIED, 'NOT_HOLDER_OR_OPERATOR', 'request: only the holder or an RA operator may revoke this certificate');
        }
        await requireActiveOperator(ctx, signed.signer, 'request');
      }
      requireAct(signed.act, 'request', { act: 'revoke_certificate', certificate: req.name, reason: req.reason });

      const row = await ctx.store.db.transaction(async (trx) => {
        if (!(await ctx.store.useAct(trx, signed.fingerprint))) throw new RuqsatError(grpc.status.FAILED_PRECONDITION, 'ACT_REPLAYED', 'this signed act was already used');
        const event = await ctx.store.revoke(trx, authority!, serial, req.reason, new Date());
        if (!event) throw new RuqsatError(grpc.status.FAILED_PRECONDITION, 'ALREADY_REVOKED', `${req.name} is already revoked`);
        await ctx.audit.append(trx, { actor: actorOf(signed.signer), action: 'revoke_certificate', resource: req.name, payload: { reason: req.reason, by: byHolder ? 'holder' : 'operator', sequence: Number(event.sequence) } });
        return (await ctx.store.certificate(authority!, serial, trx))!;
      });
      // Committed: the revocation is durable now. The delta CRL follows at once (or on the next tick).
      logger.info({ certificate: req.name, reason: req.reason, by: byHolder ? 'holder' : 'operator' }, 'certificate revoked');
      await ctx.publisher.publishPending();
      return toCertificate(row);
    }),

    getCrl: unary(logger, async (req) => {
      const { authority } = parseName(req.authority, AUTHORITY, 'authority');
      if (!(await ctx.store.authority(authority!))) throw notFound(req.authority);
      // An accredited centre's CRL is its own, as trust last accepted it.
      const row = (await ctx.store.latestCrl(authority!, req.delta)) ?? (await ctx.accreditedCrls.store.asServed(authority!, req.delta));
      if (!row) throw new RuqsatError(grpc.status.NOT_FOUND, 'NO_CRL_YET', `${req.authority} has published no ${req.delta ? 'delta' : 'full'} CRL yet`);
      return toCrl(row);
    }),

    watchRevocations: (call) => {
      if (!Number.isSafeInteger(call.request.afterSequence) || call.request.afterSequence < 0) {
        call.emit('error', toServiceError(invalidArgument([{ field: 'after_sequence', description: 'must be zero or a sequence number already seen' }])));
        return;
      }
      let last = BigInt(call.request.afterSequence);
      let replaying = true;
      const held: RevocationEvent[] = [];
      const send = (e: RevocationEvent) => {
        if (BigInt(e.sequence) <= last) return;
        last = BigInt(e.sequence);
        call.write(e);
      };
      // Subscribe first, replay second: nothing published in between is missed, nothing is sent twice.
      const unsubscribe = ctx.feed.subscribe((e) => (replaying ? held.push(e) : send(e)));
      call.on('cancelled', unsubscribe);
      call.on('close', unsubscribe);
      (async () => {
        for (;;) {
          const page = await ctx.feed.replay(last, REPLAY_PAGE, (id) => ctx.authorities.get(id));
          page.forEach(send);
          if (page.length < REPLAY_PAGE) break;
        }
        replaying = false;
        held.sort((a, b) => a.sequence - b.sequence).forEach(send);
      })().catch((err: unknown) => {
        unsubscribe();
        call.emit('error', toServiceError(toRuqsatError(err)));
      });
    },
  };
}
