// The deposit service's own settings: where deposited content lives and how large a file may be.
import { readInt, readString } from '../kit/config.ts';

type Env = Record<string, string | undefined>;

export const GIB = 1024 * 1024 * 1024;

export interface DepositConfig {
  /** Root of the on-disk blob store (blobs under their SHA-256, and uploads in progress). */
  blobDir: string;
  /** A declared file larger than this is refused with RESOURCE_EXHAUSTED. */
  maxFileBytes: number;
  /** Written bytes are fsynced and recorded (acknowledged) at least this often, and at every file's end and stream's end. */
  ackBytes: number;
  /** An upload with no acknowledgement for this long is expired: its rows, staged files and unreferenced blobs go. */
  uploadRetentionMs: number;
  /** A stored object that no application or deposit names is removed (with the blobs only it names) this long after it was stored; 0 never. */
  orphanRetentionMs: number;
  /** How often the collector runs; 0 never. */
  gcIntervalMs: number;
}

export function depositConfig(env: Env = process.env): DepositConfig {
  return {
    blobDir: readString(env, 'DEPOSIT_BLOB_DIR', './data/blobs'),
    maxFileBytes: readInt(env, 'DEPOSIT_MAX_FILE_BYTES', 4 * GIB, 0, 4 * GIB),
    ackBytes: readInt(env, 'DEPOSIT_ACK_BYTES', 8 * 1024 * 1024, 0, GIB),
    uploadRetentionMs: readInt(env, 'DEPOSIT_UPLOAD_RETENTION_S', 7 * 24 * 3600, 1, 10 * 365 * 24 * 3600) * 1000,
    orphanRetentionMs: readInt(env, 'DEPOSIT_ORPHAN_RETENTION_S', 30 * 24 * 3600, 0, 10 * 365 * 24 * 3600) * 1000,
    gcIntervalMs: readInt(env, 'DEPOSIT_GC_INTERVAL_S', 3600, 0, 7 * 24 * 3600) * 1000,
  };
}
