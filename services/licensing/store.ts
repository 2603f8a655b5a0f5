// The licensing service's tables.
import type { Knex } from 'knex';
import type { ServiceDb } from '../kit/db.ts';
import type { PartyKind } from '../kit/party.ts';

export interface LicenseRow {
  id: string;
  number: string;
  kind: string;
  sub_kinds: string[];
  holder_type: PartyKind;
  holder_identifier: string;
  holder_name: string;
  status: 'active' | 'suspended' | 'terminated';
  issued_at: Date;
  signatory: string;
  seq: string;
}

export class LicensingStore {
  constructor(readonly db: ServiceDb) {}

  async license(id: string): Promise<LicenseRow | undefined> {
    return this.db.table<LicenseRow>('licenses').where({ id }).first();
  }

  /** Newest first; `beforeSeq` resumes a page. */
  async licenses(holder: string | undefined, limit: number, beforeSeq?: string): Promise<LicenseRow[]> {
    const q = this.db.table<LicenseRow>('licenses').orderBy('seq', 'desc').limit(limit);
    if (holder !== undefined) q.where('holder_identifier', holder);
    if (beforeSeq !== undefined) q.where('seq', '<', beforeSeq);
    return q;
  }

  async insertLicense(row: Omit<LicenseRow, 'seq'>, trx?: Knex.Transaction): Promise<void> {
    await this.db.table('licenses', trx).insert(row);
  }

  async application(id: string, trx?: Knex.Transaction): Promise<ApplicationRow | undefined> {
    const q = this.db.table<ApplicationRow>('applications', trx).where({ id }).first();
    // Inside a transaction, lock it: two acts on one case must not both apply to the same state.
    return trx ? q.forUpdate() : q;
  }

  async applicationByRequestId(requestId: string, trx?: Knex.Transaction): Promise<ApplicationRow | undefined> {
    return this.db.table<ApplicationRow>('applications', trx).where({ request_id: requestId }).first();
  }

  /** Newest first; `beforeSeq` resumes a page. */
  async applications(applicant: string | undefined, limit: number, beforeSeq?: string, status?: string): Promise<ApplicationRow[]> {
    const q = this.db.table<ApplicationRow>('applications').orderBy('seq', 'desc').limit(limit);
    if (applicant !== undefined) q.where('applicant_identifier', applicant);
    if (status !== undefined) q.where('status', status);
    if (beforeSeq !== undefined) q.where('seq', '<', beforeSeq);
    return q;
  }

  async insertApplication(trx: Knex.Transaction, row: Omit<ApplicationRow, 'seq' | 'created_at' | 'updated_at'>): Promise<ApplicationRow> {
    const [inserted] = await this.db.table('applications', trx).insert(row).returning<ApplicationRow[]>('*');
    return inserted!;
  }

  /** The workflow roles an official holds here, by IIN. */
  async staffRoles(iin: string): Promise<string[]> {
    const rows: { role: string }[] = await this.db.table('staff').where({ iin }).select('role');
    return rows.map((r) => r.role);
  }

  async addStaff(iin: string, role: string, fullName = ''): Promise<void> {
    await this.db.table('staff').insert({ iin, role, full_name: fullName }).onConflict(['iin', 'role']).ignore();
  }

  async updateCase(trx: Knex.Transaction, id: string, status: string, state: string): Promise<ApplicationRow> {
    const [row] = await this.db.table('applications', trx).where({ id }).update({ status, state, updated_at: new Date() }).returning<ApplicationRow[]>('*');
    return row!;
  }
}

export interface ApplicationRow {
  id: string;
  request_id: string;
  request_hash: string;
  service: string;
  definition_version: number;
  applicant_type: PartyKind;
  applicant_identifier: string;
  applicant_name: string;
  status: string;
  state: object;
  envelope: Buffer;
  created_at: Date;
  updated_at: Date;
  seq: string;
}
