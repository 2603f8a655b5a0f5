// Certificate profiles as data: each type of registration certificate (тіркеу куәлігінің түрі) with its usage policy.
import { EKU, type KeyUsage } from './extensions.ts';
import type { NameAttribute } from './names.ts';

export interface Profile {
  id: string;
  description: string;
  validityDays: number;
  basicConstraints?: { ca: boolean; pathLength?: number };
  keyUsage: KeyUsage[];
  extendedKeyUsage: string[];
  policies: string[];
  /** Attribute types that must be present in the subject. */
  subjectRequires: string[];
  /** Regular expressions the named subject attributes must match (e.g. SERIALNUMBER = "IIN" + 12 digits). */
  subjectPatterns: Record<string, string>;
  sanAllowed: boolean;
}

/**
 * Base arc for Ruqsat policy OIDs. PLACEHOLDER: 55555 is not Ruqsat's IANA Private Enterprise Number;
 * replace it with the registered arc (a PEN or the NCA RK arc) before any certificate leaves a test bench.
 */
export const POLICY_ARC = '1.3.6.1.4.1.55555.1';

/** anyPolicy (RFC 5280 §4.2.1.4): issuing CAs assert it so every end-entity policy below them validates. */
export const ANY_POLICY = '2.5.29.32.0';

/** Policy OIDs under an arc: arc.1.n certificate types, arc.2.n roles of officials (role = the policy in the certificate). */
export function policyOids(arc = POLICY_ARC) {
  return {
    individualAuth: `${arc}.1.1`, individualSign: `${arc}.1.2`,
    legalEntityAuth: `${arc}.1.3`, legalEntitySign: `${arc}.1.4`,
    serviceMtls: `${arc}.1.5`,
    raOperator: `${arc}.2.1`, officialRegistrar: `${arc}.2.2`, officialExecutor: `${arc}.2.3`,
    officialHead: `${arc}.2.4`, officialSignatory: `${arc}.2.5`, officialCommissionMember: `${arc}.2.6`,
  } as const;
}

// Validity (the regulation sets none, §2.12): root 20 y, CAs 10 y, people 1 y as NCA RK issues them, services 90 d for rotation.
const DAYS = { root: 7305, ca: 3653, accredited: 1096, user: 365, service: 90 } as const;

// NCA RK encodes the person's IIN as SERIALNUMBER "IIN…" and the organization's BIN as OU "BIN…".
const IIN = { SERIALNUMBER: '^IIN[0-9]{12}$' };
const IIN_BIN = { SERIALNUMBER: '^IIN[0-9]{12}$', OU: '^BIN[0-9]{12}$' };
const PERSON = ['C', 'CN', 'SERIALNUMBER'];
const EMPLOYEE = [...PERSON, 'O', 'OU'];
const CA_USAGE: KeyUsage[] = ['keyCertSign', 'cRLSign', 'digitalSignature']; // digitalSignature: the CA signs its own OCSP responses
const AUTH_USAGE: KeyUsage[] = ['digitalSignature', 'keyEncipherment'];
const SIGN_USAGE: KeyUsage[] = ['digitalSignature', 'nonRepudiation'];

export function profiles(arc = POLICY_ARC): Record<string, Profile> {
  const p = policyOids(arc);
  const ca = (id: string, description: string, validityDays: number): Profile => ({
    id, description, validityDays, basicConstraints: { ca: true, pathLength: 0 }, keyUsage: CA_USAGE,
    extendedKeyUsage: [], policies: [ANY_POLICY], subjectRequires: ['C', 'O', 'CN'], subjectPatterns: {}, sanAllowed: false,
  });
  // policies[0] is the role policy, as for ra_operator, so callers read a role the same way for every role profile.
  const official = (id: string, role: string, policy: string): Profile => ({
    id, description: `${role}: a civil servant's signing certificate; the policy names the role in case handling`,
    validityDays: DAYS.user, keyUsage: SIGN_USAGE, extendedKeyUsage: [EKU.emailProtection, EKU.clientAuth],
    policies: [policy, p.legalEntitySign], subjectRequires: EMPLOYEE, subjectPatterns: IIN_BIN, sanAllowed: true,
  });
  const list: Profile[] = [
    {
      id: 'root_ca', description: 'Root CA: self-signed trust anchor; signs issuing CAs and their CRLs only',
      validityDays: DAYS.root, basicConstraints: { ca: true }, keyUsage: ['keyCertSign', 'cRLSign'],
      extendedKeyUsage: [], policies: [], subjectRequires: ['C', 'O', 'CN'], subjectPatterns: {}, sanAllowed: false,
    },
    ca('nca_issuing_ca', 'NCA RK (ҚР ҰКО) issuing CA: registration certificates of individuals, legal entities and officials', DAYS.ca),
    // An accredited CA lives no longer than its accreditation certificate (3 years).
    ca('accredited_ca', 'Accredited certifying centre registered by the Root CA; validity bounded by its 3-year accreditation', DAYS.accredited),
    ca('mesh_ca', 'Mesh CA: mutual-TLS certificates of Ruqsat services and agency systems', DAYS.ca),
    {
      id: 'individual_auth', description: 'Individual (жеке тұлға), authentication: TLS client and e-mail, key transport',
      validityDays: DAYS.user, keyUsage: AUTH_USAGE, extendedKeyUsage: [EKU.clientAuth, EKU.emailProtection],
      policies: [p.individualAuth], subjectRequires: PERSON, subjectPatterns: IIN, sanAllowed: true,
    },
    {
      id: 'individual_sign', description: 'Individual (жеке тұлға), EDS (ЭЦҚ): signing with non-repudiation',
      validityDays: DAYS.user, keyUsage: SIGN_USAGE, extendedKeyUsage: [EKU.emailProtection],
      policies: [p.individualSign], subjectRequires: PERSON, subjectPatterns: IIN, sanAllowed: true,
    },
    {
      id: 'legal_entity_auth', description: "Legal entity's (заңды тұлға) employee, authentication; subject carries IIN and BIN",
      validityDays: DAYS.user, keyUsage: AUTH_USAGE, extendedKeyUsage: [EKU.clientAuth, EKU.emailProtection],
      policies: [p.legalEntityAuth], subjectRequires: EMPLOYEE, subjectPatterns: IIN_BIN, sanAllowed: true,
    },
    {
      id: 'legal_entity_sign', description: "Legal entity's (заңды тұлға) employee, EDS signing; subject carries IIN and BIN",
      validityDays: DAYS.user, keyUsage: SIGN_USAGE, extendedKeyUsage: [EKU.emailProtection],
      policies: [p.legalEntitySign], subjectRequires: EMPLOYEE, subjectPatterns: IIN_BIN, sanAllowed: true,
    },
    {
      id: 'ra_operator', description: 'NCA operator (ҚР ҰКО операторы): countersigns office requests and logs in to the NCA system',
      validityDays: DAYS.user, keyUsage: SIGN_USAGE, extendedKeyUsage: [EKU.clientAuth, EKU.emailProtection],
      policies: [p.raOperator], subjectRequires: EMPLOYEE, subjectPatterns: IIN_BIN, sanAllowed: true,
    },
    official('official_registrar', 'Registrar', p.officialRegistrar),
    official('official_executor', 'Executor', p.officialExecutor),
    official('official_head', 'Head', p.officialHead),
    official('official_signatory', 'Authorized signatory', p.officialSignatory),
    official('official_commission_member', 'Commission member', p.officialCommissionMember),
    {
      id: 'service_mtls', description: 'Ruqsat service or agency system, mutual TLS; identity = organization BIN + system name',
      validityDays: DAYS.service, keyUsage: AUTH_USAGE, extendedKeyUsage: [EKU.serverAuth, EKU.clientAuth],
      policies: [p.serviceMtls], subjectRequires: ['CN', 'O', 'OU'], subjectPatterns: { OU: '^BIN[0-9]{12}$' }, sanAllowed: true,
    },
  ];
  return Object.fromEntries(list.map((x) => [x.id, x]));
}

/** What is wrong with a subject under a profile (empty when it conforms); for INVALID_ARGUMENT field violations. */
export function subjectViolations(profile: Profile, subject: NameAttribute[]): string[] {
  const out: string[] = [];
  for (const type of profile.subjectRequires)
    if (!subject.some((a) => a.type === type)) out.push(`subject needs ${type}`);
  for (const [type, pattern] of Object.entries(profile.subjectPatterns)) {
    const re = new RegExp(pattern);
    for (const a of subject.filter((x) => x.type === type))
      if (!re.test(a.value)) out.push(`subject ${type} "${a.value}" does not match ${pattern}`);
  }
  return out;
}
