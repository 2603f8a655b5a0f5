// A licence as the registry's register of NSC licences shows it, queued in the outbox with the change that made it.
import type { Knex } from 'knex';
import { EntryStatus, type PublishEntryRequest } from '../../gen/ruqsat/registry/v1/registry.ts';
import { toEnvelope } from '../kit/cases/view.ts';
import type { Outbox } from '../kit/outbox.ts';
import { toParty } from '../kit/party.ts';
import type { DefinitionRegistry } from '../kit/workflow/index.ts';
import { licenseName } from './domain/names.ts';
import type { LicenseRow, LicensingStore } from './store.ts';

const REGISTER = 'registers/nsc-licenses';

// A terminated licence is no longer in force: the register calls that revoked.
const ENTRY_STATUS: Record<LicenseRow['status'], EntryStatus> = {
  active: EntryStatus.ENTRY_STATUS_ACTIVE,
  suspended: EntryStatus.ENTRY_STATUS_SUSPENDED,
  terminated: EntryStatus.ENTRY_STATUS_REVOKED,
};

export function licenceEntry(row: LicenseRow, title: string): PublishEntryRequest {
  return {
    register: REGISTER,
    sourceService: 'licensing',
    sourceResource: licenseName(row.id),
    // 0: the outbox numbers each change of the licence in order.
    sequence: 0,
    number: row.number,
    title,
    holder: toParty({ type: row.holder_type, identifier: row.holder_identifier, name: row.holder_name }),
    status: ENTRY_STATUS[row.status],
    effectiveTime: row.issued_at,
    expireTime: undefined,
    document: row.document ? toEnvelope(row.document) : undefined,
    attributes: { kind: row.kind, sub_kinds: row.sub_kinds.join(','), application: row.application ?? '', status_reason: row.status_reason },
  };
}

/** Queues the licence as it now stands, in the transaction that changed it. */
export function licencePublisher(store: LicensingStore, outbox: Outbox, definitions: DefinitionRegistry) {
  return async (trx: Knex.Transaction, id: string): Promise<void> => {
    const row = (await store.license(id, trx))!;
    const def = definitions.resolve(row.kind, row.issued_at);
    await outbox.enqueue(trx, licenceEntry(row, `${def.title.en} (${def.title.kk})`));
  };
}
