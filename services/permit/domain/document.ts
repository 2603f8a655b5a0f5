// қорытынды (рұқсат беру құжаты) — the signed permit document: its JSON shape, validation and canonical bytes.
import { canonicalJson, type JsonValue } from '../../kit/audit.ts';
import { addDays, instantAt, type CalendarDate } from '../../kit/calendar/zone.ts';
import type { FieldViolation } from '../../kit/errors.ts';
import { isValidIinBin, type PartyKind } from '../../kit/party.ts';
import { isHsCode, isQuantityText } from './quantity.ts';

/** The document tag a verifier dispatches on (the CLI's verify-document reads it). */
export const PERMIT_DOCUMENT = 'ruqsat.permit';
export const PERMIT_DOCUMENT_VERSION = 1;

export const PERMIT_KINDS = ['permit.customs_covert_sts', 'permit.customs_crypto', 'permit.crypto_sale', 'conclusion.tech_research', 'registration.crypto_notification'] as const;
export type PermitKind = (typeof PERMIT_KINDS)[number];
/** The conclusions that move goods across the border (§2.4, §2.5): they name a movement, a contract and goods. */
export const CUSTOMS_KINDS: readonly PermitKind[] = ['permit.customs_covert_sts', 'permit.customs_crypto'];

export const MOVEMENTS = ['import', 'export', 'transit'] as const;
export type Movement = (typeof MOVEMENTS)[number];

export interface GoodsLine {
  name: string;
  /** 10-digit HS code (ТН ВЭД ЕАЭС). */
  hs_code: string;
  /** Exact decimal text, at most 6 decimal places ("10", "2.5"). */
  quantity: string;
  unit: string;
  manufacturer: string;
  /** ISO 3166-1 alpha-2. */
  origin_country: string;
  destination_country: string;
}

export interface PermitDocument {
  document: typeof PERMIT_DOCUMENT;
  version: typeof PERMIT_DOCUMENT_VERSION;
  number: string;
  kind: PermitKind;
  /** Customs conclusions only. */
  movement_type?: Movement;
  holder: { type: PartyKind; identifier: string; name: string };
  /** сыртқы сауда келісімшарты — the foreign-trade contract or document of intent; customs conclusions only. */
  contract_reference?: string;
  /** Line n of the permit is goods[n - 1]. */
  goods: GoodsLine[];
  /** Asia/Almaty dates, both inclusive. */
  valid_from: CalendarDate;
  valid_until: CalendarDate;
  issue_date: CalendarDate;
  /** уәкілетті адам — the authorized signatory; the IIN must be the signing certificate's. */
  signatory: { iin: string; name: string };
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const COUNTRY_RE = /^[A-Z]{2}$/;
const NUMBER_RE = /^[A-Za-z0-9][A-Za-z0-9./-]{0,63}$/;

const isDate = (v: unknown): v is string => typeof v === 'string' && DATE_RE.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);
const text = (v: unknown, max = 500): v is string => typeof v === 'string' && v.trim() !== '' && v.length <= max;

export function isPermitNumber(v: string): boolean {
  return NUMBER_RE.test(v);
}

/** Every rule a permit document breaks, as field violations under `prefix`; empty when well-formed. */
export function validatePermitDocument(doc: unknown, prefix = 'document'): FieldViolation[] {
  const v: FieldViolation[] = [];
  const bad = (field: string, description: string) => v.push({ field: `${prefix}.${field}`, description });
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return [{ field: prefix, description: 'must be a JSON object' }];
  const d = doc as Record<string, unknown>;
  if (d.document !== PERMIT_DOCUMENT) bad('document', `must be "${PERMIT_DOCUMENT}"`);
  if (d.version !== PERMIT_DOCUMENT_VERSION) bad('version', `must be ${PERMIT_DOCUMENT_VERSION}`);
  if (typeof d.number !== 'string' || !isPermitNumber(d.number)) bad('number', 'must be 1–64 letters, digits, ".", "/" or "-"');
  const kind = d.kind as PermitKind;
  if (!PERMIT_KINDS.includes(kind)) bad('kind', `must be one of ${PERMIT_KINDS.join(', ')}`);
  const customs = CUSTOMS_KINDS.includes(kind);
  if (customs ? !MOVEMENTS.includes(d.movement_type as Movement) : d.movement_type !== undefined) bad('movement_type', customs ? 'must be import, export or transit' : 'is only for customs conclusions');
  if (customs ? !text(d.contract_reference) : d.contract_reference !== undefined && !text(d.contract_reference)) bad('contract_reference', 'must name the foreign-trade contract or document of intent');
  const holder = d.holder as Record<string, unknown> | undefined;
  if (!holder || typeof holder !== 'object') bad('holder', 'is required');
  else {
    if (holder.type !== 'individual' && holder.type !== 'legal_entity') bad('holder.type', 'must be individual or legal_entity');
    if (typeof holder.identifier !== 'string' || !isValidIinBin(holder.identifier)) bad('holder.identifier', 'must be a 12-digit IIN or BIN with a valid check digit');
    if (!text(holder.name)) bad('holder.name', 'is required');
  }
  if (!Array.isArray(d.goods)) bad('goods', 'must be a list');
  else {
    if (customs && d.goods.length === 0) bad('goods', 'a customs conclusion covers at least one goods line');
    if (d.goods.length > 1000) bad('goods', 'at most 1000 lines');
    d.goods.forEach((g: Record<string, unknown>, i) => {
      const at = `goods[${i}]`;
      if (g === null || typeof g !== 'object') return bad(at, 'must be an object');
      if (!text(g.name)) bad(`${at}.name`, 'is required');
      if (typeof g.hs_code !== 'string' || !isHsCode(g.hs_code)) bad(`${at}.hs_code`, 'must be a 10-digit HS code (ТН ВЭД ЕАЭС)');
      if (typeof g.quantity !== 'string' || !isQuantityText(g.quantity)) bad(`${at}.quantity`, 'must be a positive decimal with at most 6 decimal places, as text');
      if (!text(g.unit, 32)) bad(`${at}.unit`, 'is required');
      if (typeof g.manufacturer !== 'string') bad(`${at}.manufacturer`, 'must be text');
      for (const c of ['origin_country', 'destination_country']) if (typeof g[c] !== 'string' || !COUNTRY_RE.test(g[c] as string)) bad(`${at}.${c}`, 'must be an ISO 3166-1 alpha-2 code');
    });
  }
  for (const f of ['valid_from', 'valid_until', 'issue_date']) if (!isDate(d[f])) bad(f, 'must be a date YYYY-MM-DD');
  if (isDate(d.valid_from) && isDate(d.valid_until) && d.valid_until < d.valid_from) bad('valid_until', 'must not be before valid_from');
  const s = d.signatory as Record<string, unknown> | undefined;
  if (!s || typeof s !== 'object') bad('signatory', 'is required');
  else {
    if (typeof s.iin !== 'string' || !isValidIinBin(s.iin)) bad('signatory.iin', 'must be a 12-digit IIN');
    if (!text(s.name)) bad('signatory.name', 'is required');
  }
  return v;
}

/** The document's bytes as signed: canonical JSON (keys sorted, no whitespace), UTF-8. */
export function encodePermitDocument(doc: PermitDocument): Uint8Array {
  return Buffer.from(canonicalJson(doc as unknown as JsonValue), 'utf8');
}

export type DecodedDocument = { ok: true; document: PermitDocument; json: string } | { ok: false; violations: FieldViolation[]; json: string };

/** The document in signed bytes, or what is wrong with it. */
export function decodePermitDocument(payload: Uint8Array, prefix = 'document'): DecodedDocument {
  const json = Buffer.from(payload).toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return { ok: false, violations: [{ field: prefix, description: 'must be UTF-8 JSON' }], json };
  }
  const violations = validatePermitDocument(parsed, prefix);
  return violations.length ? { ok: false, violations, json } : { ok: true, document: parsed as PermitDocument, json };
}

/** The validity period as instants: from the first day's Almaty midnight to the midnight after the last day. */
export function validityOf(doc: Pick<PermitDocument, 'valid_from' | 'valid_until'>): { from: Date; until: Date } {
  return { from: instantAt(doc.valid_from, 0), until: instantAt(addDays(doc.valid_until, 1), 0) };
}
