// The licensing service's own tables: the licence register. Applications, staff and appeals are the kit's CaseStore.
import type { Knex } from 'knex';
import { CaseStore } from '../kit/cases/store.ts';
import type { EnvelopeJson } from '../kit/cases/store.ts';
import type { ServiceDb } from '../kit/db.ts';
import type { PartyKind } from '../kit/party.ts';

export type LicenseStatusName = 'active' | 'suspended' | 'terminated';

export interface LicenseRow {
  id: string;
  number: string;
  kind: string;
  sub_kinds: string[];
  holder_type: PartyKind;
  holder_identifier: string;
  holder_name: string;
  status: LicenseStatusName;
  issued_at: Date;
  signatory: string;
  document: EnvelopeJson | null;
  application: string | null;
  updated_at: Date | null;
  status_reason: string;
  seq: string;
}

export class LicensingStore extends CaseStore {
  constructor(db: ServiceDb) {
    super(db);
  }

  async license(id: string, trx?: Knex.Transaction): Promise<LicenseRow | undefined> {
    const q = this.db.table<LicenseRow>('licenses', trx).where({ id }).first();
    return trx ? q.forUpdate() : q;
  }

  /** Newest first; `beforeSeq` resumes a page. */
  async licenses(holder: string | undefined, limit: number, beforeSeq?: string): Promise<LicenseRow[]> {
    const q = this.db.table<LicenseRow>('licenses').orderBy('seq', 'desc').limit(limit);
    if (holder !== undefined) q.where('holder_identifier', holder);
    if (beforeSeq !== undefined) q.where('seq', '<', beforeSeq);
    return q;
  }

  async insertLicense(row: Omit<LicenseRow, 'seq' | 'document' | 'application' | 'updated_at' | 'status_reason'> & Partial<LicenseRow>, trx?: Knex.Transaction): Promise<void> {
    await this.db.table('licenses', trx).insert(row);
  }

  async updateLicense(trx: Knex.Transaction, id: string, changes: Partial<Omit<LicenseRow, 'id' | 'seq'>>): Promise<LicenseRow> {
    const [row] = await this.db.table('licenses', trx).where({ id }).update({ ...changes, updated_at: new Date() }).returning<LicenseRow[]>('*');
    return row!;
  }
}
