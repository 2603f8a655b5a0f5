// The licence (лицензия) as a signed document: canonical JSON the authorized person signs, anyone verifies.
import { canonicalJson, type JsonValue } from '../../kit/audit.ts';
import type { PartyKind } from '../../kit/party.ts';

export const LICENCE_DOCUMENT = 'ruqsat.licence';
export const ISSUER = 'National Security Committee of the Republic of Kazakhstan (Қазақстан Республикасы Ұлттық қауіпсіздік комитеті)';

export interface LicenceDocument {
  document: typeof LICENCE_DOCUMENT;
  number: string;
  kind: string;
  kind_title: string;
  sub_kinds: string[];
  holder: { type: PartyKind; identifier: string; name: string };
  issuer: string;
  /** The application that issued it, and its registration number. */
  application: string;
  registration_number: string;
  /** Date of the document in Almaty, YYYY-MM-DD: the day the draft was formed for signature. */
  date: string;
  /** Set on a re-issue (қайта ресімдеу): the number stays, the document is new. */
  reissue: boolean;
}

/** Licence numbers: stable and sortable, e.g. "NSC-LIC-2026-000042". */
export function licenceNumber(year: number, serial: number): string {
  return `NSC-LIC-${year}-${String(serial).padStart(6, '0')}`;
}

/** The exact bytes that are signed: canonical JSON (keys sorted, no whitespace), as every Ruqsat document. */
export function encodeLicence(doc: Omit<LicenceDocument, 'document' | 'issuer'>): Buffer {
  const full: LicenceDocument = {
    document: LICENCE_DOCUMENT,
    number: doc.number,
    kind: doc.kind,
    kind_title: doc.kind_title,
    sub_kinds: doc.sub_kinds,
    holder: { type: doc.holder.type, identifier: doc.holder.identifier, name: doc.holder.name },
    issuer: ISSUER,
    application: doc.application,
    registration_number: doc.registration_number,
    date: doc.date,
    reissue: doc.reissue,
  };
  return Buffer.from(canonicalJson(full as unknown as JsonValue), 'utf8');
}
