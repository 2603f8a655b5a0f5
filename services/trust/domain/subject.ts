// The subject of a registration certificate, built from the reference registry, never from the CSR.
import type { NameAttribute } from './pki/names.ts';

export interface Person {
  iin: string;
  surname: string;
  givenName: string;
  patronymic?: string;
}

export interface Organization {
  bin: string;
  name: string;
}

/**
 * As NCA RK certificates carry them: the person's IIN in SERIALNUMBER ("IIN…"), and for a legal
 * entity its name in O and its BIN in OU ("BIN…").
 */
export function subjectFor(person: Person, organization?: Organization): NameAttribute[] {
  const attrs: NameAttribute[] = [
    { type: 'C', value: 'KZ' },
    { type: 'SERIALNUMBER', value: `IIN${person.iin}` },
  ];
  if (organization) {
    attrs.push({ type: 'O', value: organization.name }, { type: 'OU', value: `BIN${organization.bin}` });
  }
  attrs.push({ type: 'SN', value: person.surname }, { type: 'GN', value: person.givenName });
  attrs.push({ type: 'CN', value: `${person.surname} ${person.givenName}`.toUpperCase() });
  return attrs;
}

/**
 * Profiles an applicant may ask for, by the kind of applicant. A state body (a legal entity) applies
 * for its officials' role certificates; the role then travels in the certificate as a policy OID.
 */
export const APPLICANT_PROFILES: Record<'individual' | 'legal_entity', string[]> = {
  individual: ['individual_auth', 'individual_sign'],
  legal_entity: [
    'legal_entity_auth',
    'legal_entity_sign',
    'official_registrar',
    'official_executor',
    'official_head',
    'official_signatory',
    'official_commission_member',
  ],
};

export const KEY_STORAGES = ['file', 'token', 'id_card'] as const;

/** Where the issuance notice goes (the "personal mail" of flow A, best reading A6: e-mail). */
export const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@]{2,}$/;
