// The applications, staff and appeals tables of one service's schema.
import type { Knex } from 'knex';
import type { ServiceDb } from '../db.ts';
import type { PartyKind } from '../party.ts';

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
  details: Record<string, unknown>;
  payment_reference: string;
  attachments: { id: string; sha256: string }[];
  draft_document: Buffer | null;
  result_document: EnvelopeJson | null;
  next_check_at: Date | null;
  overdue: boolean;
  created_at: Date;
  updated_at: Date;
  seq: string;
}

/** A SignedEnvelope as stored: base64 fields. */
export interface EnvelopeJson {
  payload: string;
  signature: string;
  chain: string[];
}

export interface AppealRow {
  id: string;
  application_id: string;
  recipient: 'head_of_provider' | 'quality_body';
  text: string;
  envelope: Buffer;
  fingerprint: string;
  filed_at: Date;
  due_at: Date;
  decision: string | null;
  answer: string | null;
  answered_by: string | null;
  answered_at: Date | null;
}

export type NewApplication = Omit<ApplicationRow, 'seq' | 'created_at' | 'updated_at' | 'draft_document' | 'result_document' | 'overdue'>;

/** What a transition writes back to the row. */
export interface CaseUpdate {
  status: string;
  state: string;
  next_check_at: Date | null;
  overdue: boolean;
  draft_document?: Buffer | null;
  result_document?: EnvelopeJson;
}

export interface ApplicationFilter {
  applicant?: string;
  status?: string;
  /** The assigned executor's IIN. */
  executor?: string;
  /** Rows the monitor marked overdue, or whose next check is already past (not scanned yet). */
  maybeOverdue?: Date;
}

export class CaseStore {
  constructor(readonly db: ServiceDb) {}

  async application(id: string, trx?: Knex.Transaction): Promise<ApplicationRow | undefined> {
    const q = this.db.table<ApplicationRow>('applications', trx).where({ id }).first();
    // Inside a transaction, lock it: two acts on one case must not both apply to the same state.
    return trx ? q.forUpdate() : q;
  }

  async applicationByRequestId(requestId: string, trx?: Knex.Transaction): Promise<ApplicationRow | undefined> {
    return this.db.table<ApplicationRow>('applications', trx).where({ request_id: requestId }).first();
  }

  /** Newest first; `beforeSeq` resumes a page. */
  async applications(filter: ApplicationFilter, limit: number, beforeSeq?: string): Promise<ApplicationRow[]> {
    const q = this.db.table<ApplicationRow>('applications').orderBy('seq', 'desc').limit(limit);
    if (filter.applicant !== undefined) q.where('applicant_identifier', filter.applicant);
    if (filter.status !== undefined) q.where('status', filter.status);
    if (filter.executor !== undefined) q.whereRaw("state->>'executorId' = ?", [filter.executor]);
    if (filter.maybeOverdue) {
      const now = filter.maybeOverdue;
      q.where((w) => w.where('overdue', true).orWhere('next_check_at', '<=', now));
    }
    if (beforeSeq !== undefined) q.where('seq', '<', beforeSeq);
    return q;
  }

  async insertApplication(trx: Knex.Transaction, row: NewApplication): Promise<ApplicationRow> {
    // node-postgres would send a JS array as a PostgreSQL array, not JSON.
    const [inserted] = await this.db.table('applications', trx).insert({ ...row, attachments: JSON.stringify(row.attachments) }).returning<ApplicationRow[]>('*');
    return inserted!;
  }

  async updateCase(trx: Knex.Transaction, id: string, update: CaseUpdate & { attachments?: ApplicationRow['attachments'] }): Promise<ApplicationRow> {
    const attachments = update.attachments ? { attachments: JSON.stringify(update.attachments) } : {};
    const [row] = await this.db.table('applications', trx).where({ id }).update({ ...update, ...attachments, updated_at: new Date() }).returning<ApplicationRow[]>('*');
    return row!;
  }

  /** Cases whose next deadline has come, locked so that another instance's monitor skips them. */
  async dueForCheck(trx: Knex.Transaction, now: Date, limit: number): Promise<ApplicationRow[]> {
    return this.db.table<ApplicationRow>('applications', trx).where('next_check_at', '<=', now).orderBy('next_check_at').limit(limit).forUpdate().skipLocked();
  }

  async countOverdue(): Promise<number> {
    const [row] = await this.db.table('applications').where('overdue', true).count<{ count: string }[]>('* as count');
    return Number(row?.count ?? 0);
  }

  /** The workflow roles an official holds here, by IIN. */
  async staffRoles(iin: string, trx?: Knex.Transaction): Promise<string[]> {
    const rows: { role: string }[] = await this.db.table('staff', trx).where({ iin }).select('role');
    return rows.map((r) => r.role);
  }

  async addStaff(iin: string, role: string, fullName = '', trx?: Knex.Transaction): Promise<void> {
    await this.db.table('staff', trx).insert({ iin, role, full_name: fullName }).onConflict(['iin', 'role']).merge(['full_name']);
  }

  async removeStaff(iin: string, role?: string, trx?: Knex.Transaction): Promise<number> {
    const q = this.db.table('staff', trx).where({ iin });
    if (role !== undefined) q.where({ role });
    // knex-pglite answers a bare delete with a result object, not a count: count the returned rows.
    const removed: { iin: string }[] = await q.delete().returning('iin');
    return removed.length;
  }

  async staff(trx?: Knex.Transaction): Promise<{ iin: string; role: string; full_name: string }[]> {
    return this.db.table<{ iin: string; role: string; full_name: string }>('staff', trx).orderBy(['iin', 'role']);
  }

  async appeals(applicationId: string, trx?: Knex.Transaction): Promise<AppealRow[]> {
    return this.db.table<AppealRow>('appeals', trx).where({ application_id: applicationId }).orderBy('filed_at');
  }

  async appeal(id: string, trx?: Knex.Transaction): Promise<AppealRow | undefined> {
    const q = this.db.table<AppealRow>('appeals', trx).where({ id }).first();
    return trx ? q.forUpdate() : q;
  }

  async appealByFingerprint(fingerprint: string, trx?: Knex.Transaction): Promise<AppealRow | undefined> {
    return this.db.table<AppealRow>('appeals', trx).where({ fingerprint }).first();
  }

  async insertAppeal(trx: Knex.Transaction, row: Omit<AppealRow, 'decision' | 'answer' | 'answered_by' | 'answered_at'>): Promise<AppealRow> {
    const [inserted] = await this.db.table('appeals', trx).insert(row).returning<AppealRow[]>('*');
    return inserted!;
  }

  async answerAppeal(trx: Knex.Transaction, id: string, answer: { decision: string; answer: string; answered_by: string; answered_at: Date }): Promise<AppealRow> {
    const [row] = await this.db.table('appeals', trx).where({ id }).update(answer).returning<AppealRow[]>('*');
    return row!;
  }

  /** The transitions the audit log holds for one application, oldest first. */
  async history(resource: string): Promise<{ at: Date; action: string; payload: Record<string, unknown> }[]> {
    return this.db.table<{ at: Date; action: string; payload: Record<string, unknown> }>('audit_log').where('resource', resource).orderBy('position').select('at', 'action', 'payload');
  }
}
