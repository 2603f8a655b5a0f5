// Entry rows as the API shows them.
import { SignedEnvelope } from '../../gen/ruqsat/common/v1/common.ts';
import { Entry } from '../../gen/ruqsat/registry/v1/registry.ts';
import { toParty } from '../kit/party.ts';
import { entryName } from './domain/names.ts';
import { STATUS_NAMES } from './domain/publish.ts';
import type { EntryRow } from './store.ts';

export function toEntry(row: EntryRow): Entry {
  return {
    name: entryName(row.register_id, row.id),
    number: row.number,
    title: row.title,
    holder: toParty({ type: row.holder_type, identifier: row.holder_identifier, name: row.holder_name }),
    status: STATUS_NAMES[row.status],
    sourceResource: row.source_resource,
    createTime: row.created_at,
    updateTime: row.updated_at,
    sourceService: row.source_service,
    sourceSequence: Number(row.source_sequence),
    effectiveTime: row.effective_at ?? undefined,
    expireTime: row.expire_at ?? undefined,
    document: row.document ? SignedEnvelope.decode(row.document) : undefined,
    attributes: typeof row.attributes === 'string' ? JSON.parse(row.attributes) : (row.attributes ?? {}),
  };
}

export const encodeEntry = (row: EntryRow): Buffer => Buffer.from(Entry.encode(toEntry(row)).finish());
