// The licence (лицензия) as a signed document: canonical JSON the authorized person signs, anyone verifies.
import { canonicalJson, type JsonValue } from '../../kit/audit.ts';
import type { Decoded, DocumentKind } from '../../kit/documents/verify.ts';
import type { FieldViolation } from '../../kit/errors.ts';
import { isValidIinBin, type PartyKind } from '../../kit/party.ts';

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

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The licence in signed bytes, or every rule it breaks. */
export function decodeLicence(payload: Uint8Array): Decoded<LicenceDocument> {
  const json = Buffer.from(payload).toString('utf8');
  let d: Record<string, unknown>;
  try {
    d = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return { ok: false, violations: [{ field: 'document', description: 'must be UTF-8 JSON' }], json };
  }
  const v: FieldViolation[] = [];
  const bad = (field: string, description: string) => v.push({ field: `document.${field}`, description });
  if (d === null || typeof d !== 'object') return { ok: false, violations: [{ field: 'document', description: 'must be a JSON object' }], json };
  if (d.document !== LICENCE_DOCUMENT) bad('document', `must be "${LICENCE_DOCUMENT}"`);
  if (typeof d.number !== 'string' || !/^NSC-LIC-\d{4}-\d{6}$/.test(d.number)) bad('number', 'must be NSC-LIC-YYYY-NNNNNN');
  if (typeof d.kind !== 'string' || !d.kind.startsWith('license.')) bad('kind', 'must be a licence kind (license.…)');
  if (!Array.isArray(d.sub_kinds) || !d.sub_kinds.every((k) => typeof k === 'string')) bad('sub_kinds', 'must be a list of sub-kinds');
  const h = d.holder as Record<string, unknown> | undefined;
  if (!h || typeof h !== 'object' || (h.type !== 'individual' && h.type !== 'legal_entity') || typeof h.identifier !== 'string' || !isValidIinBin(h.identifier) || typeof h.name !== 'string') bad('holder', 'must name the holder: type, a valid IIN/BIN, name');
  for (const f of ['kind_title', 'issuer', 'application', 'registration_number']) if (typeof d[f] !== 'string') bad(f, 'must be text');
  if (typeof d.date !== 'string' || !DATE.test(d.date)) bad('date', 'must be YYYY-MM-DD');
  if (typeof d.reissue !== 'boolean') bad('reissue', 'must be true or false');
  return v.length > 0 ? { ok: false, violations: v, json } : { ok: true, document: d as unknown as LicenceDocument, json };
}

/** A licence names no signatory: whoever holds the authorized signatory's role certificate signs it. */
export const LICENCE_KIND: DocumentKind<LicenceDocument> = { decode: decodeLicence };
