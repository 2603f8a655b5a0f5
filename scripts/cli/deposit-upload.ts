// ruqsat deposit upload — deposits a directory's files as one object: walks it, declares the manifest and streams the
// files with sendFiles. Resumable: the upload id is kept in a state file, and a second run asks GetUploadStatus what
// the service acknowledged and sends only the rest.
import * as grpc from '@grpc/grpc-js';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { DepositObject_State, ObjectType, type DepositObject, type DepositServiceClient, type UploadObjectRequest, type UploadObjectResponse } from '../../gen/ruqsat/deposit/v1/deposit.ts';
import { sendFiles, type SourceFile } from '../../services/deposit/send-files.ts';
import { FastDepositServiceClient } from '../../services/deposit/wire.ts';
import { loadConfig } from '../../services/kit/config.ts';
import { decodeStatusDetails } from '../../services/kit/errors.ts';
import { clientFor } from '../../services/kit/grpc/client.ts';
import { UsageError } from '../cli.ts';
import { walkDirectory, type TreeFile } from './deposit-tree.ts';

export const UPLOAD_USAGE = 'ruqsat deposit upload DIR [--type is|software|code|documentation] [--name NAME] [--version V] [--target HOST:PORT] [--json] [--chunk-bytes N]';

const TYPES: Record<string, ObjectType> = {
  is: ObjectType.OBJECT_TYPE_INFORMATION_SYSTEM,
  software: ObjectType.OBJECT_TYPE_SOFTWARE_PRODUCT,
  code: ObjectType.OBJECT_TYPE_PROGRAM_CODE,
  documentation: ObjectType.OBJECT_TYPE_DOCUMENTATION,
};
// Under the default 4 MiB message limit with room for the chunk's path and head.
const MAX_CHUNK = 3 * 1024 * 1024;
// A dropped connection, a restart or a timeout: what was acknowledged stays, and the same command resumes.
const RESUMABLE = new Set([grpc.status.UNAVAILABLE, grpc.status.DEADLINE_EXCEEDED, grpc.status.CANCELLED, grpc.status.ABORTED, grpc.status.UNKNOWN, grpc.status.INTERNAL]);

/** What a run remembers of an upload it started, to resume it. */
interface UploadState {
  dir: string;
  /** Where it was sent first, for whoever reads the file. */
  target: string;
  uploadId: string;
  manifest: { type: string; title: string; version: string };
  files: { path: string; size: number; mtimeMs: number }[];
}

/**
 * The state lives under $XDG_STATE_HOME (~/.local/state), keyed by the directory, not in DIR: a file in DIR would be
 * part of what is deposited (and of what `deposit verify` compares), and DIR may be read-only. Not keyed by the target:
 * another address of the same service (an instance, a proxy) resumes the upload, and a service that never saw the id
 * answers NOT_FOUND, so the upload starts there from its first byte.
 */
function statePath(dir: string): string {
  const base = process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  const key = createHash('sha256').update(dir).digest('hex').slice(0, 32);
  return join(base, 'ruqsat', 'uploads', `${key}.json`);
}

function readState(path: string): UploadState | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as UploadState;
  } catch {
    return undefined; // none yet, or unreadable: a new upload
  }
}

/** Written before the first byte is sent (temp file, then rename): a run killed at any point leaves the upload id. */
function writeState(path: string, state: UploadState): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.tmp`, JSON.stringify(state, null, 1) + '\n', { mode: 0o600 });
  renameSync(`${path}.tmp`, path);
}

/** A new upload id, [a-z0-9][a-z0-9._-]{0,62}: the name as far as it spells one, and a random suffix. */
function newUploadId(title: string): string {
  const slug = title.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '').slice(0, 40).replace(/[-._]+$/, '');
  return `${slug || 'upload'}-${randomBytes(4).toString('hex')}`;
}

/** A refused call in words: the status code, the reason, the details and each field violation. */
export function describeGrpcError(rpc: string, err: unknown): Error {
  const e = err as grpc.ServiceError;
  if (typeof e?.code !== 'number') return err as Error;
  const status = decodeStatusDetails(e.metadata);
  const lines = [`${rpc} failed: ${grpc.status[e.code] ?? e.code}: ${e.details}${status?.errorInfo?.reason ? ` [${status.errorInfo.reason}]` : ''}`];
  for (const v of status?.fieldViolations ?? []) lines.push(`  ${v.field}: ${v.description}`);
  if (RESUMABLE.has(e.code)) lines.push('the upload can be resumed: run the same command again to continue from what the service acknowledged');
  return new Error(lines.join('\n'));
}

async function uploadStatus(client: DepositServiceClient, uploadId: string): Promise<DepositObject | undefined> {
  try {
    return await new Promise<DepositObject>((resolve, reject) =>
      client.getUploadStatus({ uploadId }, new grpc.Metadata(), { deadline: Date.now() + 30_000 }, (err, res) => (err ? reject(err) : resolve(res!))),
    );
  } catch (err) {
    if ((err as grpc.ServiceError).code === grpc.status.NOT_FOUND) return undefined; // nothing acknowledged yet (or expired)
    throw describeGrpcError('GetUploadStatus', err);
  }
}

/** One UploadObject stream: the manifest, then each file from its acknowledged byte on. */
async function stream(client: DepositServiceClient, manifest: UploadObjectRequest, sources: SourceFile[], chunkBytes: number): Promise<UploadObjectResponse> {
  let call!: grpc.ClientWritableStream<UploadObjectRequest>;
  const done = new Promise<UploadObjectResponse>((resolve, reject) => {
    call = client.uploadObject(new grpc.Metadata(), (err, res) => (err ? reject(describeGrpcError('UploadObject', err)) : resolve(res!)));
  });
  done.catch(() => undefined);
  call.write(manifest);
  const sending = sendFiles(call, sources, chunkBytes).then(
    () => call.end(),
    (err: Error) => {
      call.cancel();
      throw err;
    },
  );
  sending.catch(() => undefined);
  // The service may refuse before every chunk is written (a manifest over a limit): its status comes first then.
  return Promise.race([done, sending.then(() => done)]);
}

/** The same object from the same files: a changed file (size or time) would mix two versions' bytes in one upload. */
const sameUpload = (s: UploadState, w: Pick<UploadState, 'manifest' | 'files'>) => JSON.stringify([s.manifest, s.files]) === JSON.stringify([w.manifest, w.files]);

export async function upload(args: string[]): Promise<number> {
  let values;
  let positionals;
  try {
    ({ values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { type: { type: 'string', default: 'software' }, name: { type: 'string' }, version: { type: 'string', default: '' }, target: { type: 'string' }, json: { type: 'boolean', default: false }, 'chunk-bytes': { type: 'string', default: String(1024 * 1024) } },
    }));
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${UPLOAD_USAGE}`);
  }
  if (positionals.length !== 1) throw new UsageError(UPLOAD_USAGE);
  const objectType = TYPES[values.type];
  if (!objectType) throw new UsageError(`--type must be one of ${Object.keys(TYPES).join(', ')}`);
  const chunkBytes = Number(values['chunk-bytes']);
  if (!Number.isInteger(chunkBytes) || chunkBytes < 1 || chunkBytes > MAX_CHUNK) throw new UsageError(`--chunk-bytes must be a whole number from 1 to ${MAX_CHUNK}`);

  const skipped: string[] = [];
  const files: TreeFile[] = walkDirectory(positionals[0]!, skipped);
  for (const s of skipped) process.stderr.write(`skipped (not a regular file): ${s}\n`);
  const dir = realpathSync(positionals[0]!);
  if (files.length === 0) throw new UsageError(`${positionals[0]} holds no files to deposit`);
  const title = (values.name ?? basename(dir)).trim();
  const target = values.target ?? loadConfig().addresses.deposit;

  const path = statePath(dir);
  const wanted = { manifest: { type: values.type, title, version: values.version }, files: files.map((f) => ({ path: f.path, size: f.size, mtimeMs: f.mtimeMs })) };
  let state = readState(path);
  if (state && !sameUpload(state, wanted)) {
    process.stderr.write(`${dir} (or the name, type or version) changed since upload ${state.uploadId} was interrupted: starting a new upload\n`);
    state = undefined;
  }
  state ??= { dir, target, uploadId: newUploadId(title), ...wanted };
  writeState(path, state);

  const client = clientFor(FastDepositServiceClient, target);
  const status = await uploadStatus(client, state.uploadId);
  const total = files.reduce((n, f) => n + f.size, 0);
  let object = status;
  let acknowledged = total;
  if (status?.state !== DepositObject_State.STATE_STORED) {
    const acked = new Map(status?.files.map((f) => [f.path, f.receivedBytes]) ?? []);
    const sources = files.map((f) => ({ path: f.path, file: f.file, size: f.size, from: acked.get(f.path) ?? 0 }));
    acknowledged = sources.reduce((n, f) => n + f.from, 0);
    process.stderr.write(
      acknowledged > 0
        ? `resuming objects/${state.uploadId}: ${acknowledged} of ${total} bytes were acknowledged, sending the other ${total - acknowledged}\n`
        : `uploading ${files.length} files (${total} bytes) as objects/${state.uploadId}\n`,
    );
    const manifest = { manifest: { uploadId: state.uploadId, objectType, title, version: values.version, files: files.map((f) => ({ path: f.path, sizeBytes: f.size })) } };
    object = (await stream(client, manifest, sources, chunkBytes)).object;
  }
  rmSync(path, { force: true });

  const o = object!;
  const result = {
    object: o.name,
    merkle_root: Buffer.from(o.merkleRoot).toString('hex'),
    file_count: Number(o.fileCount),
    total_size_bytes: Number(o.totalSizeBytes),
    sent_bytes: total - acknowledged,
    resumed_from_bytes: acknowledged,
    complete: o.check?.complete ?? false,
    conformant: o.check?.conformant ?? false,
    findings: o.check?.findings ?? [],
  };
  if (values.json) {
    process.stdout.write(JSON.stringify(result) + '\n');
  } else {
    process.stdout.write(`uploaded ${result.object}: ${result.file_count} files, ${result.total_size_bytes} bytes, Merkle root ${result.merkle_root}\n`);
    if (result.complete && result.conformant) process.stdout.write(`check: complete, and conformant to the declared type (${values.type})\n`);
    else for (const f of result.findings) process.stdout.write(`check: ${f}\n`);
    process.stdout.write(`name ${result.object} in the deposit application; 'ruqsat deposit verify ${result.object} DIR' checks a copy against it\n`);
  }
  return 0;
}
