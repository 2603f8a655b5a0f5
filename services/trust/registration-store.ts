// Tables of the registration side: applications (өтініштер), RA operators, the reference registry.
import type { ServiceDb } from '../kit/db.ts';
import type { PartyKind } from '../kit/party.ts';
import type { Tx } from './store.ts';

export type ApplicationStatus = 'registered' | 'issued' | 'refused';

export interface ApplicationRow {
  id: string;
  number: string;
  request_id: string;
  request_hash: string;
  status: ApplicationStatus;
  applicant_type: PartyKind;
  applicant_identifier: string;
  representative_iin: string | null;
  email: string;
  region: string;
  key_storage: string;
  profile: string;
  csr_der: Buffer;
  csr_sha256: string;
  certificate_authority: string | null;
  certificate_serial: string | null;
  refusal_reason: string | null;
  created_at: Date;
  updated_at: Date;
}

export type OperatorStatus = 'active' | 'suspended' | 'dismissed';

export interface OperatorRow {
  id: string;
  full_name: string;
  iin: string;
  authority_id: string;
  certificate_serial: string;
  status: OperatorStatus;
  letter_reference: string;
  created_at: Date;
}

/** A person or organization as the state databases (ЖТ МДҚ / ЗТ МДҚ) know them. */
export interface ReferencePartyRow {
  identifier: string;
  type: PartyKind;
  name: string;
  surname: string | null;
  given_name: string | null;
  patronymic: string | null;
}

export class RegistrationStore {
  constructor(private readonly db: ServiceDb) {}

  async application(id: string, trx?: Tx): Promise<ApplicationRow | undefined> {
    const q = this.db.table<ApplicationRow>('certificate_applications', trx).where({ id }).first();
    // Inside a transaction, lock it: two confirmations of one application must not both issue.
    return trx ? q.forUpdate() : q;
  }

  async applicationByRequestId(requestId: string): Promise<ApplicationRow | undefined> {
    return this.db.table<ApplicationRow>('certificate_applications').where({ request_id: requestId }).first();
  }

  /** Inserts unless the request_id exists; returns the row that holds it either way, and whether it is new. */
  async insertApplication(row: Omit<ApplicationRow, 'created_at' | 'updated_at' | 'number'>, numberPrefix: string, trx: Tx): Promise<{ row: ApplicationRow; created: boolean }> {
    const existing = await this.db.table<ApplicationRow>('certificate_applications', trx).where({ request_id: row.request_id }).first();
    if (existing) return { row: existing, created: false };
    // A sequence, so concurrent submits never draw the same number.
    const number = trx.raw(`? || lpad(nextval(?)::text, 8, '0')`, [`${numberPrefix}-`, `${this.db.schema}.application_numbers`]);
    const [inserted] = await this.db.table('certificate_applications', trx).insert({ ...row, number }).returning<ApplicationRow[]>('*');
    return { row: inserted!, created: true };
  }

  async updateApplication(trx: Tx, id: string, changes: Partial<ApplicationRow>): Promise<ApplicationRow> {
    const [row] = await this.db
      .table('certificate_applications', trx)
      .where({ id })
      .update({ ...changes, updated_at: new Date() })
      .returning<ApplicationRow[]>('*');
    return row!;
  }

  async operatorByCertificate(serial: string, trx?: Tx): Promise<OperatorRow | undefined> {
    return this.db.table<OperatorRow>('operators', trx).where({ certificate_serial: serial }).first();
  }

  async operator(id: string, trx?: Tx): Promise<OperatorRow | undefined> {
    return this.db.table<OperatorRow>('operators', trx).where({ id }).first();
  }

  async insertOperator(row: Omit<OperatorRow, 'created_at'>, trx?: Tx): Promise<void> {
    await this.db.table('operators', trx).insert(row);
  }

  async setOperatorStatus(id: string, status: OperatorStatus, trx?: Tx): Promise<void> {
    await this.db.table('operators', trx).where({ id }).update({ status });
  }

  async referenceParty(identifier: string): Promise<ReferencePartyRow | undefined> {
    return this.db.table<ReferencePartyRow>('reference_parties').where({ identifier }).first();
  }

  async hasReferenceParties(): Promise<boolean> {
    return (await this.db.table('reference_parties').first()) !== undefined;
  }

  /** Loads reference records, leaving ones already there as they are. */
  async loadReferenceParties(rows: ReferencePartyRow[]): Promise<void> {
    if (rows.length > 0) await this.db.table<ReferencePartyRow>('reference_parties').insert(rows).onConflict('identifier').ignore();
  }
}
