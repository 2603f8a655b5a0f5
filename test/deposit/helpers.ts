// A deposit client for tests: upload streams, and a small project on disk.
import * as grpc from '@grpc/grpc-js';
import { createHash } from 'node:crypto';
import { DepositServiceClient, ObjectType, type UploadObjectRequest, type UploadObjectResponse, type VerifyDepositFilesRequest, type VerifyDepositResponse } from '../../gen/ruqsat/deposit/v1/deposit.ts';

export const sha = (b: Uint8Array) => createHash('sha256').update(b).digest();

export interface ProjectFile {
  path: string;
  data: Buffer;
}

/** A program-code project: sources, a document and an empty file, a few sizes around the chunk size. */
export function project(seed = 1): ProjectFile[] {
  const bytes = (n: number, s: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + s * 7 + (i >> 8)) & 0xff));
  return [
    { path: 'src/main.c', data: Buffer.from(`int main(void) { return ${seed}; }\n`) },
    { path: 'src/lib/crypto.c', data: bytes(300_000, seed) },
    { path: 'docs/README.md', data: Buffer.from('# Deposit test project\n') },
    { path: 'assets/blob.bin', data: bytes(70_001, seed + 1) },
    { path: 'empty', data: Buffer.alloc(0) },
  ];
}

export const manifestOf = (uploadId: string, files: ProjectFile[], objectType = ObjectType.OBJECT_TYPE_PROGRAM_CODE): UploadObjectRequest => ({
  manifest: { uploadId, objectType, title: 'Test project', version: '1.0', files: files.map((f) => ({ path: f.path, sizeBytes: f.data.length })) },
});

/** Chunks of `size` bytes for every file from byte `from[path]` on. */
export function chunksOf(files: ProjectFile[], size = 64 * 1024, from: Record<string, number> = {}): UploadObjectRequest[] {
  const out: UploadObjectRequest[] = [];
  for (const f of files) {
    for (let off = from[f.path] ?? 0; off < f.data.length; off += size) {
      const data = f.data.subarray(off, off + size);
      out.push({ chunk: { path: f.path, offset: off, data, sha256: sha(data) } });
    }
  }
  return out;
}

export interface Upload {
  call: grpc.ClientWritableStream<UploadObjectRequest>;
  done: Promise<UploadObjectResponse>;
}

export function openUpload(client: DepositServiceClient, deadlineMs = 60_000): Upload {
  let call!: grpc.ClientWritableStream<UploadObjectRequest>;
  const done = new Promise<UploadObjectResponse>((resolve, reject) => {
    call = client.uploadObject(new grpc.Metadata(), { deadline: Date.now() + deadlineMs }, (err, res) => (err ? reject(err) : resolve(res!)));
  });
  done.catch(() => undefined);
  return { call, done };
}

/** Sends `messages` (waiting for the transport when it pushes back), half-closes, and awaits the response. */
export async function upload(client: DepositServiceClient, messages: UploadObjectRequest[]): Promise<UploadObjectResponse> {
  const { call, done } = openUpload(client);
  for (const m of messages) {
    if (!call.write(m)) await new Promise((r) => call.once('drain', r));
  }
  call.end();
  return done;
}

/** A VerifyDepositFiles stream: the deposit, then `files` in chunks of `size` bytes (an empty file as one empty chunk). */
export function verifyMessages(deposit: string, files: ProjectFile[], size = 64 * 1024): VerifyDepositFilesRequest[] {
  const out: VerifyDepositFilesRequest[] = [{ deposit }];
  for (const f of files) {
    if (f.data.length === 0) out.push({ chunk: { path: f.path, offset: 0, data: Buffer.alloc(0), sha256: Buffer.alloc(0) } });
    for (let off = 0; off < f.data.length; off += size) out.push({ chunk: { path: f.path, offset: off, data: f.data.subarray(off, off + size), sha256: Buffer.alloc(0) } });
  }
  return out;
}

export async function verifyFiles(client: DepositServiceClient, messages: VerifyDepositFilesRequest[]): Promise<VerifyDepositResponse> {
  let call!: grpc.ClientWritableStream<VerifyDepositFilesRequest>;
  const done = new Promise<VerifyDepositResponse>((resolve, reject) => {
    call = client.verifyDepositFiles(new grpc.Metadata(), { deadline: Date.now() + 60_000 }, (err, res) => (err ? reject(err) : resolve(res!)));
  });
  done.catch(() => undefined);
  for (const m of messages) {
    if (!call.write(m)) await new Promise((r) => call.once('drain', r));
  }
  call.end();
  return done;
}
