// NSC's acts on an issued permit: suspend, reinstate, revoke. Each is an EDS-signed act by an official whose
// role is in the certificate (trust's official_* policy) and in this service's staff table, accepted once.
import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { PermitServiceServer, ReinstatePermitRequest } from '../../gen/ruqsat/permit/v1/permit.ts';
import { invalidArgument, notFound, RuqsatError, unavailable } from '../kit/errors.ts';
import { unary } from '../kit/grpc/handler.ts';
import { parseName } from '../kit/names.ts';
import { iinOf, policiesOf, requireAct, requireEnvelope, verifyAct } from '../kit/signed.ts';
import type { TrustFollower } from '../kit/trust-follower.ts';
import { profiles } from '../trust/domain/pki/profiles.ts';
import type { PermitStatus } from './domain/check.ts';
import { PERMIT } from './domain/names.ts';
import type { Consumptions } from './consumptions.ts';
import { toPermit } from './handlers.ts';
import type { PermitStore } from './store.ts';

// Best reading (the seeds name no one): the authorized signatory who signs permits, or the head of the department.
const ROLE_PROFILE: Record<string, string> = { signatory: 'official_signatory', head: 'official_head' };

export interface StatusActDeps {
  store: PermitStore;
  consumptions: Consumptions;
  trust: TrustFollower;
  logger: Logger;
  policyArc?: string;
}

type Act = Record<string, unknown>;

export function statusActHandlers({ store, consumptions, trust, logger, policyArc }: StatusActDeps): Pick<PermitServiceServer, 'suspendPermit' | 'reinstatePermit' | 'revokePermit'> {
  const rolePolicy = Object.fromEntries(Object.entries(ROLE_PROFILE).map(([role, profile]) => [role, profiles(policyArc)[profile]!.policies[0]!]));
  const handle = (act: string, status: PermitStatus) =>
    unary(logger, async (req: ReinstatePermitRequest) => {
      const { permit } = parseName(req.name, PERMIT, 'name');
      requireEnvelope(req.act, 'act');
      if (!trust.ready) throw unavailable('TRUST_NOT_READY', 'the trust anchors and CRLs are still loading; retry shortly');
      const signed = verifyAct<Act>(trust.core, req.act, 'act', { intermediates: trust.intermediates() });
      requireAct(signed.act, 'act', { act, permit: req.name });
      const reason = signed.act.reason;
      if (typeof reason !== 'string' || reason.trim() === '') throw invalidArgument([{ field: 'act.payload.reason', description: 'the act must state its reason' }]);
      const iin = iinOf(signed.signer);
      const staff = iin ? await store.staffRoles(iin) : [];
      if (staff.length === 0) throw new RuqsatError(grpc.status.PERMISSION_DENIED, 'NOT_STAFF', "act: the signer is not on the permit service's staff");
      const held = staff.filter((r) => r in ROLE_PROFILE);
      if (held.length === 0) throw new RuqsatError(grpc.status.PERMISSION_DENIED, 'WRONG_ROLE', `act: only a signatory or the head acts on an issued permit; the signer holds ${staff.join(', ')}`);
      const role = held.find((r) => policiesOf(signed.signer).includes(rolePolicy[r]!));
      if (!role) throw new RuqsatError(grpc.status.PERMISSION_DENIED, 'WRONG_ROLE', `act: the signer's certificate does not carry the ${held.join(' or ')} role`);
      const row = await store.permit(permit!);
      if (!row) throw notFound(req.name);
      await consumptions.setStatus(row.number, status, `${signed.signer.subject.text} (${role})`, reason, signed.fingerprint);
      logger.info({ permit: req.name, act, role }, 'official act on a permit');
      return toPermit((await store.permit(permit!))!);
    });
  return {
    suspendPermit: handle('suspend_permit', 'suspended'),
    reinstatePermit: handle('reinstate_permit', 'active'),
    revokePermit: handle('revoke_permit', 'revoked'),
  };
}
