// UploadObject: a manifest, then chunks written to staged files. Bytes count as acknowledged once fsynced
// and recorded — every `ackBytes`, at each file's end and at the stream's end, whichever way it ends — so a
// dropped stream or a restart resumes after the last acknowledged byte. Acknowledging runs behind the stream
// (one at a time, on a snapshot of what was written): chunks keep arriving, being written and hashed while
// the previous fsync and its record complete, and nothing counts as acknowledged before both have.
import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { hex, sha256Batch, Sha256Thread, type ThreadHasher } from '../../core-wasm/src/index.ts';
import type { AuditLog } from '../kit/audit.ts';
import { invalidArgument, RuqsatError } from '../kit/errors.ts';
import type { BlobStore, StagedFile } from './blobs.ts';
import { checkObject } from './domain/check.ts';
import { manifestDigest, validateManifest, type Manifest, type RawManifest } from './domain/manifest.ts';
import { merkleRoot } from './domain/merkle.ts';
import { objectName } from './domain/names.ts';
import type { DepositStore } from './store.ts';

export interface UploadMessage {
  manifest?: RawManifest;
  chunk?: { path: string; offset: number; data: Uint8Array; sha256: Uint8Array };
  finish?: object;
}

interface FileState {
  index: number;
  path: string;
  size: number;
  /** Written to the staged file (and hashed). */
  received: number;
  /** Taken into an acknowledgement that may still be under way. */
  planned: number;
  /** Fsynced and recorded: where a resumed upload continues. */
  acked: number;
  /** The recorded SHA-256 of the whole file. */
  sha256?: Buffer;
  /** SHA-256 of bytes [0, received), fed as chunks are written; undefined before the first byte and once hashed. */
  hasher?: ThreadHasher;
  /** The staged file, open while this stream writes it. */
  staged?: StagedFile;
  /** A write failed: nothing past `planned` is acknowledged. */
  failed?: boolean;
}

/** What one acknowledgement records for a file: its bytes up to `to` and the hash state after them. */
interface Mark {
  f: FileState;
  from: number;
  to: number;
  /** Asked of the hashing thread when the mark is taken, so it covers exactly [0, to). */
  state: Promise<Buffer | null>;
}

interface Session {
  manifest: Manifest;
  files: Map<string, FileState>;
  /** Rows exist: the first acknowledgement creates them, so a refused first chunk leaves none. */
  persisted: boolean;
  stored: boolean;
  /** Who sent the stream that stores the object, for the audit log. */
  caller: string;
  /** Bytes written since the last acknowledgement was planned. */
  unacked: number;
  /** Files written past their planned acknowledgement (kept, not scanned for: a manifest may list 100,000 files). */
  dirty: Set<FileState>;
  /** Files not yet fully written. */
  incomplete: number;
  /** The acknowledgements and file completions under way, in order. */
  durable: Promise<void>;
  /** Why one of them failed: the stream fails with it, and nothing after it is acknowledged. */
  failure?: unknown;
}

type Chunk = NonNullable<UploadMessage['chunk']>;

// Chunks are hashed four at a time: equal-length runs take the core's 4-lane SIMD path.
const HASH_GROUP = 4;

const outOfRange = (reason: string, message: string, metadata: Record<string, string>) => new RuqsatError(grpc.status.OUT_OF_RANGE, reason, message, metadata);

export class Uploads {
  // One stream per upload at a time in this instance; a resumed stream waits for the dropped one to end.
  private readonly locks = new Map<string, Promise<void>>();
  // Files are hashed in the core on a worker thread: this thread goes on receiving and writing meanwhile.
  private readonly hashing = new Sha256Thread();

  constructor(
    private readonly store: DepositStore,
    private readonly blobs: BlobStore,
    private readonly audit: AuditLog,
    private readonly limits: { maxFileBytes: number; ackBytes: number },
    private readonly logger: Logger,
  ) {}

  /** Stops the hashing thread (the service is stopping: no stream is left). */
  close(): Promise<void> {
    return this.hashing.close();
  }

  /** True while a stream of this upload runs (or waits) in this instance. */
  active(uploadId: string): boolean {
    return this.locks.has(uploadId);
  }

  /** Runs one UploadObject stream; returns the upload id, whose state the handler reads back. */
  async receive(messages: AsyncIterable<UploadMessage>, caller: string): Promise<string> {
    const it = messages[Symbol.asyncIterator]();
    const first = await it.next();
    if (first.done || !first.value.manifest) {
      throw invalidArgument([{ field: 'manifest', description: 'the first message of the stream must be the manifest' }]);
    }
    const manifest = validateManifest(first.value.manifest, this.limits.maxFileBytes);
    return this.locked(manifest.uploadId, async () => {
      const session = await this.open(manifest, caller);
      try {
        return await this.run(session, it);
      } finally {
        // The recorded states are what a later stream resumes from; this stream's hashers give their core memory back.
        for (const f of session.files.values()) f.hasher?.free();
      }
    });
  }

  private async run(session: Session, it: AsyncIterator<UploadMessage>): Promise<string> {
    const manifest = session.manifest;
    let finished = false;
    const group: Chunk[] = [];
    const applyGroup = async () => {
      // A chunk's own SHA-256 is computed only when the client sent one to check it against.
      const checked = group.filter((c) => c.sha256.length > 0);
      const digests = checked.length > 0 ? sha256Batch(checked.map((c) => c.data)) : [];
      for (const c of group) await this.chunk(session, c, digests[checked.indexOf(c)]);
      group.length = 0;
    };
    try {
      for (let next = await it.next(); !next.done; next = await it.next()) {
        const m = next.value;
        if (m.chunk) {
          group.push(m.chunk);
          // Without a digest to check there is nothing to batch: a chunk held back would only wait, and be kept alive.
          if (group.length === HASH_GROUP || m.chunk.sha256.length === 0) await applyGroup();
          continue;
        }
        await applyGroup();
        if (m.finish) finished = true;
        else if (m.manifest) throw invalidArgument([{ field: 'manifest', description: 'only the first message may be the manifest' }]);
        else throw invalidArgument([{ field: 'content', description: 'a message must hold a manifest, a chunk or finish' }]);
        if (finished) break;
      }
      await applyGroup();
    } finally {
      // Whatever ended the stream (the client, a drop, a refused chunk), what was accepted is acknowledged.
      await this.settle(session, this.acknowledgement(session)).catch((err: unknown) => this.logger.error({ err, upload: manifest.uploadId }, 'acknowledging at the end of the stream failed'));
      await this.closeStaged(session);
    }
    const all = [...session.files.values()].every((f) => f.sha256);
    if (!session.stored && (finished || all)) await this.seal(session);
    return manifest.uploadId;
  }

  /** Runs `task` after the acknowledgements under way; a failure stops the chain and fails the stream. */
  private schedule(session: Session, task: (() => Promise<void>) | undefined): void {
    if (!task) return;
    session.durable = session.durable.then(async () => {
      if (session.failure) return;
      try {
        await task();
      } catch (err) {
        session.failure ??= err;
      }
    });
  }

  /** Schedules `task` (if any) and waits for everything under way; throws what failed. */
  private async settle(session: Session, task?: () => Promise<void>): Promise<void> {
    if (task) this.schedule(session, task);
    await session.durable;
    if (session.failure) throw session.failure;
  }

  private async closeStaged(session: Session): Promise<void> {
    for (const f of session.files.values()) {
      const staged = f.staged;
      f.staged = undefined;
      await staged?.close().catch((err: unknown) => this.logger.warn({ err, upload: session.manifest.uploadId, path: f.path }, 'closing a staged file failed'));
    }
  }

  private async locked<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(id) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const chain = previous.then(() => mine);
    this.locks.set(id, chain);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (this.locks.get(id) === chain) this.locks.delete(id);
    }
  }

  /** A new upload, or a resumed one brought back to exactly what was acknowledged. */
  private async open(manifest: Manifest, caller: string): Promise<Session> {
    const files = new Map(manifest.files.map((f, index) => [f.path, { index, path: f.path, size: f.size, received: 0, planned: 0, acked: 0 } as FileState]));
    const existing = await this.store.object(manifest.uploadId);
    const incomplete = manifest.files.filter((f) => f.size > 0).length;
    if (!existing) return { manifest, files, persisted: false, stored: false, caller, unacked: 0, dirty: new Set(), incomplete, durable: Promise.resolve() };
    if (!existing.object.manifest_sha256.equals(manifestDigest(manifest))) {
      throw new RuqsatError(grpc.status.FAILED_PRECONDITION, 'MANIFEST_CHANGED', `upload ${manifest.uploadId} was started with a different manifest; resume it with the same one, or use a new upload_id`, { upload_id: manifest.uploadId });
    }
    const session: Session = { manifest, files, persisted: true, stored: existing.object.state === 'stored', caller, unacked: 0, dirty: new Set(), incomplete, durable: Promise.resolve() };
    for (const row of existing.files) {
      const f = files.get(row.path)!;
      f.received = f.planned = f.acked = Number(row.received_bytes);
      if (f.size > 0 && f.received === f.size) session.incomplete--;
      if (row.sha256) f.sha256 = row.sha256;
      if (session.stored) continue;
      if (f.sha256) await this.commit(session, f); // hashed before a crash; the rename may not have happened
      else if (await this.blobs.hasStaged({ uploadId: manifest.uploadId, index: f.index })) await this.blobs.truncateStaged({ uploadId: manifest.uploadId, index: f.index }, f.received);
      else if (f.received > 0) throw new Error(`upload ${manifest.uploadId}: staged ${f.path} is gone with ${f.received} bytes acknowledged`);
      if (!f.sha256 && f.received > 0) f.hasher = await this.resumeHash(session, f, row.sha256_state);
      if (!f.sha256 && f.received === f.size) await this.settle(session, this.completion(session, f));
    }
    return session;
  }

  /**
   * The file's hasher after its acknowledged bytes. The state is persisted with every acknowledgement rather than the
   * staged prefix re-hashed on resume: a resumed 4 GiB file then costs one row read, not a re-read of up to 4 GiB, and
   * the ≤ 103-byte state goes in the same UPDATE as received_bytes, so the two cannot disagree. Re-hashing the prefix
   * remains only for a row without a state (acknowledged before the state was recorded).
   */
  private async resumeHash(session: Session, f: FileState, state: Buffer | null | undefined): Promise<ThreadHasher> {
    if (state) {
      const h = this.hashing.hasher(state);
      if (h.length === f.received) return h;
      h.free();
      this.logger.warn({ upload: session.manifest.uploadId, path: f.path, stateBytes: h.length, acknowledged: f.received }, 'recorded hash state does not match the acknowledged bytes; re-hashing the staged prefix');
    }
    const h = this.hashing.hasher();
    try {
      for await (const piece of this.blobs.readStagedPrefix({ uploadId: session.manifest.uploadId, index: f.index }, f.received)) await h.update(piece);
    } catch (err) {
      h.free();
      throw err;
    }
    if (h.length !== f.received) {
      h.free();
      throw new Error(`upload ${session.manifest.uploadId}: staged ${f.path} holds ${h.length} of ${f.received} acknowledged bytes`);
    }
    return h;
  }

  /** Applies one chunk; `digest` is its SHA-256 from the core when the client sent one to check. */
  private async chunk(session: Session, chunk: Chunk, digest: Uint8Array | undefined): Promise<void> {
    const f = session.files.get(chunk.path);
    if (!f) throw invalidArgument([{ field: 'chunk.path', description: `"${chunk.path.slice(0, 200)}" is not declared in the manifest` }]);
    const meta = { path: f.path, acknowledged_bytes: String(f.received), declared_size_bytes: String(f.size) };
    if (!Number.isSafeInteger(chunk.offset) || chunk.offset < 0) throw invalidArgument([{ field: 'chunk.offset', description: 'must be zero or more' }]);
    const end = chunk.offset + chunk.data.length;
    if (end > f.size) throw outOfRange('CHUNK_PAST_DECLARED_SIZE', `${f.path}: a chunk ending at byte ${end} is past the declared size of ${f.size} bytes`, meta);
    if (chunk.offset > f.received) throw outOfRange('CHUNK_NOT_CONTIGUOUS', `${f.path}: the next chunk must start at byte ${f.received}, not ${chunk.offset}`, meta);
    if (digest && !Buffer.from(chunk.sha256).equals(Buffer.from(digest))) {
      throw invalidArgument([{ field: 'chunk.sha256', description: `${f.path} at byte ${chunk.offset}: the data's SHA-256 is ${hex(digest)}` }]);
    }
    if (end <= f.received) return; // already acknowledged: a resent prefix
    if (session.stored) throw new RuqsatError(grpc.status.FAILED_PRECONDITION, 'ALREADY_STORED', `${objectName(session.manifest.uploadId)} is already stored`);
    if (session.failure) throw session.failure;
    const fresh = chunk.data.subarray(f.received - chunk.offset);
    if (!f.hasher && f.received > 0) throw new Error(`upload ${session.manifest.uploadId}: ${f.path} has ${f.received} bytes but no hash state`);
    f.staged ??= await this.blobs.openStaged({ uploadId: session.manifest.uploadId, index: f.index });
    // A failed write fails the stream, and the file's hash state is then never recorded past what was acknowledged.
    try {
      await f.staged.write(f.received, fresh);
    } catch (err) {
      f.failed = true;
      throw err;
    }
    // Written, the bytes are not needed here again: they move to the hashing thread uncopied (so `fresh` reads as
    // empty afterwards: its length is counted before).
    const length = fresh.length;
    await (f.hasher ??= this.hashing.hasher()).update(fresh, true);
    f.received = end;
    session.unacked += length;
    session.dirty.add(f);
    if (f.received === f.size) {
      session.incomplete--;
      await session.durable; // at most one acknowledgement waits behind the one under way
      this.schedule(session, this.completion(session, f));
    } else if (session.unacked >= this.limits.ackBytes) {
      await session.durable;
      this.schedule(session, this.acknowledgement(session));
    }
    if (session.failure) throw session.failure;
    if (session.incomplete === 0 && !session.stored) {
      await this.settle(session);
      await this.seal(session);
    }
  }

  /**
   * Snapshots what was written since the last acknowledgement (bytes and hash state, taken now), and returns the task
   * that fsyncs it and then records it: from then on it survives anything. Null when there is nothing new.
   */
  private acknowledgement(session: Session): (() => Promise<void>) | undefined {
    const marks: Mark[] = [...session.dirty]
      .filter((f) => !f.failed && f.received > f.planned)
      .map((f) => ({ f, from: f.planned, to: f.received, state: hashState(f) }));
    if (marks.length === 0) return undefined;
    for (const m of marks) m.f.planned = m.to;
    session.dirty.clear();
    session.unacked = 0;
    return () => this.record(session, marks);
  }

  private async record(session: Session, pending: Mark[]): Promise<void> {
    // fsync covers at least every byte written before it began, so each mark's bytes are durable after it.
    for (const m of pending) await m.f.staged?.sync();
    const marks = await Promise.all(pending.map(async (m) => ({ ...m, state: await m.state })));
    if (!session.persisted) {
      await this.persist(session, new Map(marks.map((m) => [m.f, m])));
    } else {
      for (const m of marks) {
        if (!(await this.store.acknowledge(session.manifest.uploadId, m.f.path, m.from, m.to, m.state))) {
          throw new RuqsatError(grpc.status.ABORTED, 'CONCURRENT_UPLOAD', `${m.f.path} was advanced by another stream of upload ${session.manifest.uploadId}; ask GetUploadStatus and resume`);
        }
      }
    }
    for (const m of marks) m.f.acked = m.to;
  }

  /** Creates the rows with the first acknowledgement's marks (none when sealing an upload with no byte). */
  private async persist(session: Session, marks = new Map<FileState, { to: number; state: Buffer | null }>()): Promise<void> {
    const m = session.manifest;
    await this.store.createObject(
      { id: m.uploadId, state: 'uploading', object_type: m.objectType, title: m.title, version: m.version, manifest_sha256: manifestDigest(m), created_at: new Date() },
      [...session.files.values()].map((f) => ({ idx: f.index, path: f.path, declared_size: f.size, received_bytes: marks.get(f)?.to ?? 0, sha256_state: marks.get(f)?.state ?? null })),
    ).catch((err: unknown) => {
      if ((err as { code?: string }).code === '23505') throw new RuqsatError(grpc.status.ABORTED, 'CONCURRENT_UPLOAD', `upload ${m.uploadId} was started by another stream; ask GetUploadStatus and resume`);
      throw err;
    });
    session.persisted = true;
    // Empty files are complete as soon as they are declared.
    for (const f of session.files.values()) if (f.size === 0 && !f.sha256) await this.completion(session, f, false)();
  }

  /**
   * The whole file arrived: its running hash is finished now; the task acknowledges its last bytes, records the
   * hash, closes the staged file and moves it under its hash.
   */
  private completion(session: Session, f: FileState, acknowledging = true): () => Promise<void> {
    const key = { uploadId: session.manifest.uploadId, index: f.index };
    // Taken before the digest ends the hasher, so the last acknowledgement still records the state.
    const acknowledge = acknowledging ? this.acknowledgement(session) : undefined;
    const hasher = f.hasher ?? this.hashing.hasher(); // only an empty file has none
    f.hasher = undefined;
    if (hasher.length !== f.size) {
      hasher.free();
      return () => Promise.reject(new Error(`upload ${key.uploadId}: ${f.path} hashed ${hasher.length} of ${f.size} bytes`));
    }
    const hashed = settled(hasher.digest());
    return async () => {
      await acknowledge?.();
      const digest = Buffer.from(await hashed);
      if (f.size === 0 && !(await this.blobs.hasStaged(key))) f.staged ??= await this.blobs.openStaged(key);
      const staged = f.staged;
      f.staged = undefined;
      await staged?.close();
      await this.store.setFileHash(session.manifest.uploadId, f.path, digest);
      f.sha256 = digest;
      await this.commit(session, f);
    };
  }

  private async commit(session: Session, f: FileState): Promise<void> {
    const key = { uploadId: session.manifest.uploadId, index: f.index };
    if (await this.blobs.hasStaged(key)) await this.blobs.commitStaged(key, f.sha256!.toString('hex'));
    else if (!(await this.stored(f.sha256!.toString('hex')))) throw new Error(`upload ${key.uploadId}: ${f.path} is neither staged nor stored`);
  }

  /** The collector may hide a blob for a moment before it sees a file names it and puts it back. */
  private async stored(sha256Hex: string): Promise<boolean> {
    for (let attempt = 0; attempt < 5; attempt++) {
      if (await this.blobs.has(sha256Hex)) return true;
      await new Promise((r) => setTimeout(r, 50 * (attempt + 1)));
    }
    return false;
  }

  /** Stores the object: what arrived, its Merkle root, completeness and conformity; audit-logged. */
  private async seal(session: Session): Promise<void> {
    await this.settle(session);
    if (!session.persisted) await this.persist(session);
    const m = session.manifest;
    const files = [...session.files.values()];
    const stored = files.filter((f) => f.sha256);
    const check = checkObject(m.objectType, m.files, files.map((f) => ({ path: f.path, size: f.received, stored: !!f.sha256 })));
    const root = merkleRoot(stored.map((f) => ({ path: f.path, size: f.size, sha256: f.sha256! })));
    const totalSize = stored.reduce((n, f) => n + f.size, 0);
    const at = new Date();
    await this.store.transaction(async (trx) => {
      const fresh = await this.store.storeObject(trx, m.uploadId, { merkleRoot: root, fileCount: stored.length, totalSize, complete: check.complete, conformant: check.conformant, findings: check.findings }, at);
      if (!fresh) return;
      await this.audit.append(trx, {
        actor: session.caller || 'deposit',
        action: 'store_deposit_object',
        resource: objectName(m.uploadId),
        payload: { merkle_root: root.toString('hex'), object_type: m.objectType, title: m.title, version: m.version, file_count: stored.length, total_size_bytes: totalSize, complete: check.complete, conformant: check.conformant },
        at,
      });
    });
    session.stored = true;
    await this.blobs.discardUpload(m.uploadId);
    this.logger.info({ object: objectName(m.uploadId), merkleRoot: root.toString('hex'), files: stored.length, bytes: totalSize }, 'deposit object stored');
  }
}

/** What is recorded with a file's acknowledged bytes: its hasher's portable state, until the file is hashed. */
function hashState(f: FileState): Promise<Buffer | null> {
  return settled(!f.sha256 && f.hasher ? f.hasher.exportState().then((s) => Buffer.from(s)) : Promise.resolve(null));
}

/** `p`, marked as handled: an acknowledgement that never runs (the stream failed first) must not crash the process. */
function settled<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}
