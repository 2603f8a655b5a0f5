// The register of certificates of accreditation (para 17) in the registry service, fed through licensing's outbox.
import type { Knex } from 'knex';
import { EntryStatus, type PublishEntryRequest } from '../../../gen/ruqsat/registry/v1/registry.ts';
import { toEnvelope } from '../../kit/cases/view.ts';
import type { Outbox } from '../../kit/outbox.ts';
import { toParty } from '../../kit/party.ts';
import type { AccreditationRow, AccreditationStatusName, AccreditationStore } from './store.ts';

export const ACCREDITATION_REGISTER = 'registers/accreditation-certificates';
export const accreditationName = (id: string) => `accreditations/${id}`;

// Pending the Root CA's registration the certificate is signed but the centre cannot issue yet: not in force.
const ENTRY_STATUS: Record<AccreditationStatusName, EntryStatus> = {
  pending_root_registration: EntryStatus.ENTRY_STATUS_SUSPENDED,
  active: EntryStatus.ENTRY_STATUS_ACTIVE,
  revoked: EntryStatus.ENTRY_STATUS_REVOKED,
  expired: EntryStatus.ENTRY_STATUS_EXPIRED,
};

export function accreditationEntry(row: AccreditationRow): PublishEntryRequest {
  return {
    register: ACCREDITATION_REGISTER,
    sourceService: 'licensing',
    sourceResource: accreditationName(row.id),
    sequence: 0,
    number: row.number,
    title: `Certificate of accreditation of a certifying centre: ${row.ca_name}`,
    holder: toParty({ type: 'legal_entity', identifier: row.holder_identifier, name: row.holder_name }),
    status: ENTRY_STATUS[row.status],
    effectiveTime: row.issued_at,
    expireTime: row.expires_at,
    document: toEnvelope(row.document),
    attributes: {
      ca_name: row.ca_name,
      status: row.status,
      act_sha256: row.act_sha256,
      decision: row.decision_reference,
      application: row.application,
      authority: row.authority,
      root_certificate_serial: row.root_serial,
      root_certificate_sha256: row.root_sha256,
      policies: row.policies.join(','),
      crl_distribution_points: row.crl_distribution_points.join(' '),
      revocation_ground: row.revocation_ground,
    },
  };
}

/** Queues the certificate as it now stands, in the transaction that changed it. */
export function accreditationPublisher(store: AccreditationStore, outbox: Outbox) {
  return async (trx: Knex.Transaction, id: string): Promise<void> => {
    await outbox.enqueue(trx, accreditationEntry((await store.accreditation(id, trx))!));
  };
}
