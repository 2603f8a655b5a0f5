// Flow A: an applicant's online application, then an RA operator's signed confirmation or refusal.
import * as grpc from '@grpc/grpc-js';
import { createHash, randomUUID } from 'node:crypto';
import { CertificateApplicationStatus, type CertificateApplication, type TrustServiceServer } from '../../../gen/ruqsat/trust/v1/trust.ts';
import { PartyType, type SignedEnvelope } from '../../../gen/ruqsat/common/v1/common.ts';
import { invalidArgument, notFound, RuqsatError, type FieldViolation } from '../../kit/errors.ts';
import { unary } from '../../kit/grpc/handler.ts';
import { parseName } from '../../kit/names.ts';
import { isValidIinBin, toParty } from '../../kit/party.ts';
import { policiesOf, requireAct, verifyAct, type SignedAct } from '../../kit/signed.ts';
import type { Certificate } from '../../../core-wasm/src/index.ts';
import { actorOf, knownIntermediates, type TrustContext } from '../context.ts';
import { templateFor } from '../domain/issue.ts';
import { certificateName, normalizeSerial } from '../domain/names.ts';
import { buildCertificate } from '../domain/pki/certificate.ts';
import { fromPem } from '../domain/pki/der.ts';
import { CsrError, parseCsr } from '../domain/pki/csr.ts';
import { encodeName } from '../domain/pki/names.ts';
import { APPLICANT_PROFILES, EMAIL, KEY_STORAGES, subjectFor, type Organization, type Person } from '../domain/subject.ts';
import type { ApplicationRow } from '../registration-store.ts';
import type { Tx } from '../store.ts';

const APPLICATION = 'certificateApplications/{certificate_application}';
const ISSUER = 'nca';
const MAX_CSR = 64 * 1024;

const STATUSES: Record<ApplicationRow['status'], CertificateApplicationStatus> = {
  registered: CertificateApplicationStatus.CERTIFICATE_APPLICATION_STATUS_REGISTERED,
  issued: CertificateApplicationStatus.CERTIFICATE_APPLICATION_STATUS_ISSUED,
  refused: CertificateApplicationStatus.CERTIFICATE_APPLICATION_STATUS_REFUSED,
};

export const toApplication = (row: ApplicationRow, applicantName = ''): CertificateApplication => ({
  name: `certificateApplications/${row.id}`,
  number: row.number,
  status: STATUSES[row.status],
  applicant: toParty({ type: row.applicant_type, identifier: row.applicant_identifier, name: applicantName }),
  email: row.email,
  region: row.region,
  keyStorage: row.key_storage,
  profile: row.profile,
  csrSha256: row.csr_sha256,
  certificate: row.certificate_serial ? certificateName(row.certificate_authority!, row.certificate_serial) : '',
  refusalReason: row.refusal_reason ?? '',
  createTime: row.created_at,
  updateTime: row.updated_at,
});

interface ApplicationAct {
  act?: unknown;
  application?: unknown;
  csr_sha256?: unknown;
  reason?: unknown;
}

/** An act of an RA operator: a valid signature by an active operator's certificate. */
export async function operatorAct<T>(ctx: TrustContext, envelope: SignedEnvelope | undefined, field: string, trx?: Tx): Promise<SignedAct<T>> {
  const signed = verifyAct<T>(ctx.core, envelope, field, { intermediates: knownIntermediates(ctx) });
  const operatorPolicy = ctx.authorities.profile('ra_operator').policies[0];
  if (!operatorPolicy || !policiesOf(signed.signer).includes(operatorPolicy)) {
    throw new RuqsatError(grpc.status.PERMISSION_DENIED, 'NOT_AN_OPERATOR', `${field}: the signer's certificate is not an RA operator's`);
  }
  await requireActiveOperator(ctx, signed.signer, field, trx);
  return signed;
}

export async function requireActiveOperator(ctx: TrustContext, signer: Certificate, field: string, trx?: Tx): Promise<void> {
  const operator = await ctx.registration.operatorByCertificate(normalizeSerial(signer.serialHex)!, trx);
  if (!operator) throw new RuqsatError(grpc.status.PERMISSION_DENIED, 'NOT_AN_OPERATOR', `${field}: no RA operator holds this certificate`);
  if (operator.status !== 'active') {
    throw new RuqsatError(grpc.status.PERMISSION_DENIED, `OPERATOR_${operator.status.toUpperCase()}`, `${field}: the RA operator is ${operator.status}`, { operator: operator.id });
  }
}

async function loadRegistered(ctx: TrustContext, trx: Tx, id: string, name: string): Promise<ApplicationRow> {
  const row = await ctx.registration.application(id, trx);
  if (!row) throw notFound(name);
  if (row.status !== 'registered') {
    throw new RuqsatError(grpc.status.FAILED_PRECONDITION, 'APPLICATION_NOT_REGISTERED', `${name} is already ${row.status}`, { status: row.status });
  }
  return row;
}

async function useActOnce(ctx: TrustContext, trx: Tx, fingerprint: string): Promise<void> {
  if (!(await ctx.store.useAct(trx, fingerprint))) {
    throw new RuqsatError(grpc.status.FAILED_PRECONDITION, 'ACT_REPLAYED', 'this signed act was already used');
  }
}

async function partiesOf(ctx: TrustContext, type: 'individual' | 'legal_entity', identifier: string, representativeIin: string | null): Promise<{ person?: Person; organization?: Organization }> {
  if (type === 'individual') return { person: await ctx.reference.person(identifier) };
  return { person: representativeIin ? await ctx.reference.person(representativeIin) : undefined, organization: await ctx.reference.organization(identifier) };
}

export function applicationHandlers(ctx: TrustContext): Pick<TrustServiceServer, 'submitCertificateApplication' | 'getCertificateApplication' | 'confirmCertificateApplication' | 'refuseCertificateApplication'> {
  const { logger } = ctx;
  return {
    submitCertificateApplication: unary(logger, async (req) => {
      const violations: FieldViolation[] = [];
      const bad = (field: string, description: string) => violations.push({ field, description });
      if (req.requestId.length < 1 || req.requestId.length > 128) bad('request_id', 'is required, at most 128 characters');
      const type = req.applicant?.type === PartyType.PARTY_TYPE_INDIVIDUAL ? 'individual' : req.applicant?.type === PartyType.PARTY_TYPE_LEGAL_ENTITY ? 'legal_entity' : undefined;
      if (!type) bad('applicant.type', 'must be an individual or a legal entity');
      if (!isValidIinBin(req.applicant?.identifier ?? '')) bad('applicant.identifier', 'must be a 12-digit IIN or BIN with a valid check digit');
      if (type === 'legal_entity' && !isValidIinBin(req.representativeIin)) bad('representative_iin', 'a legal entity applies through a person: a valid IIN is required');
      if (type === 'individual' && req.representativeIin !== '') bad('representative_iin', 'is only for legal entities');
      if (!EMAIL.test(req.email)) bad('email', 'must be an e-mail address');
      if (req.region.trim().length < 1 || req.region.length > 100) bad('region', 'is required, at most 100 characters');
      if (!(KEY_STORAGES as readonly string[]).includes(req.keyStorage)) bad('key_storage', `must be one of ${KEY_STORAGES.join(', ')}`);
      if (type && !APPLICANT_PROFILES[type].includes(req.profile)) bad('profile', `must be one of ${APPLICANT_PROFILES[type].join(', ')}`);
      let csrDer: Uint8Array | undefined;
      if (req.csr.length === 0 || req.csr.length > MAX_CSR) bad('csr', `a PKCS#10 request of at most ${MAX_CSR} bytes is required`);
      else {
        try {
          csrDer = parseCsrDer(req.csr);
        } catch (err) {
          if (!(err instanceof CsrError)) throw err;
          bad('csr', `${err.reason}: ${err.message}`);
        }
      }
      if (violations.length > 0 || !type || !csrDer) throw invalidArgument(violations);

      const csrSha256 = createHash('sha256').update(csrDer).digest('hex');
      const requestHash = createHash('sha256')
        .update(JSON.stringify([type, req.applicant!.identifier, req.representativeIin, req.email, req.region, req.keyStorage, req.profile, csrSha256]))
        .digest('hex');
      const existing = await ctx.registration.applicationByRequestId(req.requestId);
      if (existing) return sameRequest(existing, requestHash, req.requestId);

      // P2–P3: the applicant must be known to the state databases; otherwise a reasoned refusal.
      const { person, organization } = await partiesOf(ctx, type, req.applicant!.identifier, req.representativeIin || null);
      if (!person || (type === 'legal_entity' && !organization)) {
        const who = !person ? `IIN ${type === 'individual' ? req.applicant!.identifier : req.representativeIin}` : `BIN ${req.applicant!.identifier}`;
        throw new RuqsatError(grpc.status.FAILED_PRECONDITION, 'APPLICANT_NOT_IN_REGISTRY', `refused: ${who} is not in the reference registry of ${!person ? 'individuals' : 'legal entities'}`);
      }
      const row = await ctx.store.db.transaction(async (trx) => {
        const inserted = await ctx.registration.insertApplication(
          {
            id: randomUUID(),
            request_id: req.requestId,
            request_hash: requestHash,
            status: 'registered',
            applicant_type: type,
            applicant_identifier: req.applicant!.identifier,
            representative_iin: req.representativeIin || null,
            email: req.email,
            region: req.region.trim(),
            key_storage: req.keyStorage,
            profile: req.profile,
            csr_der: Buffer.from(csrDer),
            csr_sha256: csrSha256,
            certificate_authority: null,
            certificate_serial: null,
            refusal_reason: null,
          },
          'NCA',
          trx,
        );
        // A retry that found its application records nothing new.
        if (inserted.created) {
          const app = inserted.row;
          await ctx.audit.append(trx, { actor: `applicant ${app.applicant_identifier}`, action: 'submit_certificate_application', resource: `certificateApplications/${app.id}`, payload: { number: app.number, profile: app.profile, csr_sha256: app.csr_sha256 } });
        }
        return inserted.row;
      });
      return sameRequest(row, requestHash, req.requestId, organization?.name ?? `${person.surname} ${person.givenName}`);
    }),

    getCertificateApplication: unary(logger, async (req) => {
      const { certificate_application: id } = parseName(req.name, APPLICATION, 'name');
      const row = await ctx.registration.application(id!);
      if (!row) throw notFound(req.name);
      return toApplication(row);
    }),

    confirmCertificateApplication: unary(logger, async (req) => {
      const { certificate_application: id } = parseName(req.name, APPLICATION, 'name');
      const signed = await operatorAct<ApplicationAct>(ctx, req.confirmation, 'confirmation');
      const issuer = ctx.authorities.get(ISSUER);
      if (!issuer) throw new RuqsatError(grpc.status.UNAVAILABLE, 'NO_ISSUING_CA', 'the NCA issuing CA is not available on this instance');
      const pending = await ctx.registration.application(id!);
      if (!pending) throw notFound(req.name);
      // Registry lookups stay outside the transaction: on PGlite it holds the only connection.
      const { person, organization } = await partiesOf(ctx, pending.applicant_type, pending.applicant_identifier, pending.representative_iin);
      if (!person) throw new RuqsatError(grpc.status.FAILED_PRECONDITION, 'APPLICANT_NOT_IN_REGISTRY', 'the applicant is no longer in the reference registry');
      const row = await ctx.store.db.transaction(async (trx) => {
        const app = await loadRegistered(ctx, trx, id!, req.name);
        requireAct(signed.act, 'confirmation', { act: 'confirm_certificate_application', application: req.name, csr_sha256: app.csr_sha256 });
        await useActOnce(ctx, trx, signed.fingerprint);
        const csr = parseCsr(app.csr_der);
        const template = templateFor(ctx.authorities.profile(app.profile), encodeName(subjectFor(person, organization)), csr.subjectPublicKeyInfo, issuer, new Date(), ctx.authorities.endpoints);
        const der = buildCertificate(template, issuer.signer);
        const cert = await ctx.authorities.recordIssued(trx, issuer.id, der, app.profile, app.applicant_identifier);
        const serial = normalizeSerial(cert.serialHex)!;
        await ctx.audit.append(trx, { actor: actorOf(signed.signer), action: 'confirm_certificate_application', resource: req.name, payload: { number: app.number, certificate: certificateName(issuer.id, serial) } });
        return ctx.registration.updateApplication(trx, app.id, { status: 'issued', certificate_authority: issuer.id, certificate_serial: serial });
      });
      logger.info({ application: row.number, certificate: row.certificate_serial }, 'registration certificate issued');
      return toApplication(row);
    }),

    refuseCertificateApplication: unary(logger, async (req) => {
      const { certificate_application: id } = parseName(req.name, APPLICATION, 'name');
      const signed = await operatorAct<ApplicationAct>(ctx, req.refusal, 'refusal');
      const reason = typeof signed.act.reason === 'string' ? signed.act.reason.trim() : '';
      if (reason.length === 0) throw invalidArgument([{ field: 'refusal.payload', description: '"reason" must state why: a refusal is reasoned' }]);
      const row = await ctx.store.db.transaction(async (trx) => {
        const app = await loadRegistered(ctx, trx, id!, req.name);
        requireAct(signed.act, 'refusal', { act: 'refuse_certificate_application', application: req.name });
        await useActOnce(ctx, trx, signed.fingerprint);
        await ctx.audit.append(trx, { actor: actorOf(signed.signer), action: 'refuse_certificate_application', resource: req.name, payload: { number: app.number, reason } });
        return ctx.registration.updateApplication(trx, app.id, { status: 'refused', refusal_reason: reason });
      });
      return toApplication(row);
    }),
  };
}

/** The CSR's DER, after its proof of possession checks out. */
function parseCsrDer(input: Uint8Array): Uint8Array {
  const text = Buffer.from(input).toString('latin1');
  const der = text.includes('-----BEGIN') ? fromPem(text) : input;
  if (!der) throw new CsrError('MALFORMED', 'the PEM block cannot be read');
  parseCsr(der);
  return der;
}

function sameRequest(row: ApplicationRow, requestHash: string, requestId: string, applicantName = ''): CertificateApplication {
  // A retry returns the same application; the same request_id with another body is a client bug.
  if (row.request_hash !== requestHash) {
    throw new RuqsatError(grpc.status.ALREADY_EXISTS, 'REQUEST_ID_REUSED', `request_id "${requestId}" was used for a different application`, { application: row.number });
  }
  return toApplication(row, applicantName);
}
