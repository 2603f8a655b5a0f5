// The registry service's tables: registers, entries, and the numbered changes to them.
import type { Knex } from 'knex';
import type { ServiceDb } from '../kit/db.ts';
import type { PartyKind } from '../kit/party.ts';
import type { EntryStatusName, PublishInput } from './domain/publish.ts';
import { entryIdOf } from './domain/publish.ts';
import { tsvectorOf } from './domain/search-text.ts';

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
  status: EntryStatusName;
  source_resource: string;
  source_service: string;
  source_sequence: string | number;
  effective_at: Date | null;
  expire_at: Date | null;
  document: Buffer | null;
  attributes: Record<string, string>;
  kind: string;
  created_at: Date;
  updated_at: Date;
  seq: string;
}

export interface ChangeRow {
  seq: string;
  register_id: string;
  entry_id: string;
  created: boolean;
  at: Date;
  entry: Buffer;
}

/** A search, as columns: every set part must hold (AND). */
export interface EntryQuery {
  registerId?: string;
  holder?: string;
  number?: string;
  kind?: string;
  status?: EntryStatusName;
  /** A tsquery literal (search-text.ts). */
  tsquery?: string;
  /** Further conditions from the filter string, as knex where-clauses. */
  where: ((q: Knex.QueryBuilder) => void)[];
}

// Everything but the tsvector, which no reader needs.
const ENTRY_COLUMNS = [
  'register_id', 'id', 'number', 'title', 'holder_type', 'holder_identifier', 'holder_name', 'status', 'source_resource', 'source_service',
  'source_sequence', 'effective_at', 'expire_at', 'document', 'attributes', 'kind', 'created_at', 'updated_at', 'seq',
];

// Newest entries a full-text search walks through before it asks the GIN index for the rest.
const WINDOW = 10_000;

export type PublishOutcome = { row: EntryRow; change?: { seq: string; created: boolean } };

export class RegistryStore {
  constructor(
    private readonly db: ServiceDb,
    /** Newest entries a full-text search walks through before it asks the GIN index for the rest. */
    private readonly window = WINDOW,
  ) {}

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
    return this.db.table<EntryRow>('entries').select(ENTRY_COLUMNS).where({ register_id: registerId, id }).first();
  }

  /** Newest first; `registerId` undefined lists every register's. */
  async entries(registerId: string | undefined, limit: number, beforeSeq?: string): Promise<EntryRow[]> {
    const q = this.db.table<EntryRow>('entries').select(ENTRY_COLUMNS).orderBy('seq', 'desc').limit(limit);
    if (registerId !== undefined) q.where('register_id', registerId);
    if (beforeSeq !== undefined) q.where('seq', '<', beforeSeq);
    return q;
  }

  /**
   * Newest first, keyset-paged on seq. A full-text search walks down seq only through the newest
   * WINDOW entries; what it still lacks comes from the GIN index (bitmap scans, sorted): a walk over
   * the whole table for words rare together, which the planner picks when it overestimates the
   * matches, would read every row; a bitmap of a common word would cost a tenth of the index.
   */
  async search(query: EntryQuery, limit: number, beforeSeq?: string): Promise<EntryRow[]> {
    if (query.tsquery === undefined) return this.filtered(query, beforeSeq).select(ENTRY_COLUMNS).orderBy('seq', 'desc').limit(limit);
    const top = beforeSeq !== undefined ? BigInt(beforeSeq) : BigInt(((await this.db.table('entries').max('seq as max').first()) as { max: string | null }).max ?? 0) + 1n;
    const floor = top - BigInt(this.window);
    const recent = (await this.filtered(query, String(top)).where('seq', '>=', String(floor)).select(ENTRY_COLUMNS).orderBy('seq', 'desc').limit(limit)) as EntryRow[];
    if (recent.length >= limit || floor <= 1n) return recent;
    const older = await this.db.transaction(async (trx) => {
      for (const setting of ['enable_seqscan', 'enable_indexscan', 'enable_indexonlyscan']) await trx.raw(`set local ${setting} = off`);
      return (await this.filtered(query, String(floor), trx).select(ENTRY_COLUMNS).orderBy('seq', 'desc').limit(limit - recent.length)) as EntryRow[];
    });
    return [...recent, ...older];
  }

  private filtered(query: EntryQuery, beforeSeq?: string, trx?: Knex.Transaction): Knex.QueryBuilder {
    const q = this.db.table('entries', trx);
    if (query.registerId !== undefined) q.where('register_id', query.registerId);
    if (query.holder !== undefined) q.where('holder_identifier', query.holder);
    if (query.number !== undefined) q.where('number', query.number);
    if (query.kind !== undefined) q.where('kind', query.kind);
    if (query.status !== undefined) q.where('status', query.status);
    if (query.tsquery !== undefined) q.whereRaw('search @@ ?::tsquery', [query.tsquery]);
    for (const w of query.where) q.where(w);
    if (beforeSeq !== undefined) q.where('seq', '<', beforeSeq);
    return q;
  }

  /** For tests and fixtures: an entry written directly, as a publisher's would be. */
  async insertEntry(row: Pick<EntryRow, 'register_id' | 'id' | 'number' | 'title' | 'holder_type' | 'holder_identifier' | 'holder_name' | 'status' | 'source_resource'>): Promise<void> {
    await this.db.table('entries').insert({ ...row, search: this.db.knex.raw('?::tsvector', [tsvectorOf(row.number, row.title, row.holder_name)]) });
  }

  /**
   * Writes a published entry and its numbered change in one transaction, unless the entry already
   * shows this or a later version of its source: then nothing changes and the current row returns.
   * `encode` makes the change's snapshot from the written row. With `outer`, it writes inside that
   * transaction (the registry's own registrations: the entry commits with the signed certificate).
   */
  async publish(input: PublishInput, document: Buffer | null, encode: (row: EntryRow) => Buffer, outer?: Knex.Transaction): Promise<PublishOutcome> {
    const id = entryIdOf(input.sourceResource);
    const key = { register_id: input.registerId, id };
    const columns = {
      number: input.number,
      title: input.title,
      holder_type: input.holder.type,
      holder_identifier: input.holder.identifier,
      holder_name: input.holder.name,
      status: input.status,
      source_resource: input.sourceResource,
      source_service: input.sourceService,
      source_sequence: input.sequence,
      effective_at: input.effectiveTime,
      expire_at: input.expireTime,
      document,
      attributes: JSON.stringify(input.attributes),
      kind: input.attributes.kind ?? '',
      search: this.db.knex.raw('?::tsvector', [tsvectorOf(input.number, input.title, input.holder.name)]),
    };
    const write = async (trx: Knex.Transaction): Promise<PublishOutcome> => {
      const inserted = (await this.db.table('entries', trx).insert({ ...key, ...columns }).onConflict(['register_id', 'id']).ignore().returning(ENTRY_COLUMNS)) as EntryRow[];
      let row = inserted[0];
      const created = row !== undefined;
      if (!row) {
        const current = (await this.db.table<EntryRow>('entries', trx).select(ENTRY_COLUMNS).where(key).forUpdate().first()) as EntryRow;
        if (Number(current.source_sequence) >= input.sequence) return { row: current };
        [row] = (await this.db.table('entries', trx).where(key).update({ ...columns, updated_at: this.db.knex.fn.now() }).returning(ENTRY_COLUMNS)) as EntryRow[];
      }
      // Last in the transaction: the head's row lock is held until commit, and briefly.
      const [head] = (await this.db.table('change_head', trx).increment('seq', 1).returning('seq')) as { seq: string }[];
      await this.db.table('changes', trx).insert({ seq: head!.seq, register_id: key.register_id, entry_id: id, created, at: row!.updated_at, entry: encode(row!) });
      return { row: row!, change: { seq: String(head!.seq), created } };
    };
    return outer ? write(outer) : this.db.transaction(write);
  }

  /** Changes after `afterSeq`, oldest first; of one register, or of all when `registerId` is undefined. */
  async changesAfter(afterSeq: string, registerId: string | undefined, limit: number): Promise<ChangeRow[]> {
    const q = this.db.table<ChangeRow>('changes').where('seq', '>', afterSeq).orderBy('seq', 'asc').limit(limit);
    if (registerId !== undefined) q.where('register_id', registerId);
    return q;
  }
}
