// The depositary's content: blobs addressed by their SHA-256, and the staged files of uploads in progress.
import { constants } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat, truncate, unlink, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { createReadStream } from 'node:fs';

/**
 * What the deposit service needs from a content store. A staged file is an upload's file in
 * progress (an S3-compatible store would keep it as a multipart upload); committing it stores the
 * content under its hash, once however many objects hold it.
 */
export interface BlobStore {
  /** Opens a staged file for writing, creating it (durably) when new; one stream holds it open while it writes. */
  openStaged(key: StagedKey): Promise<StagedFile>;
  /** Drops staged bytes past `length`: written before a crash but never acknowledged. */
  truncateStaged(key: StagedKey, length: number): Promise<void>;
  /** The first `length` bytes of a staged file, in pieces (only to rebuild a hash state that was not recorded). */
  readStagedPrefix(key: StagedKey, length: number): AsyncIterable<Uint8Array>;
  /** True when the staged file exists. */
  hasStaged(key: StagedKey): Promise<boolean>;
  /** Moves a complete staged file under its SHA-256 (hex); identical content is stored once. */
  commitStaged(key: StagedKey, sha256Hex: string): Promise<void>;
  /** Removes whatever is still staged for an upload. */
  discardUpload(uploadId: string): Promise<void>;
  has(sha256Hex: string): Promise<boolean>;
  read(sha256Hex: string): Readable;

  // For the collector (collector.ts), which removes a blob in two steps so a concurrent upload of the
  // same content cannot lose it: hide it, check that nothing names it, then drop it (or restore it).
  /** Every blob, with when it was last written. */
  listBlobs(): AsyncIterable<{ sha256Hex: string; modified: Date }>;
  /** Every upload with staged files, with when any of them was last written. */
  listStaged(): AsyncIterable<{ uploadId: string; modified: Date }>;
  /** Moves a blob out of sight under `token`; false when it is not there. */
  hideBlob(sha256Hex: string, token: string): Promise<boolean>;
  /** Puts a hidden blob back (identical content may have been stored meanwhile; either copy is right). */
  restoreBlob(sha256Hex: string, token: string): Promise<void>;
  dropHidden(token: string): Promise<void>;
  /** Tokens still hidden: left by a collector that stopped between hiding and deciding. */
  listHidden(): Promise<string[]>;
}

/** An open staged file. Writes may overlap a sync: a sync makes durable at least what was written before it began. */
export interface StagedFile {
  /** Writes `data` at `offset`; durable only after `sync`. */
  write(offset: number, data: Uint8Array): Promise<void>;
  /** Makes everything written so far durable (fsync). */
  sync(): Promise<void>;
  close(): Promise<void>;
}

export interface StagedKey {
  uploadId: string;
  /** The file's place in the manifest's sorted file list. */
  index: number;
}

const HEX = /^[0-9a-f]{64}$/;

/** The blob store on a local disk: write a staged file, fsync, rename; a blob's path is its hash. */
export class DiskBlobStore implements BlobStore {
  constructor(private readonly root: string) {}

  blobPath(sha256Hex: string): string {
    if (!HEX.test(sha256Hex)) throw new Error(`not a SHA-256 hex digest: ${sha256Hex}`);
    return join(this.root, 'sha256', sha256Hex.slice(0, 2), sha256Hex);
  }

  private stagedPath({ uploadId, index }: StagedKey): string {
    return join(this.root, 'staging', uploadId, String(index));
  }

  async openStaged(key: StagedKey): Promise<StagedFile> {
    const path = this.stagedPath(key);
    let fh: FileHandle;
    try {
      fh = await open(path, constants.O_WRONLY);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      await mkdir(dirname(path), { recursive: true });
      fh = await open(path, constants.O_WRONLY | constants.O_CREAT, 0o600);
      // The new directory entry must survive a crash as well as the bytes.
      await fsyncDir(dirname(path));
      await fsyncDir(dirname(dirname(path)));
    }
    return {
      write: async (offset, data) => {
        for (let written = 0; written < data.length; ) {
          const { bytesWritten } = await fh.write(data, written, data.length - written, offset + written);
          written += bytesWritten;
        }
      },
      sync: () => fh.datasync(),
      close: () => fh.close(),
    };
  }

  async truncateStaged(key: StagedKey, length: number): Promise<void> {
    const path = this.stagedPath(key);
    const size = await stat(path).then((s) => s.size, () => -1);
    if (size > length) await truncate(path, length);
    else if (size < length) throw new Error(`staged file ${path} holds ${size} of ${length} acknowledged bytes`);
  }

  readStagedPrefix(key: StagedKey, length: number): AsyncIterable<Uint8Array> {
    if (length === 0) return (async function* () {})();
    return createReadStream(this.stagedPath(key), { start: 0, end: length - 1, highWaterMark: 1 << 20 });
  }

  async hasStaged(key: StagedKey): Promise<boolean> {
    return exists(this.stagedPath(key));
  }

  async commitStaged(key: StagedKey, sha256Hex: string): Promise<void> {
    const target = this.blobPath(sha256Hex);
    const staged = this.stagedPath(key);
    if (await exists(target)) {
      await unlink(staged);
      return;
    }
    await mkdir(dirname(target), { recursive: true });
    // The staged file was fsynced as it was written; rename makes it appear whole or not at all.
    await rename(staged, target);
    await fsyncDir(dirname(target));
    await fsyncDir(dirname(dirname(target)));
  }

  async discardUpload(uploadId: string): Promise<void> {
    await rm(join(this.root, 'staging', uploadId), { recursive: true, force: true });
  }

  async has(sha256Hex: string): Promise<boolean> {
    return exists(this.blobPath(sha256Hex));
  }

  read(sha256Hex: string): Readable {
    return createReadStream(this.blobPath(sha256Hex));
  }

  async *listBlobs(): AsyncIterable<{ sha256Hex: string; modified: Date }> {
    const root = join(this.root, 'sha256');
    for (const prefix of await readdir(root).catch(() => [] as string[])) {
      for (const name of await readdir(join(root, prefix)).catch(() => [] as string[])) {
        if (!HEX.test(name) || name.slice(0, 2) !== prefix) continue;
        const s = await stat(join(root, prefix, name)).catch(() => undefined);
        if (s) yield { sha256Hex: name, modified: s.mtime };
      }
    }
  }

  async *listStaged(): AsyncIterable<{ uploadId: string; modified: Date }> {
    const root = join(this.root, 'staging');
    for (const uploadId of await readdir(root).catch(() => [] as string[])) {
      const dir = join(root, uploadId);
      let modified = await stat(dir).then((s) => s.mtime, () => undefined);
      if (!modified) continue;
      for (const f of await readdir(dir).catch(() => [] as string[])) {
        const m = await stat(join(dir, f)).then((s) => s.mtime, () => undefined);
        if (m && m > modified) modified = m;
      }
      yield { uploadId, modified };
    }
  }

  private hiddenPath(token: string): string {
    if (!/^[A-Za-z0-9._-]+$/.test(token)) throw new Error(`not a collector token: ${token}`);
    return join(this.root, 'collecting', token);
  }

  async hideBlob(sha256Hex: string, token: string): Promise<boolean> {
    await mkdir(join(this.root, 'collecting'), { recursive: true });
    try {
      await rename(this.blobPath(sha256Hex), this.hiddenPath(token));
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }

  async restoreBlob(sha256Hex: string, token: string): Promise<void> {
    const target = this.blobPath(sha256Hex);
    await mkdir(dirname(target), { recursive: true });
    await rename(this.hiddenPath(token), target);
    await fsyncDir(dirname(target));
  }

  async listHidden(): Promise<string[]> {
    return readdir(join(this.root, 'collecting')).catch(() => []);
  }

  async dropHidden(token: string): Promise<void> {
    await rm(this.hiddenPath(token), { force: true });
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

async function fsyncDir(path: string): Promise<void> {
  const fh = await open(path, constants.O_RDONLY);
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
