// The registry service's tables: registers, entries, and the numbered changes to them.
import type { Knex } from 'knex';
import type { ServiceDb } from '../kit/db.ts';
import type { PartyKind } from '../kit/party.ts';
import type { EntryStatusName, PublishInput } from './domain/publish.ts';
import { entryIdOf } from './domain/publish.ts';
import { distinctWords, tsqueryOfCompletions, tsvectorOf, type Completion } from './domain/search-text.ts';

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
  /** Full-text query words (search-text.ts), each matched as a word prefix. */
  words?: string[];
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
// A query word with more completions than this (one or two letters) is searched as a prefix.
const MAX_COMPLETIONS = 64;

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
   * Newest first, keyset-paged on seq. Query words become the exact indexed words they complete
   * to (completions). The search then reads down seq in up to three spans, so that it never sorts
   * every match of common words, nor walks row by row past rare ones: the newest WINDOW entries
   * (as the planner likes); then, if that window held some matches but too few, a span sized from
   * their density to hold the rest twice over; then everything below. The lower spans are bitmap
   * scans of the GIN index (and of seq's index), sorted: a walk down seq for words rare together,
   * which the planner picks when it overestimates the matches, would read every row.
   */
  async search(query: EntryQuery, limit: number, beforeSeq?: string): Promise<EntryRow[]> {
    if (query.words === undefined) return this.filtered(query, undefined, beforeSeq).select(ENTRY_COLUMNS).orderBy('seq', 'desc').limit(limit);
    const tsquery = tsqueryOfCompletions(await this.completions(query.words));
    if (tsquery === undefined) return [];
    const top = beforeSeq !== undefined ? BigInt(beforeSeq) : BigInt(((await this.db.table('entries').max('seq as max').first()) as { max: string | null }).max ?? 0) + 1n;
    let upper = top - BigInt(this.window);
    const rows = (await this.filtered(query, tsquery, String(top)).where('seq', '>=', String(upper)).select(ENTRY_COLUMNS).orderBy('seq', 'desc').limit(limit)) as EntryRow[];
    if (rows.length > 0 && rows.length < limit && upper > 1n) {
      const lower = upper - BigInt(Math.ceil((2 * (limit - rows.length) * this.window) / rows.length));
      if (lower > 1n) {
        rows.push(...(await this.bitmapSearch(query, tsquery, upper, lower, limit - rows.length)));
        upper = lower;
      }
    }
    if (rows.length < limit && upper > 1n) rows.push(...(await this.bitmapSearch(query, tsquery, upper, undefined, limit - rows.length)));
    return rows;
  }

  /** Matches with seq in [lower, upper), newest first, through bitmap scans only. */
  private async bitmapSearch(query: EntryQuery, tsquery: string, upper: bigint, lower: bigint | undefined, limit: number): Promise<EntryRow[]> {
    return this.db.transaction(async (trx) => {
      await trx.raw("select set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true), set_config('enable_indexonlyscan', 'off', true)");
      const q = this.filtered(query, tsquery, String(upper), trx);
      if (lower !== undefined) q.where('seq', '>=', String(lower));
      return (await q.select(ENTRY_COLUMNS).orderBy('seq', 'desc').limit(limit)) as EntryRow[];
    });
  }

  /**
   * The indexed words each prefix completes to: one short range of the search_words index each
   * (byte order keeps a prefix's words together); undefined for a prefix with too many.
   */
  async completions(prefixes: string[]): Promise<Completion[]> {
    if (prefixes.length === 0) return [];
    const result = await this.db.knex.raw<{ rows: { i: number; word: string }[] }>(
      'select p.i::int as i, w.word from unnest(?::text[]) with ordinality as p(prefix, i) cross join lateral (select word from ?? where word >= p.prefix collate "C" order by word limit ?) w',
      [prefixes, `${this.db.schema}.search_words`, MAX_COMPLETIONS + 1],
    );
    return prefixes.map((prefix, k) => {
      const words = result.rows.filter((r) => Number(r.i) === k + 1 && r.word.startsWith(prefix)).map((r) => r.word);
      return { prefix, words: words.length > MAX_COMPLETIONS ? undefined : words };
    });
  }

  /** Adds an entry's words to the search words, in byte order so two writers never wait on each other in a cycle. */
  private async addWords(trx: Knex.Transaction | undefined, ...texts: string[]): Promise<void> {
    const words = distinctWords(...texts).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    if (words.length === 0) return;
    await (trx ?? this.db.knex).raw('insert into ?? (word) select unnest(?::text[]) on conflict do nothing', [`${this.db.schema}.search_words`, words]);
  }

  private filtered(query: EntryQuery, tsquery: string | undefined, beforeSeq?: string, trx?: Knex.Transaction): Knex.QueryBuilder {
    const q = this.db.table('entries', trx);
    if (query.registerId !== undefined) q.where('register_id', query.registerId);
    if (query.holder !== undefined) q.where('holder_identifier', query.holder);
    if (query.number !== undefined) q.where('number', query.number);
    if (query.kind !== undefined) q.where('kind', query.kind);
    if (query.status !== undefined) q.where('status', query.status);
    if (tsquery !== undefined) q.whereRaw('search @@ ?::tsquery', [tsquery]);
    for (const w of query.where) q.where(w);
    if (beforeSeq !== undefined) q.where('seq', '<', beforeSeq);
    return q;
  }

  /** For tests and fixtures: an entry written directly, as a publisher's would be. */
  async insertEntry(row: Pick<EntryRow, 'register_id' | 'id' | 'number' | 'title' | 'holder_type' | 'holder_identifier' | 'holder_name' | 'status' | 'source_resource'>): Promise<void> {
    await this.db.transaction(async (trx) => {
      await this.db.table('entries', trx).insert({ ...row, search: this.db.knex.raw('?::tsvector', [tsvectorOf(row.number, row.title, row.holder_name)]) });
      await this.addWords(trx, row.number, row.title, row.holder_name);
    });
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
      await this.addWords(trx, input.number, input.title, input.holder.name);
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
