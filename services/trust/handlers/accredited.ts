// Para 18 of the accreditation rules: the Root CA registers an accredited centre's CA certificate, and revokes it.
import * as grpc from '@grpc/grpc-js';
import { parseCertificate } from '../../../core-wasm/src/index.ts';
import type { TrustServiceServer } from '../../../gen/ruqsat/trust/v1/trust.ts';
import { invalidArgument, notFound, RuqsatError, type FieldViolation } from '../../kit/errors.ts';
import { unary } from '../../kit/grpc/handler.ts';
import { parseName } from '../../kit/names.ts';
import type { TrustContext } from '../context.ts';
import { templateFor } from '../domain/issue.ts';
import { AUTHORITY, normalizeSerial } from '../domain/names.ts';
import { buildCertificate } from '../domain/pki/certificate.ts';
import { CsrError, parseCsr } from '../domain/pki/csr.ts';
import { ProfileError } from '../domain/pki/issue.ts';
import { formatName, decodeName } from '../domain/pki/names.ts';
import { toAuthority, toCrl } from './reads.ts';

const OID = /^[0-2](\.\d+)+$/;
const DISTRIBUTION_POINT = /^https?:\/\/[^\s/]+(\/\S*)?$/;
const ROOT = 'root';

export function accreditedHandlers(ctx: TrustContext): Pick<TrustServiceServer, 'registerAccreditedCa' | 'revokeAccreditedCa' | 'publishCrl' | 'setCrlDistributionPoints'> {
  const { logger } = ctx;
  return {
    registerAccreditedCa: unary(logger, async (req) => {
      const { authority: id } = parseName(req.name, AUTHORITY, 'name');
      const violations: FieldViolation[] = [];
      if (req.displayName.trim() === '' || req.displayName.length > 200) violations.push({ field: 'display_name', description: 'is required, at most 200 characters' });
      const bad = req.policies.find((p) => !OID.test(p));
      if (bad !== undefined) violations.push({ field: 'policies', description: `"${bad}" is not a dotted OID` });
      const end = req.accreditationEndTime;
      if (!end || end.getTime() <= Date.now()) violations.push({ field: 'accreditation_end_time', description: 'must be in the future' });
      let csr;
      try {
        csr = parseCsr(Buffer.from(req.csr).toString('latin1').includes('-----BEGIN') ? Buffer.from(req.csr).toString('latin1') : req.csr);
      } catch (err) {
        if (!(err instanceof CsrError)) throw err;
        violations.push({ field: 'csr', description: `${err.reason}: ${err.message}` });
      }
      if (violations.length > 0 || !csr || !end) throw invalidArgument(violations);
      const root = ctx.authorities.get(ROOT);
      if (!root) throw new RuqsatError(grpc.status.UNAVAILABLE, 'NO_ROOT_CA', 'the Root CA is not available on this instance');
      if (await ctx.store.authority(id!)) throw new RuqsatError(grpc.status.ALREADY_EXISTS, 'AUTHORITY_EXISTS', `${req.name} is already registered`);

      const profile = ctx.authorities.profile('accredited_ca');
      const registered = { ...profile, policies: req.policies.length > 0 ? req.policies : profile.policies };
      let template;
      try {
        template = templateFor(registered, csr.subject, csr.subjectPublicKeyInfo, root, new Date(), ctx.authorities.endpoints);
      } catch (err) {
        if (err instanceof ProfileError) throw invalidArgument(err.violations.map((v) => ({ field: 'csr', description: v })));
        throw err;
      }
      // The CA certificate never outlives the accreditation it rests on.
      if (template.notAfter > end) template.notAfter = end;
      const der = buildCertificate(template, root.signer);
      const row = await ctx.store.db.transaction(async (trx) => {
        await ctx.store.insertAuthority({ id: id!, kind: 'accredited', display_name: req.displayName.trim(), subject: formatName(decodeName(csr.subject)), certificate_der: Buffer.from(der), parent_id: ROOT }, trx);
        const cert = await ctx.authorities.recordIssued(trx, ROOT, der, 'accredited_ca', null);
        await ctx.audit.append(trx, { actor: 'Root CA (RegisterAccreditedCa)', action: 'register_accredited_ca', resource: req.name, payload: { serial: cert.serialHex.toLowerCase(), policies: registered.policies, accreditation_end: end.toISOString() } });
        return (await ctx.store.authority(id!, trx))!;
      });
      await ctx.authorities.reload();
      logger.info({ authority: id, policies: registered.policies }, 'accredited certifying centre registered at the Root CA');
      return toAuthority(row);
    }),

    revokeAccreditedCa: unary(logger, async (req) => {
      const { authority: id } = parseName(req.name, AUTHORITY, 'name');
      if (req.reason !== 5 && req.reason !== 2) throw invalidArgument([{ field: 'reason', description: 'must be 5 (cessationOfOperation) or 2 (cACompromise)' }]);
      const row = await ctx.store.authority(id!);
      if (!row) throw notFound(req.name);
      if (row.kind !== 'accredited') throw new RuqsatError(grpc.status.FAILED_PRECONDITION, 'NOT_ACCREDITED', `${req.name} is not an accredited centre`);
      const serial = normalizeSerial(parseCertificate(row.certificate_der).serialHex)!;
      const event = await ctx.store.db.transaction(async (trx) => {
        const revoked = await ctx.store.revoke(trx, ROOT, serial, req.reason, new Date());
        if (revoked) await ctx.audit.append(trx, { actor: 'Root CA (RevokeAccreditedCa)', action: 'revoke_accredited_ca', resource: req.name, payload: { serial, reason: req.reason } });
        return revoked;
      });
      if (!event) throw new RuqsatError(grpc.status.FAILED_PRECONDITION, 'ALREADY_REVOKED', `${req.name} is already revoked`);
      logger.info({ authority: id, reason: req.reason }, 'accredited centre revoked at the Root CA');
      await ctx.publisher.publishPending();
      return toAuthority(row);
    }),

    publishCrl: unary(logger, async (req) => {
      const { authority: id } = parseName(req.authority, AUTHORITY, 'authority');
      if (req.crl.length === 0) throw invalidArgument([{ field: 'crl', description: 'is required: the CRL, DER or PEM' }]);
      const { row } = await ctx.accreditedCrls.accept(id!, req.crl, 'PublishCrl');
      return toCrl(row);
    }),

    setCrlDistributionPoints: unary(logger, async (req) => {
      const { authority: id } = parseName(req.authority, AUTHORITY, 'authority');
      const urls = req.crlDistributionPoints;
      const bad = urls.find((u) => !DISTRIBUTION_POINT.test(u) || u.length > 2000);
      if (bad !== undefined || urls.length > 10) throw invalidArgument([{ field: 'crl_distribution_points', description: `at most 10 http(s) URLs${bad === undefined ? '' : `; "${bad}" is not one`}` }]);
      const row = await ctx.store.db.transaction(async (trx) => {
        const current = await ctx.accreditedCrls.store.lockAuthority(trx, id!);
        if (!current) throw notFound(req.authority);
        if (current.kind !== 'accredited') throw new RuqsatError(grpc.status.FAILED_PRECONDITION, 'NOT_ACCREDITED', `${req.authority} is not an accredited centre`);
        await ctx.accreditedCrls.store.setDistributionPoints(trx, id!, urls);
        await ctx.audit.append(trx, { actor: 'SetCrlDistributionPoints', action: 'set_crl_distribution_points', resource: req.authority, payload: { urls } });
        return (await ctx.store.authority(id!, trx))!;
      });
      // Fetch from the new places now rather than on the next round.
      void ctx.fetcher?.tick();
      return toAuthority(row);
    }),
  };
}
