// The registry service's tables.
import type { ServiceDb } from '../kit/db.ts';
import type { PartyKind } from '../kit/party.ts';

export interface RegisterRow {
  id: string;
  title: string;
  title_kk: string;
  source_service: string;
  legal_basis: string;
  seq: string;
}

export interface EntryRow {
  register_id: string;
  id: string;
  number: string;
  title: string;
  holder_type: PartyKind;
  holder_identifier: string;
  holder_name: string;
  status: 'active' | 'suspended' | 'revoked' | 'expired';
  source_resource: string;
  created_at: Date;
  updated_at: Date;
  seq: string;
}

export class RegistryStore {
  constructor(private readonly db: ServiceDb) {}

  async register(id: string): Promise<RegisterRow | undefined> {
    return this.db.table<RegisterRow>('registers').where({ id }).first();
  }

  /** In the order the legal acts list them; `afterSeq` resumes a page. */
  async registers(limit: number, afterSeq?: string): Promise<RegisterRow[]> {
    const q = this.db.table<RegisterRow>('registers').orderBy('seq', 'asc').limit(limit);
    if (afterSeq !== undefined) q.where('seq', '>', afterSeq);
    return q;
  }

  async entry(registerId: string, id: string): Promise<EntryRow | undefined> {
    return this.db.table<EntryRow>('entries').where({ register_id: registerId, id }).first();
  }

  /** Newest first; `registerId` undefined lists every register's. */
  async entries(registerId: string | undefined, limit: number, beforeSeq?: string): Promise<EntryRow[]> {
    const q = this.db.table<EntryRow>('entries').orderBy('seq', 'desc').limit(limit);
    if (registerId !== undefined) q.where('register_id', registerId);
    if (beforeSeq !== undefined) q.where('seq', '<', beforeSeq);
    return q;
  }

  async insertEntry(row: Omit<EntryRow, 'seq' | 'created_at' | 'updated_at'>): Promise<void> {
    await this.db.table('entries').insert(row);
  }
}
