// The deposit service's tables.
import type { ServiceDb } from '../kit/db.ts';
import type { PartyKind } from '../kit/party.ts';

export type ObjectType = 'information_system' | 'software_product' | 'program_code' | 'documentation';

export interface DepositRow {
  id: string;
  deposit_number: string;
  object_type: ObjectType;
  title: string;
  version: string;
  depositor_type: PartyKind;
  depositor_identifier: string;
  depositor_name: string;
  merkle_root: Buffer;
  file_count: string;
  total_size_bytes: string;
  registered_at: Date;
  seq: string;
}

export class DepositStore {
  constructor(private readonly db: ServiceDb) {}

  async deposit(id: string): Promise<DepositRow | undefined> {
    return this.db.table<DepositRow>('deposits').where({ id }).first();
  }

  /** Newest first; `beforeSeq` resumes a page. */
  async deposits(depositor: string | undefined, limit: number, beforeSeq?: string): Promise<DepositRow[]> {
    const q = this.db.table<DepositRow>('deposits').orderBy('seq', 'desc').limit(limit);
    if (depositor !== undefined) q.where('depositor_identifier', depositor);
    if (beforeSeq !== undefined) q.where('seq', '<', beforeSeq);
    return q;
  }

  async insertDeposit(row: Omit<DepositRow, 'seq'>): Promise<void> {
    await this.db.table('deposits').insert(row);
  }
}
