// Who signed an act: the applicant a certificate names, or an official with a role the staff table confirms.
import * as grpc from '@grpc/grpc-js';
import type { Certificate } from '../../../core-wasm/src/index.ts';
import type { SignedEnvelope } from '../../../gen/ruqsat/common/v1/common.ts';
import { RuqsatError, unavailable } from '../errors.ts';
import type { PartyKind } from '../party.ts';
import { binOf, iinOf, policiesOf, requireEnvelope, verifyAct, type SignedAct } from '../signed.ts';
import type { TrustFollower } from '../trust-follower.ts';
import type { Role } from '../workflow/index.ts';
import { profiles } from '../../trust/domain/pki/profiles.ts';
import { trustConfig } from '../../trust/config.ts';
import type { CaseStore } from './store.ts';

export interface Applicant {
  kind: PartyKind;
  identifier: string;
  name: string;
}

// The certificate's role policy (trust's official_* profiles) each workflow role requires.
export const CERTIFICATE_ROLE: Record<string, string> = {
  registrar: 'official_registrar',
  executor: 'official_executor',
  head: 'official_head',
  head_of_licensing_department: 'official_head',
  signatory: 'official_signatory',
  commission_member: 'official_commission_member',
};

/** trust's profile id → the role policy OID its certificates carry, under the configured arc. */
export function rolePolicies(env: Record<string, string | undefined>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(profiles(trustConfig(env).policyArc)).map(([id, p]) => [id, p.policies[0]]));
}

/** Verifies an EDS-signed act in-process against the trust service's anchors and CRLs. */
export function verifySigned<T>(trust: TrustFollower, envelope: SignedEnvelope | undefined, field: string): SignedAct<T> {
  requireEnvelope(envelope, field);
  if (!trust.ready) throw unavailable('TRUST_NOT_READY', 'the trust anchors and CRLs are still loading; retry shortly');
  return verifyAct<T>(trust.core, envelope, field, { intermediates: trust.intermediates() });
}

/** The applicant a certificate names: a legal entity by the BIN in OU, else the person by the IIN. */
export function applicantOf(cert: Certificate): Applicant | undefined {
  const attr = (oid: string) => cert.subject.rdns.flat().find((a) => a.type === oid)?.value;
  const bin = binOf(cert);
  const iin = iinOf(cert);
  if (bin) return { kind: 'legal_entity', identifier: bin, name: attr('2.5.4.10') ?? bin };
  return iin ? { kind: 'individual', identifier: iin, name: attr('2.5.4.3') ?? iin } : undefined;
}

export interface Official {
  iin: string;
  role: Role;
  /** "Subject (role)" for the audit log. */
  label: string;
}

/**
 * The role an official acts in: held in the staff table and carried by the certificate's role policy.
 * `rolePolicy` maps trust's profile ids to their policy OIDs.
 */
export async function officialOf(store: CaseStore, signed: SignedAct<{ role?: unknown }>, rolePolicy: Record<string, string | undefined>): Promise<Official> {
  const iin = iinOf(signed.signer);
  const held = iin ? await store.staffRoles(iin) : [];
  if (held.length === 0) throw new RuqsatError(grpc.status.PERMISSION_DENIED, 'NOT_STAFF', "act: the signer is not on this provider's staff");
  const asked = typeof signed.act.role === 'string' ? signed.act.role : held.length === 1 ? held[0] : undefined;
  if (!asked || !held.includes(asked)) {
    throw new RuqsatError(grpc.status.PERMISSION_DENIED, 'WRONG_ROLE', `act: the signer holds ${held.join(', ')}; say which with "role"`, { held: held.join(',') });
  }
  const needed = rolePolicy[CERTIFICATE_ROLE[asked] ?? ''];
  if (!needed || !policiesOf(signed.signer).includes(needed)) {
    throw new RuqsatError(grpc.status.PERMISSION_DENIED, 'WRONG_ROLE', `act: the signer's certificate does not carry the ${asked} role`);
  }
  return { iin: iin!, role: asked as Role, label: `${signed.signer.subject.text} (${asked})` };
}
