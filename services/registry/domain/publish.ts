// PublishEntry's rules: what a publisher must send, and the entry id a source resource maps to.
import { createHash } from 'node:crypto';
import { PartyType } from '../../../gen/ruqsat/common/v1/common.ts';
import { EntryStatus, type PublishEntryRequest } from '../../../gen/ruqsat/registry/v1/registry.ts';
import type { FieldViolation } from '../../kit/errors.ts';
import { isValidIinBin, type PartyKind } from '../../kit/party.ts';

export type EntryStatusName = 'active' | 'suspended' | 'revoked' | 'expired';

export const STATUS_NAMES: Record<EntryStatusName, EntryStatus> = {
  active: EntryStatus.ENTRY_STATUS_ACTIVE,
  suspended: EntryStatus.ENTRY_STATUS_SUSPENDED,
  revoked: EntryStatus.ENTRY_STATUS_REVOKED,
  expired: EntryStatus.ENTRY_STATUS_EXPIRED,
};

export const statusName = (status: EntryStatus): EntryStatusName | undefined =>
  (Object.keys(STATUS_NAMES) as EntryStatusName[]).find((k) => STATUS_NAMES[k] === status);

/** A published entry, checked: the columns the store writes. */
export interface PublishInput {
  registerId: string;
  sourceService: string;
  sourceResource: string;
  sequence: number;
  number: string;
  title: string;
  holder: { type: PartyKind; identifier: string; name: string };
  status: EntryStatusName;
  effectiveTime: Date;
  expireTime: Date | null;
  document: { payload: Buffer; signature: Buffer; certificateChain: Buffer[] } | null;
  attributes: Record<string, string>;
}

// A source resource is an AIP-122 name of the publisher's: collection/id pairs.
const SOURCE_RESOURCE = /^[a-z][a-zA-Z0-9]*\/[a-z0-9][a-z0-9._-]*(\/[a-z][a-zA-Z0-9]*\/[a-z0-9][a-z0-9._-]*)*$/;
const ENTRY_ID = /^[a-z0-9][a-z0-9._-]{0,62}$/;
const ATTRIBUTE_KEY = /^[a-z][a-z0-9_]{0,62}$/;
const CONTROL = /[\u0000-\u001f\u007f]/;
const MAX_ATTRIBUTES = 64;

/** The entry id of a source resource: "licenses/lic-1" → "licenses.lic-1"; too long → a hash. */
export function entryIdOf(sourceResource: string): string {
  const joined = sourceResource.split('/').join('.');
  return ENTRY_ID.test(joined) ? joined : 'h' + createHash('sha256').update(sourceResource).digest('hex').slice(0, 40);
}

function text(violations: FieldViolation[], field: string, value: string, max: number): void {
  if (value.trim() === '') violations.push({ field, description: 'is required' });
  else if (value.length > max) violations.push({ field, description: `must be at most ${max} characters` });
  else if (CONTROL.test(value)) violations.push({ field, description: 'must not contain control characters' });
}

/** Every violation of `req` at once; `registerId` is already parsed from req.register. */
export function validatePublish(req: PublishEntryRequest, registerId: string): { input?: PublishInput; violations: FieldViolation[] } {
  const v: FieldViolation[] = [];
  if (!/^[a-z]+$/.test(req.sourceService)) v.push({ field: 'source_service', description: 'is required: the publishing service, e.g. "licensing"' });
  if (req.sourceResource.length > 300 || !SOURCE_RESOURCE.test(req.sourceResource)) {
    v.push({ field: 'source_resource', description: 'must be the source record\'s resource name, e.g. "licenses/lic-1"' });
  }
  if (!Number.isSafeInteger(req.sequence) || req.sequence <= 0) v.push({ field: 'sequence', description: 'must be a positive version of the source record' });
  text(v, 'number', req.number, 128);
  text(v, 'title', req.title, 2000);
  const holder = req.holder;
  if (!holder) v.push({ field: 'holder', description: 'is required' });
  else {
    if (holder.type !== PartyType.PARTY_TYPE_INDIVIDUAL && holder.type !== PartyType.PARTY_TYPE_LEGAL_ENTITY) v.push({ field: 'holder.type', description: 'must be INDIVIDUAL or LEGAL_ENTITY' });
    if (!isValidIinBin(holder.identifier)) v.push({ field: 'holder.identifier', description: 'must be a 12-digit IIN or BIN with a valid check digit' });
    text(v, 'holder.display_name', holder.displayName, 1000);
  }
  const status = statusName(req.status);
  if (!status) v.push({ field: 'status', description: 'must be ACTIVE, SUSPENDED, REVOKED or EXPIRED' });
  if (!req.effectiveTime || Number.isNaN(req.effectiveTime.getTime())) v.push({ field: 'effective_time', description: 'is required' });
  if (req.expireTime && req.effectiveTime && req.expireTime.getTime() <= req.effectiveTime.getTime()) {
    v.push({ field: 'expire_time', description: 'must be after effective_time' });
  }
  const doc = req.document;
  if (doc && (doc.payload.length > 0 || doc.signature.length > 0 || doc.certificateChain.length > 0)) {
    if (doc.payload.length === 0) v.push({ field: 'document.payload', description: 'is required in a signed document' });
    if (doc.signature.length === 0) v.push({ field: 'document.signature', description: 'is required in a signed document' });
    if (doc.certificateChain.length === 0 || doc.certificateChain.some((c) => c.length === 0)) {
      v.push({ field: 'document.certificate_chain', description: "must hold the signer's certificate, then any intermediates" });
    }
  }
  const keys = Object.keys(req.attributes);
  if (keys.length > MAX_ATTRIBUTES) v.push({ field: 'attributes', description: `at most ${MAX_ATTRIBUTES} attributes` });
  for (const key of keys.slice(0, MAX_ATTRIBUTES)) {
    if (!ATTRIBUTE_KEY.test(key)) v.push({ field: `attributes[${JSON.stringify(key.slice(0, 64))}]`, description: 'keys are snake_case, at most 63 characters' });
    else if (req.attributes[key]!.length > 2000 || CONTROL.test(req.attributes[key]!)) v.push({ field: `attributes["${key}"]`, description: 'values are at most 2000 characters, without control characters' });
  }
  if (v.length > 0) return { violations: v };
  return {
    violations: v,
    input: {
      registerId,
      sourceService: req.sourceService,
      sourceResource: req.sourceResource,
      sequence: req.sequence,
      number: req.number.trim(),
      title: req.title.trim(),
      holder: {
        type: holder!.type === PartyType.PARTY_TYPE_INDIVIDUAL ? 'individual' : 'legal_entity',
        identifier: holder!.identifier,
        name: holder!.displayName.trim(),
      },
      status: status!,
      effectiveTime: req.effectiveTime!,
      expireTime: req.expireTime ?? null,
      document: doc && doc.payload.length > 0 ? { payload: Buffer.from(doc.payload), signature: Buffer.from(doc.signature), certificateChain: doc.certificateChain.map((c) => Buffer.from(c)) } : null,
      attributes: { ...req.attributes },
    },
  };
}
