// The depositor's manifest: what it declares it deposits. Validated before anything is stored.
import * as grpc from '@grpc/grpc-js';
import { sha256 } from '../../../core-wasm/src/index.ts';
import { invalidArgument, RuqsatError, type FieldViolation } from '../../kit/errors.ts';
import type { ObjectType } from '../store.ts';

export interface DeclaredFile {
  path: string;
  size: number;
}

export interface Manifest {
  uploadId: string;
  objectType: ObjectType;
  title: string;
  version: string;
  /** Sorted by path (bytes of UTF-8); a file's index is its place here. */
  files: DeclaredFile[];
}

export interface RawManifest {
  uploadId: string;
  objectType: ObjectType | undefined;
  title: string;
  version: string;
  files: { path: string; sizeBytes: number }[];
}

const UPLOAD_ID = /^[a-z0-9][a-z0-9._-]{0,62}$/;

/** The upload id's format, as a field violation under `field` when it is not met. */
export const uploadIdViolation = (id: string, field: string): FieldViolation | undefined =>
  UPLOAD_ID.test(id) ? undefined : { field, description: 'must match [a-z0-9][a-z0-9._-]{0,62}' };
export const MAX_FILES = 100_000;
const MAX_PATH_BYTES = 1024;
// Control characters (NUL among them) would make the Merkle leaf encoding ambiguous.
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Why a path is not a safe relative path, or undefined when it is. */
export function pathProblem(path: string): string | undefined {
  if (path === '') return 'is required';
  if (Buffer.byteLength(path) > MAX_PATH_BYTES) return `is longer than ${MAX_PATH_BYTES} bytes`;
  if (CONTROL.test(path)) return 'contains a control character';
  if (path.includes('\\')) return 'contains a backslash; use "/" between directories';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'must be relative, not absolute';
  for (const segment of path.split('/')) {
    if (segment === '') return 'has an empty segment ("//" or a trailing "/")';
    if (segment === '.' || segment === '..') return `has a "${segment}" segment`;
  }
  return undefined;
}

/** Byte order of UTF-8, the order of the Merkle tree's leaves. */
export const byPath = (a: { path: string }, b: { path: string }) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path));

/** Checks a manifest: field violations → INVALID_ARGUMENT; a file over the limit → RESOURCE_EXHAUSTED. */
export function validateManifest(raw: RawManifest, configuredMax: number): Manifest {
  const maxFileBytes = configuredMax;
  const v: FieldViolation[] = [];
  const badId = uploadIdViolation(raw.uploadId, 'manifest.upload_id');
  if (badId) v.push(badId);
  if (!raw.objectType) v.push({ field: 'manifest.object_type', description: 'is required' });
  if (raw.title.trim() === '') v.push({ field: 'manifest.title', description: 'is required' });
  else if (raw.title.length > 500 || CONTROL.test(raw.title)) v.push({ field: 'manifest.title', description: 'must be at most 500 characters, without control characters' });
  if (raw.version.length > 100 || CONTROL.test(raw.version)) v.push({ field: 'manifest.version', description: 'must be at most 100 characters, without control characters' });
  if (raw.files.length === 0) v.push({ field: 'manifest.files', description: 'declare at least one file' });
  if (raw.files.length > MAX_FILES) v.push({ field: 'manifest.files', description: `at most ${MAX_FILES} files` });
  const seen = new Set<string>();
  let oversized: DeclaredFile | undefined;
  raw.files.forEach((f, i) => {
    const problem = pathProblem(f.path);
    if (problem) v.push({ field: `manifest.files[${i}].path`, description: problem });
    else if (seen.has(f.path)) v.push({ field: `manifest.files[${i}].path`, description: `"${f.path}" is declared twice` });
    seen.add(f.path);
    if (!Number.isSafeInteger(f.sizeBytes) || f.sizeBytes < 0) v.push({ field: `manifest.files[${i}].size_bytes`, description: 'must be zero or more' });
    else if (f.sizeBytes > maxFileBytes) oversized ??= { path: f.path, size: f.sizeBytes };
  });
  if (v.length > 0) throw invalidArgument(v);
  if (oversized) {
    throw new RuqsatError(grpc.status.RESOURCE_EXHAUSTED, 'FILE_TOO_LARGE', `${oversized.path}: ${oversized.size} bytes is over the limit of ${maxFileBytes} bytes per file`, {
      path: oversized.path,
      limit_bytes: String(maxFileBytes),
    });
  }
  const files = raw.files.map((f) => ({ path: f.path, size: f.sizeBytes })).sort(byPath);
  return { uploadId: raw.uploadId, objectType: raw.objectType!, title: raw.title.trim(), version: raw.version, files };
}

/** Identifies a manifest's content, so a resumed upload can prove it declares the same object. */
export function manifestDigest(m: Manifest): Buffer {
  return Buffer.from(sha256(Buffer.from(JSON.stringify([m.objectType, m.title, m.version, m.files.map((f) => [f.path, f.size])]))));
}
