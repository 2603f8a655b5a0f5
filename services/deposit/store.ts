// The deposit service's tables.
import type { Knex } from 'knex';
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
  object_id?: string | null;
  seq: string;
}

export interface ObjectRow {
  id: string;
  state: 'uploading' | 'stored';
  object_type: ObjectType;
  title: string;
  version: string;
  manifest_sha256: Buffer;
  merkle_root: Buffer | null;
  file_count: string | null;
  total_size_bytes: string | null;
  complete: boolean | null;
  conformant: boolean | null;
  findings: string | null;
  created_at: Date;
  stored_at: Date | null;
  /** Last acknowledgement; null until the first after creation. */
  active_at?: Date | null;
}

export interface ObjectFileRow {
  object_id: string;
  idx: number;
  path: string;
  declared_size: string | number;
  received_bytes: string | number;
  sha256: Buffer | null;
  /** The SHA-256 hasher's portable state after received_bytes bytes (Sha256.exportState()); null before any byte. */
  sha256_state?: Buffer | null;
  stored: boolean;
}

export interface StoredCheck {
  merkleRoot: Buffer;
  fileCount: number;
  totalSize: number;
  complete: boolean;
  conformant: boolean;
  findings: string[];
}

// PGlite returns bytea as a Uint8Array, pg as a Buffer.
const asBuffer = (b: Uint8Array | null | undefined): Buffer | null => (b ? Buffer.from(b.buffer, b.byteOffset, b.length) : null);

export class DepositStore {
  constructor(private readonly db: ServiceDb) {}

  transaction<T>(fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
    return this.db.transaction(fn);
  }

  async deposit(id: string): Promise<DepositRow | undefined> {
    return this.db.table<DepositRow>('deposits').where({ id }).first();
  }

  async depositByNumber(depositNumber: string): Promise<DepositRow | undefined> {
    const row = await this.db.table<DepositRow>('deposits').where({ deposit_number: depositNumber }).first();
    return row && { ...row, merkle_root: asBuffer(row.merkle_root)! };
  }

  /** The registry entry of a stored object, if it was deposited. */
  async depositOfObject(objectId: string, trx?: Knex.Transaction): Promise<DepositRow | undefined> {
    return this.db.table<DepositRow>('deposits', trx).where({ object_id: objectId }).first();
  }

  /** Newest first; `beforeSeq` resumes a page. */
  async deposits(depositor: string | undefined, limit: number, beforeSeq?: string): Promise<DepositRow[]> {
    const q = this.db.table<DepositRow>('deposits').orderBy('seq', 'desc').limit(limit);
    if (depositor !== undefined) q.where('depositor_identifier', depositor);
    if (beforeSeq !== undefined) q.where('seq', '<', beforeSeq);
    return q;
  }

  async insertDeposit(row: Omit<DepositRow, 'seq'>, trx?: Knex.Transaction): Promise<void> {
    await this.db.table('deposits', trx).insert(row);
  }

  /** With `trx`, read inside it (PGlite has one connection: a second transaction would wait forever). */
  async object(id: string, outer?: Knex.Transaction): Promise<{ object: ObjectRow; files: ObjectFileRow[] } | undefined> {
    const read = (fn: (trx: Knex.Transaction) => Promise<{ object: ObjectRow; files: ObjectFileRow[] } | undefined>) => (outer ? fn(outer) : this.db.transaction(fn));
    return read(async (trx) => {
      const object = await this.db.table<ObjectRow>('objects', trx).where({ id }).first();
      if (!object) return undefined;
      const files = await this.db.table<ObjectFileRow>('object_files', trx).where({ object_id: id }).orderBy('idx');
      object.manifest_sha256 = asBuffer(object.manifest_sha256)!;
      object.merkle_root = asBuffer(object.merkle_root);
      for (const f of files) {
        f.sha256 = asBuffer(f.sha256);
        f.sha256_state = asBuffer(f.sha256_state);
      }
      return { object, files };
    });
  }

  async storedObjectByRoot(merkleRoot: Buffer): Promise<ObjectRow | undefined> {
    const row = await this.db.table<ObjectRow>('objects').where({ merkle_root: merkleRoot, state: 'stored' }).orderBy('seq').first();
    return row && { ...row, merkle_root: asBuffer(row.merkle_root), manifest_sha256: asBuffer(row.manifest_sha256)! };
  }

  /** The upload's first acknowledgement creates it: object and declared files in one transaction. */
  async createObject(object: Omit<ObjectRow, 'merkle_root' | 'file_count' | 'total_size_bytes' | 'complete' | 'conformant' | 'findings' | 'stored_at'>, files: Omit<ObjectFileRow, 'object_id' | 'sha256' | 'stored'>[]): Promise<void> {
    await this.db.transaction(async (trx) => {
      await this.db.table('objects', trx).insert(object);
      for (let i = 0; i < files.length; i += 1000) {
        await this.db.table('object_files', trx).insert(files.slice(i, i + 1000).map((f) => ({ ...f, object_id: object.id })));
      }
    });
  }

  /** Records bytes acknowledged, with the file's hash state after them; false when another stream moved the file on first. */
  async acknowledge(id: string, path: string, from: number, to: number, sha256State: Uint8Array | null): Promise<boolean> {
    const n = await this.db.table('object_files').where({ object_id: id, path, received_bytes: from }).update({ received_bytes: to, sha256_state: sha256State && Buffer.from(sha256State) });
    if (Number(n) !== 1) return false;
    await this.db.table('objects').where({ id }).update({ active_at: new Date() });
    return true;
  }

  /** Uploads still in progress with no acknowledgement since `cutoff`. */
  async idleUploads(cutoff: Date): Promise<string[]> {
    const rows: { id: string }[] = await this.db.table('objects').where({ state: 'uploading' }).where(this.db.knex.raw('coalesce(active_at, created_at)'), '<', cutoff).select('id');
    return rows.map((r) => r.id);
  }

  /** Deletes an upload (its files cascade) if it is still in progress and still idle since `cutoff`. */
  async dropIdleUpload(id: string, cutoff: Date): Promise<boolean> {
    const gone = await this.db.table('objects').where({ id, state: 'uploading' }).where(this.db.knex.raw('coalesce(active_at, created_at)'), '<', cutoff).delete().returning('id');
    return gone.length === 1;
  }

  /**
   * Stored objects sealed before `cutoff` that nothing names: no application (whatever its state) by id, and no deposit
   * by id or, for a deposit registered before objects were linked, by Merkle root.
   */
  private orphans(q: Knex.QueryBuilder, cutoff: Date): Knex.QueryBuilder {
    const { knex, schema } = this.db;
    return q
      .where({ state: 'stored' })
      .where('stored_at', '<', cutoff)
      .whereNotExists(knex.select(1).from(`${schema}.applications as a`).whereRaw(`a.details->>'object' = objects.id`))
      .whereNotExists(knex.select(1).from(`${schema}.deposits as d`).whereRaw('d.object_id = objects.id or d.merkle_root = objects.merkle_root'));
  }

  async orphanObjects(cutoff: Date, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.orphans(this.db.table('objects'), cutoff).orderBy('stored_at').limit(limit).select('id');
    return rows.map((r) => r.id);
  }

  /** Deletes the object (its files cascade) if it is still an orphan: an application that names it meanwhile keeps it. */
  async dropOrphanObject(id: string, cutoff: Date): Promise<boolean> {
    const gone = await this.orphans(this.db.table('objects').where({ id }), cutoff).delete().returning('id');
    return gone.length === 1;
  }

  /**
   * The caller that stored the object, from the audit entry its sealing wrote ("BIN/system" under mutual TLS); the
   * latest, as an id is free again once the collector removed an orphan under it.
   */
  async uploaderOf(id: string, trx?: Knex.Transaction): Promise<string | undefined> {
    const row: { actor: string } | undefined = await this.db.table('audit_log', trx).where({ resource: `objects/${id}`, action: 'store_deposit_object' }).orderBy('position', 'desc').first('actor');
    return row?.actor;
  }

  async hasObject(id: string): Promise<boolean> {
    return !!(await this.db.table('objects').where({ id }).first('id'));
  }

  /** Which of these SHA-256 digests any object's file names (uploading or stored). */
  async referencedBlobs(digests: Buffer[]): Promise<Set<string>> {
    if (digests.length === 0) return new Set();
    const rows: { sha256: Uint8Array }[] = await this.db.table('object_files').whereIn('sha256', digests).distinct('sha256');
    return new Set(rows.map((r) => asBuffer(r.sha256)!.toString('hex')));
  }

  async setFileHash(id: string, path: string, sha256: Buffer): Promise<void> {
    await this.db.table('object_files').where({ object_id: id, path }).update({ sha256, sha256_state: null });
  }

  /** Seals the object: its check result, its Merkle root, which files were stored. */
  async storeObject(trx: Knex.Transaction, id: string, check: StoredCheck, at: Date): Promise<boolean> {
    const n = await this.db
      .table('objects', trx)
      .where({ id, state: 'uploading' })
      .update({
        state: 'stored',
        merkle_root: check.merkleRoot,
        file_count: check.fileCount,
        total_size_bytes: check.totalSize,
        complete: check.complete,
        conformant: check.conformant,
        findings: JSON.stringify(check.findings),
        stored_at: at,
      });
    if (Number(n) !== 1) return false;
    await this.db.table('object_files', trx).where({ object_id: id }).update({ stored: this.db.knex.raw('sha256 is not null and received_bytes = declared_size') });
    return true;
  }
}
