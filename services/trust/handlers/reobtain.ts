// Flow B: re-obtaining (қайта алу) a certificate by a request signed with the current one.
import * as grpc from '@grpc/grpc-js';
import { createHash, randomUUID } from 'node:crypto';
import type { TrustServiceServer } from '../../../gen/ruqsat/trust/v1/trust.ts';
import { invalidArgument, RuqsatError, type FieldViolation } from '../../kit/errors.ts';
import { unary } from '../../kit/grpc/handler.ts';
import { binOf, iinOf, requireAct, verifyAct } from '../../kit/signed.ts';
import { actorOf, knownIntermediates, type TrustContext } from '../context.ts';
import { templateFor } from '../domain/issue.ts';
import { certificateName, normalizeSerial } from '../domain/names.ts';
import { buildCertificate } from '../domain/pki/certificate.ts';
import { CsrError, parseCsr } from '../domain/pki/csr.ts';
import { fromPem } from '../domain/pki/der.ts';
import { encodeName } from '../domain/pki/names.ts';
import { APPLICANT_PROFILES, EMAIL, KEY_STORAGES, subjectFor } from '../domain/subject.ts';
import { toApplication } from './applications.ts';

const ISSUER = 'nca';

interface ReobtainAct {
  act?: unknown;
  profile?: unknown;
  csr_sha256?: unknown;
}

export function reobtainHandlers(ctx: TrustContext): Pick<TrustServiceServer, 'reobtainCertificate'> {
  return {
    reobtainCertificate: unary(ctx.logger, async (req) => {
      const violations: FieldViolation[] = [];
      if (req.requestId.length < 1 || req.requestId.length > 128) violations.push({ field: 'request_id', description: 'is required, at most 128 characters' });
      if (!EMAIL.test(req.email)) violations.push({ field: 'email', description: 'must be an e-mail address' });
      if (!(KEY_STORAGES as readonly string[]).includes(req.keyStorage)) violations.push({ field: 'key_storage', description: `must be one of ${KEY_STORAGES.join(', ')}` });
      let csrDer: Uint8Array | undefined;
      try {
        const text = Buffer.from(req.csr).toString('latin1');
        csrDer = text.includes('-----BEGIN') ? fromPem(text) : req.csr;
        if (!csrDer || csrDer.length === 0) throw new CsrError('MALFORMED', 'a PKCS#10 request is required');
        parseCsr(csrDer);
      } catch (err) {
        if (!(err instanceof CsrError)) throw err;
        violations.push({ field: 'csr', description: `${err.reason}: ${err.message}` });
      }
      if (violations.length > 0 || !csrDer) throw invalidArgument(violations);

      // The current certificate vouches for the person: valid, unrevoked, issued under our root.
      const signed = verifyAct<ReobtainAct>(ctx.core, req.request, 'request', { intermediates: knownIntermediates(ctx) });
      const iin = iinOf(signed.signer);
      const bin = binOf(signed.signer);
      if (!iin) throw new RuqsatError(grpc.status.PERMISSION_DENIED, 'NOT_A_PERSON', 'request: the signer certificate names no IIN');
      const type = bin ? 'legal_entity' : 'individual';
      if (!APPLICANT_PROFILES[type].includes(req.profile)) throw invalidArgument([{ field: 'profile', description: `the signer may re-obtain ${APPLICANT_PROFILES[type].join(' or ')}` }]);
      const csrSha256 = createHash('sha256').update(csrDer).digest('hex');
      requireAct(signed.act, 'request', { act: 'reobtain_certificate', profile: req.profile, csr_sha256: csrSha256 });
      const requestHash = createHash('sha256').update(JSON.stringify(['reobtain', iin, bin ?? '', req.email, req.keyStorage, req.profile, csrSha256])).digest('hex');
      const existing = await ctx.registration.applicationByRequestId(req.requestId);
      if (existing) {
        if (existing.request_hash !== requestHash) throw new RuqsatError(grpc.status.ALREADY_EXISTS, 'REQUEST_ID_REUSED', `request_id "${req.requestId}" was used for a different application`);
        return toApplication(existing);
      }
      const person = await ctx.reference.person(iin);
      const organization = bin ? await ctx.reference.organization(bin) : undefined;
      if (!person || (bin && !organization)) throw new RuqsatError(grpc.status.FAILED_PRECONDITION, 'APPLICANT_NOT_IN_REGISTRY', 'refused: the signer is no longer in the reference registry');
      const issuer = ctx.authorities.get(ISSUER);
      if (!issuer) throw new RuqsatError(grpc.status.UNAVAILABLE, 'NO_ISSUING_CA', 'the NCA issuing CA is not available on this instance');

      const csr = parseCsr(csrDer);
      const der = buildCertificate(templateFor(ctx.authorities.profile(req.profile), encodeName(subjectFor(person, organization)), csr.subjectPublicKeyInfo, issuer, new Date(), ctx.authorities.endpoints), issuer.signer);
      const row = await ctx.store.db.transaction(async (trx) => {
        if (!(await ctx.store.useAct(trx, signed.fingerprint))) throw new RuqsatError(grpc.status.FAILED_PRECONDITION, 'ACT_REPLAYED', 'this signed act was already used');
        const cert = await ctx.authorities.recordIssued(trx, issuer.id, der, req.profile, bin ?? iin);
        const { row: app } = await ctx.registration.insertApplication(
          {
            id: randomUUID(),
            request_id: req.requestId,
            request_hash: requestHash,
            status: 'issued',
            applicant_type: type,
            applicant_identifier: bin ?? iin,
            representative_iin: bin ? iin : null,
            email: req.email,
            region: '',
            key_storage: req.keyStorage,
            profile: req.profile,
            csr_der: Buffer.from(csrDer),
            csr_sha256: csrSha256,
            certificate_authority: issuer.id,
            certificate_serial: normalizeSerial(cert.serialHex)!,
            refusal_reason: null,
          },
          'NCA',
          trx,
        );
        await ctx.audit.append(trx, { actor: actorOf(signed.signer), action: 'reobtain_certificate', resource: `certificateApplications/${app.id}`, payload: { number: app.number, certificate: certificateName(issuer.id, app.certificate_serial!) } });
        return app;
      });
      ctx.logger.info({ application: row.number, certificate: row.certificate_serial }, 'registration certificate re-obtained');
      return toApplication(row);
    }),
  };
}
