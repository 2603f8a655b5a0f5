// The sending side of UploadObject for large files. Each chunk is read from disk straight into one of a few
// message buffers, after the chunk's encoded head, and the buffer is reused once grpc-js has framed it (the
// write callback): a sender that allocated a fresh buffer per chunk spent more CPU in page faults and the
// collector than the transport itself, and on a shared machine that is CPU the service does not get.
import type * as grpc from '@grpc/grpc-js';
import { open } from 'node:fs/promises';
import type { UploadObjectRequest, VerifyDepositFilesRequest } from '../../gen/ruqsat/deposit/v1/deposit.ts';
import { chunkHead, type Encoded } from './wire.ts';

export interface SourceFile {
  /** The path declared in the manifest. */
  path: string;
  /** Where the bytes are on this machine. */
  file: string;
  size: number;
  /** The first byte to send (what the service already acknowledged, from GetUploadStatus). */
  from?: number;
}

type ChunkStream = grpc.ClientWritableStream<UploadObjectRequest> | grpc.ClientWritableStream<VerifyDepositFilesRequest>;

/** Messages in flight at once: enough to keep the stream busy while the next chunk is read. */
const DEPTH = 4;

/** Writes every file's chunks (from `from`) to `call`; the caller sends what comes before and ends the stream. */
export async function sendFiles(call: ChunkStream, files: SourceFile[], chunkBytes: number): Promise<void> {
  const headRoom = 64 + Math.max(0, ...files.map((f) => Buffer.byteLength(f.path)));
  const free: Buffer[] = Array.from({ length: DEPTH }, () => Buffer.allocUnsafe(headRoom + chunkBytes));
  const waiting: Array<(b: Buffer) => void> = [];
  let failure: Error | undefined;
  const give = (b: Buffer) => (waiting.length > 0 ? waiting.shift()!(b) : free.push(b));
  const take = () => (free.length > 0 ? Promise.resolve(free.pop()!) : new Promise<Buffer>((r) => waiting.push(r)));
  for (const f of files) {
    const handle = await open(f.file, 'r');
    try {
      for (let offset = f.from ?? 0; offset < f.size; ) {
        const buf = await take();
        if (failure) throw failure;
        const length = Math.min(chunkBytes, f.size - offset);
        const head = chunkHead(f.path, offset, length);
        buf.set(head);
        const { bytesRead } = await handle.read(buf, head.length, length, offset);
        if (bytesRead !== length) throw new Error(`${f.file} is shorter than its declared ${f.size} bytes (changed while sending?)`);
        const message: Encoded = { encoded: buf.subarray(0, head.length + length) };
        (call as grpc.ClientWritableStream<Encoded>).write(message, (err?: Error | null) => {
          if (err) failure ??= err;
          give(buf);
        });
        offset += length;
      }
    } finally {
      await handle.close();
    }
  }
  // Every buffer back: all chunks were handed to the transport.
  for (let i = 0; i < DEPTH; i++) await take();
  if (failure) throw failure;
}
