// The accreditation tables of the licensing schema: the commission, inspection acts, members' votes, the register.
import type { Knex } from 'knex';
import type { EnvelopeJson } from '../../kit/cases/store.ts';
import type { ServiceDb } from '../../kit/db.ts';

export type AccreditationStatusName = 'pending_root_registration' | 'active' | 'revoked' | 'expired';

export interface CommissionMemberRow {
  iin: string;
  body: string;
  position: string;
  full_name: string;
}

/** An official's signed act on a revocation case (procedures B and C). */
export interface RevocationActRow {
  application_id: string;
  step: string;
  act: string;
  exit: string;
  envelope: EnvelopeJson;
  at: Date;
}

export interface InspectionRow {
  application_id: string;
  document: Buffer;
  sha256: string;
  ca_certificate: Buffer;
  user_certificate: Buffer;
  crl: Buffer;
}

export interface AccreditationRow {
  id: string;
  number: string;
  status: AccreditationStatusName;
  holder_identifier: string;
  holder_name: string;
  ca_name: string;
  issued_at: Date;
  expires_at: Date;
  act_sha256: string;
  decision_reference: string;
  application: string;
  authority: string;
  csr: string;
  policies: string[];
  crl_distribution_points: string[];
  document: EnvelopeJson;
  signatory: string;
  root_serial: string;
  root_sha256: string;
  root_chain_check: string;
  revocation_ground: string;
  root_revocation_reason: number;
  root_revoked_at: Date | null;
  updated_at: Date;
  seq: string;
}

export class AccreditationStore {
  constructor(readonly db: ServiceDb) {}

  async commission(trx?: Knex.Transaction): Promise<CommissionMemberRow[]> {
    return this.db.table<CommissionMemberRow>('commission_members', trx).orderBy('iin');
  }

  async addCommissionMember(row: CommissionMemberRow, trx?: Knex.Transaction): Promise<void> {
    await this.db.table('commission_members', trx).insert({ ...row }).onConflict('iin').merge();
  }

  async removeCommissionMember(iin: string, trx?: Knex.Transaction): Promise<boolean> {
    // knex-pglite answers a bare delete with a result object: count the returned rows.
    const removed: { iin: string }[] = await this.db.table('commission_members', trx).where({ iin }).delete().returning('iin');
    return removed.length > 0;
  }

  async inspection(applicationId: string, trx?: Knex.Transaction): Promise<InspectionRow | undefined> {
    return this.db.table<InspectionRow>('accreditation_inspections', trx).where({ application_id: applicationId }).first();
  }

  async insertInspection(trx: Knex.Transaction, row: InspectionRow): Promise<void> {
    await this.db.table('accreditation_inspections', trx).insert({ ...row });
  }

  async insertVote(trx: Knex.Transaction, row: { application_id: string; step: string; iin: string; body: string; signs: boolean; reasons: string[]; envelope: EnvelopeJson; at: Date }): Promise<void> {
    await this.db.table('accreditation_votes', trx).insert({ ...row, reasons: JSON.stringify(row.reasons), envelope: JSON.stringify(row.envelope) });
  }

  async votes(applicationId: string, trx?: Knex.Transaction): Promise<{ step: string; iin: string; body: string; signs: boolean; reasons: string[] }[]> {
    return this.db.table('accreditation_votes', trx).where({ application_id: applicationId }).orderBy('at').select('step', 'iin', 'body', 'signs', 'reasons');
  }

  async insertRevocationAct(trx: Knex.Transaction, row: RevocationActRow): Promise<void> {
    await this.db.table('revocation_acts', trx).insert({ ...row, envelope: JSON.stringify(row.envelope) });
  }

  async revocationActs(applicationId: string): Promise<RevocationActRow[]> {
    return this.db.table('revocation_acts', undefined).where({ application_id: applicationId }).orderBy('seq').select('application_id', 'step', 'act', 'exit', 'envelope', 'at');
  }

  async accreditation(id: string, trx?: Knex.Transaction): Promise<AccreditationRow | undefined> {
    const q = this.db.table<AccreditationRow>('accreditations', trx).where({ id }).first();
    return trx ? q.forUpdate() : q;
  }

  /** Newest first; `beforeSeq` resumes a page. */
  async accreditations(holder: string | undefined, limit: number, beforeSeq?: string): Promise<AccreditationRow[]> {
    const q = this.db.table<AccreditationRow>('accreditations').orderBy('seq', 'desc').limit(limit);
    if (holder !== undefined) q.where('holder_identifier', holder);
    if (beforeSeq !== undefined) q.where('seq', '<', beforeSeq);
    return q;
  }

  async insertAccreditation(trx: Knex.Transaction, row: Omit<AccreditationRow, 'seq' | 'root_serial' | 'root_sha256' | 'root_chain_check' | 'revocation_ground' | 'root_revocation_reason' | 'root_revoked_at' | 'updated_at'>): Promise<void> {
    await this.db.table('accreditations', trx).insert({
      ...row,
      policies: JSON.stringify(row.policies),
      crl_distribution_points: JSON.stringify(row.crl_distribution_points),
      document: JSON.stringify(row.document),
      updated_at: new Date(),
    });
  }

  async updateAccreditation(trx: Knex.Transaction, id: string, changes: Partial<Pick<AccreditationRow, 'status' | 'root_serial' | 'root_sha256' | 'root_chain_check' | 'revocation_ground' | 'root_revocation_reason' | 'root_revoked_at'>>): Promise<AccreditationRow> {
    const [row] = await this.db.table('accreditations', trx).where({ id }).update({ ...changes, updated_at: new Date() }).returning<AccreditationRow[]>('*');
    return row!;
  }

  /** Certificates the Root CA still has to act on: registration pending, or revoked/expired but not yet revoked there. */
  async awaitingRoot(): Promise<AccreditationRow[]> {
    return this.db.table<AccreditationRow>('accreditations').where('status', 'pending_root_registration').orWhere((w) => w.whereIn('status', ['revoked', 'expired']).whereNull('root_revoked_at').whereNot('root_serial', '')).orderBy('seq');
  }

  /** Active certificates whose 3 years have run out by `now`. */
  async expiredBy(now: Date): Promise<AccreditationRow[]> {
    return this.db.table<AccreditationRow>('accreditations').whereIn('status', ['active', 'pending_root_registration']).where('expires_at', '<=', now).orderBy('seq');
  }
}
