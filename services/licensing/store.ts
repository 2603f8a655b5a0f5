// The licensing service's tables.
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
  constructor(private readonly db: ServiceDb) {}

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

  async insertLicense(row: Omit<LicenseRow, 'seq'>): Promise<void> {
    await this.db.table('licenses').insert(row);
  }
}
