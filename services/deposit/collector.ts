// The blob store's garbage collector. Removes what no upload or deposit can need any more:
//   - uploads idle (no acknowledgement) for longer than the retention: their rows and staged files;
//   - staged files with no upload row (a stream refused or cut before its first acknowledgement), idle as long;
//   - blobs that no object's file names (those of expired uploads, or left by a crash), written as long ago.
//   - stored objects that no application and no deposit names, sealed longer ago than the orphan retention (when set):
//     their rows, and then their blobs unless another object's file names them.
// Anything an application or a deposit names is never collected, nor are its blobs.
//
// A blob is removed in two steps against a concurrent upload of the same content. An upload records the
// file's hash and only then looks for the blob (keeping its own copy when the blob is absent); the collector
// hides the blob and only then looks for a file that names it (restoring the blob when one does). Each side
// writes before it reads, so at least one sees the other: the blob survives either way.
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { BlobStore } from './blobs.ts';
import type { DepositStore } from './store.ts';

export interface Collected {
  uploads: string[];
  /** Stored objects no application or deposit named within the orphan retention. */
  objects: string[];
  staged: string[];
  blobs: string[];
}

const BATCH = 500;

export class BlobCollector {
  constructor(
    private readonly store: DepositStore,
    private readonly blobs: BlobStore,
    private readonly retentionMs: number,
    /** True while this process has a stream open for the upload. */
    private readonly uploading: (uploadId: string) => boolean,
    private readonly logger: Logger,
    /** How long a stored object nothing names is kept; 0 keeps it forever. */
    private readonly orphanRetentionMs = 0,
  ) {}

  async sweep(now = new Date()): Promise<Collected> {
    const cutoff = new Date(now.getTime() - this.retentionMs);
    await this.restoreLeftovers();
    const out: Collected = { uploads: [], objects: [], staged: [], blobs: [] };
    for (const id of await this.store.idleUploads(cutoff)) {
      if (this.uploading(id)) continue;
      // The delete re-checks idleness, so an acknowledgement that lands meanwhile keeps the upload.
      if (!(await this.store.dropIdleUpload(id, cutoff))) continue;
      await this.blobs.discardUpload(id);
      out.uploads.push(id);
    }
    if (this.orphanRetentionMs > 0) {
      const orphanCutoff = new Date(now.getTime() - this.orphanRetentionMs);
      for (;;) {
        const ids = await this.store.orphanObjects(orphanCutoff, BATCH);
        const dropped: string[] = [];
        // Each delete re-checks, so an application that names the object meanwhile keeps it.
        for (const id of ids) if (await this.store.dropOrphanObject(id, orphanCutoff)) dropped.push(id);
        out.objects.push(...dropped);
        if (ids.length < BATCH || dropped.length === 0) break;
      }
    }
    for await (const s of this.blobs.listStaged()) {
      if (s.modified >= cutoff || this.uploading(s.uploadId) || (await this.store.hasObject(s.uploadId))) continue;
      await this.blobs.discardUpload(s.uploadId);
      out.staged.push(s.uploadId);
    }
    let batch: string[] = [];
    for await (const b of this.blobs.listBlobs()) {
      if (b.modified >= cutoff) continue;
      batch.push(b.sha256Hex);
      if (batch.length === BATCH) {
        out.blobs.push(...(await this.collectBlobs(batch)));
        batch = [];
      }
    }
    out.blobs.push(...(await this.collectBlobs(batch)));
    if (out.uploads.length + out.objects.length + out.staged.length + out.blobs.length > 0) {
      this.logger.info({ uploads: out.uploads.length, objects: out.objects.length, staged: out.staged.length, blobs: out.blobs.length }, 'blob store collected');
    }
    return out;
  }

  private async collectBlobs(candidates: string[]): Promise<string[]> {
    const named = await this.store.referencedBlobs(candidates.map((h) => Buffer.from(h, 'hex')));
    const hidden: { hex: string; token: string }[] = [];
    for (const hex of candidates) {
      if (named.has(hex)) continue;
      const token = `${hex}.${randomBytes(6).toString('hex')}`;
      if (await this.blobs.hideBlob(hex, token)) hidden.push({ hex, token });
    }
    // Asked again after hiding: a file that named the blob meanwhile brings it back.
    const namedNow = await this.store.referencedBlobs(hidden.map((h) => Buffer.from(h.hex, 'hex')));
    const dropped: string[] = [];
    for (const h of hidden) {
      if (namedNow.has(h.hex)) {
        await this.blobs.restoreBlob(h.hex, h.token);
      } else {
        await this.blobs.dropHidden(h.token);
        dropped.push(h.hex);
      }
    }
    return dropped;
  }

  /** A collector stopped between hiding and deciding: put back what it hid; this sweep decides again. */
  private async restoreLeftovers(): Promise<void> {
    for (const token of await this.blobs.listHidden()) {
      const hex = token.split('.')[0]!;
      await this.blobs.restoreBlob(hex, token).catch((err: unknown) => this.logger.warn({ err, token }, 'could not restore a hidden blob'));
    }
  }

  /** Sweeps every `intervalMs` until the returned function is called. */
  every(intervalMs: number): () => void {
    let busy = false;
    const timer = setInterval(() => {
      if (busy) return;
      busy = true;
      this.sweep()
        .catch((err: unknown) => this.logger.error({ err }, 'blob store collection failed'))
        .finally(() => (busy = false));
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }
}
