// Registration certificates and their status as the registry's register shows them, queued in
// trust's outbox in the transaction that issued or revoked the certificate.
import { EntryStatus, type PublishEntryRequest } from '../../gen/ruqsat/registry/v1/registry.ts';
import { parseCertificate } from '../../core-wasm/src/index.ts';
import type { Outbox } from '../kit/outbox.ts';
import { isValidIinBin, toParty } from '../kit/party.ts';
import type { Authorities } from './authorities.ts';
import { REVOCATION_REASONS } from './domain/hierarchy.ts';
import { certificateName } from './domain/names.ts';
import type { CertificateRow, TrustStore, Tx } from './store.ts';

const REGISTER = 'registers/registration-certificates';

// A BIN's fifth digit is 4, 5 or 6 (the kind of legal entity); an IIN's is the first of the birth day.
const kindOf = (identifier: string) => ('456'.includes(identifier[4]!) ? 'legal_entity' : 'individual') as 'legal_entity' | 'individual';

/**
 * Only registration certificates of people and legal entities: CA certificates belong to the
 * accreditation register, mesh identities are the mesh's own infrastructure.
 */
export function isRegistrationCertificate(row: Pick<CertificateRow, 'authority_id' | 'subject_identifier' | 'profile'>): boolean {
  return row.authority_id !== 'mesh' && !!row.subject_identifier && isValidIinBin(row.subject_identifier) && !row.profile?.endsWith('_ca');
}

export function certificateEntry(row: CertificateRow, authorities: Authorities): PublishEntryRequest {
  const cert = parseCertificate(row.certificate_der);
  // The CA's signature over the TBSCertificate: a registry answer verifies against the issuer's chain.
  const chain: Buffer[] = [];
  for (let a = authorities.get(row.authority_id); a; a = a.parentId ? authorities.get(a.parentId) : undefined) chain.push(Buffer.from(a.certificateDer));
  const name = /(?:^|, )CN=([^,]+)/.exec(row.subject)?.[1] ?? row.subject;
  const revoked = row.status === 'revoked';
  return {
    register: REGISTER,
    sourceService: 'trust',
    sourceResource: certificateName(row.authority_id, row.serial_number),
    sequence: 0,
    number: row.serial_number.toUpperCase(),
    title: `${name} (${row.profile ?? 'certificate'})`,
    holder: toParty({ type: kindOf(row.subject_identifier!), identifier: row.subject_identifier!, name }),
    status: revoked ? EntryStatus.ENTRY_STATUS_REVOKED : row.status === 'suspended' ? EntryStatus.ENTRY_STATUS_SUSPENDED : EntryStatus.ENTRY_STATUS_ACTIVE,
    effectiveTime: row.not_before,
    expireTime: row.not_after,
    document: { payload: Buffer.from(cert.tbs), signature: Buffer.from(cert.signature), certificateChain: chain },
    attributes: {
      kind: row.profile ?? '',
      authority: row.authority_id,
      subject: row.subject,
      sha256_fingerprint: row.sha256_fingerprint,
      revocation_reason: revoked && row.revocation_reason !== null ? (REVOCATION_REASONS[row.revocation_reason] ?? String(row.revocation_reason)) : '',
      revocation_time: row.revocation_time?.toISOString() ?? '',
    },
  };
}

/** Queues the certificate as it now stands; a no-op for certificates the register does not hold. */
export function certificatePublisher(store: TrustStore, outbox: Outbox, authorities: () => Authorities) {
  return async (trx: Tx, authorityId: string, serial: string): Promise<void> => {
    const row = await store.certificate(authorityId, serial, trx);
    if (!row || !isRegistrationCertificate(row)) return;
    await outbox.enqueue(trx, certificateEntry(row, authorities()));
  };
}
