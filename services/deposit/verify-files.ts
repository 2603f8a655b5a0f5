// VerifyDepositFiles: the files' bytes arrive one file after another and are hashed in the core as they
// come; only each file's path, size and SHA-256 are kept, so a check costs one hasher however large the files.
import * as grpc from '@grpc/grpc-js';
import { hex, sha256, Sha256 } from '../../core-wasm/src/index.ts';
import type { VerifyDepositFilesRequest } from '../../gen/ruqsat/deposit/v1/deposit.ts';
import { invalidArgument, RuqsatError } from '../kit/errors.ts';
import { MAX_FILES, pathProblem } from './domain/manifest.ts';
import type { SubmittedFile } from './domain/verify.ts';

/** Reads the stream after its first message; returns each file with its size and SHA-256. */
export async function hashStreamedFiles(it: AsyncIterator<VerifyDepositFilesRequest>, maxFileBytes: number): Promise<SubmittedFile[]> {
  const files = new Map<string, SubmittedFile>();
  let current: { path: string; hasher: Sha256 } | undefined;
  const finish = () => {
    if (!current) return;
    const size = current.hasher.length;
    files.set(current.path, { path: current.path, size, sha256: current.hasher.digest() });
    current = undefined;
  };
  try {
    for (let next = await it.next(); !next.done; next = await it.next()) {
      const { deposit, chunk } = next.value;
      if (deposit !== undefined) throw invalidArgument([{ field: 'deposit', description: 'only the first message may name the deposit' }]);
      if (!chunk) throw invalidArgument([{ field: 'content', description: 'a message after the first must hold a chunk' }]);
      if (chunk.path !== current?.path) {
        finish();
        const problem = pathProblem(chunk.path);
        if (problem) throw invalidArgument([{ field: 'chunk.path', description: problem }]);
        if (files.has(chunk.path)) throw invalidArgument([{ field: 'chunk.path', description: `"${chunk.path}" was already sent: a file's chunks must follow one another` }]);
        if (files.size >= MAX_FILES) throw invalidArgument([{ field: 'chunk.path', description: `at most ${MAX_FILES} files` }]);
        current = { path: chunk.path, hasher: new Sha256() };
      }
      const at = current!.hasher.length;
      if (chunk.offset !== at) {
        throw new RuqsatError(grpc.status.OUT_OF_RANGE, 'CHUNK_NOT_CONTIGUOUS', `${chunk.path}: the next chunk must start at byte ${at}, not ${chunk.offset}`, { path: chunk.path });
      }
      if (at + chunk.data.length > maxFileBytes) {
        throw new RuqsatError(grpc.status.RESOURCE_EXHAUSTED, 'FILE_TOO_LARGE', `${chunk.path}: more than the limit of ${maxFileBytes} bytes per file`, { path: chunk.path });
      }
      if (chunk.sha256.length > 0) {
        const digest = sha256(chunk.data);
        if (!Buffer.from(chunk.sha256).equals(Buffer.from(digest))) throw invalidArgument([{ field: 'chunk.sha256', description: `${chunk.path} at byte ${at}: the data's SHA-256 is ${hex(digest)}` }]);
      }
      current!.hasher.update(chunk.data);
    }
    finish();
  } finally {
    current?.hasher.free();
  }
  return [...files.values()];
}
