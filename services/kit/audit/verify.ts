// Recomputes a service's audit chain in position order, a batch at a time, and finds the first broken link.
import type { ServiceDb } from '../db.ts';
import { entryHashes, GENESIS_HASH, type JsonValue } from './canonical.ts';

export type ChainBreak = 'HASH_MISMATCH' | 'PREV_MISMATCH' | 'SEQ_GAP';
export type ChainResult = { ok: true; entries: number } | { ok: false; brokenAt: number; reason: ChainBreak };

export interface VerifyOptions {
  /** First position to check (default 1); the entry before it anchors the chain. */
  from?: number;
  /** Rows read per query (default 1000): memory stays bounded by it, whatever the log's size. */
  batch?: number;
}

interface Row {
  position: string | number;
  at: Date;
  actor: string;
  action: string;
  resource: string;
  payload: JsonValue;
  prev_hash: string;
  hash: string;
}

/**
 * `brokenAt` is the entry's position: for SEQ_GAP, the first position that is missing. `entries` counts those checked.
 * It queries outside any transaction: on PGlite, never call it while one is open.
 */
export async function verifyChain(db: ServiceDb, { from = 1, batch = 1000 }: VerifyOptions = {}): Promise<ChainResult> {
  if (!Number.isSafeInteger(from) || from < 1) throw new RangeError('from must be a positive integer');
  if (!Number.isSafeInteger(batch) || batch < 1) throw new RangeError('batch must be a positive integer');
  // The head is read first: entries committed after it are left for the next run, not mistaken for breaks.
  const head = await db.table<{ position: string | number; hash: string }>('audit_head').first('position', 'hash');
  if (!head) throw new Error(`${db.schema}.audit_head has no row`);
  const last = Number(head.position);

  let prevHash = GENESIS_HASH;
  if (from > 1 && from <= last) {
    const anchor = await db.table<{ hash: string }>('audit_log').where('position', from - 1).first('hash');
    if (!anchor) return { ok: false, brokenAt: from - 1, reason: 'SEQ_GAP' };
    prevHash = anchor.hash;
  }
  let expected = from;
  while (expected <= last) {
    const rows: Row[] = await db
      .table<Row>('audit_log')
      .whereBetween('position', [expected, last])
      .orderBy('position')
      .limit(batch)
      .select('position', 'at', 'actor', 'action', 'resource', 'payload', 'prev_hash', 'hash');
    // The head says entries up to `last` exist: missing ones at the end were deleted.
    if (rows.length === 0) return { ok: false, brokenAt: expected, reason: 'SEQ_GAP' };
    const computed = entryHashes(
      rows.map((r) => ({ position: Number(r.position), prevHash: r.prev_hash, at: r.at, actor: r.actor, action: r.action, resource: r.resource, payload: r.payload })),
    );
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      if (Number(row.position) !== expected) return { ok: false, brokenAt: expected, reason: 'SEQ_GAP' };
      if (row.prev_hash !== prevHash) return { ok: false, brokenAt: expected, reason: 'PREV_MISMATCH' };
      if (row.hash !== computed[i]) return { ok: false, brokenAt: expected, reason: 'HASH_MISMATCH' };
      prevHash = row.hash;
      expected++;
    }
  }
  // A last entry rewritten with a fresh hash still disagrees with the head.
  if (from <= last && prevHash !== head.hash) return { ok: false, brokenAt: last, reason: 'HASH_MISMATCH' };
  return { ok: true, entries: Math.max(0, last - from + 1) };
}
