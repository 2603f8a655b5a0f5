// The streaming RPCs' messages without copying file bytes. The generated decoder copies every chunk's data
// (Buffer.from), and the generated encoder grows its buffer by doubling: at 1–2 MiB a chunk, both cost more
// than the transport. These read `data` as a view of the received message and write a chunk with one copy.
import * as grpc from '@grpc/grpc-js';
import { BinaryReader, BinaryWriter } from '@bufbuild/protobuf/wire';
import {
  DepositServiceClient,
  DepositServiceService,
  UploadFinish,
  UploadManifest,
  UploadObjectRequest,
  VerifyDepositFilesRequest,
  type UploadChunk,
} from '../../gen/ruqsat/deposit/v1/deposit.ts';

const LEN = 2; // wire type of length-delimited fields

/** UploadChunk whose `data` and `sha256` are views of `reader`'s buffer. */
function decodeChunk(reader: BinaryReader, length: number): UploadChunk {
  const end = reader.pos + length;
  const chunk: UploadChunk = { path: '', offset: 0, data: Buffer.alloc(0), sha256: Buffer.alloc(0) };
  while (reader.pos < end) {
    const tag = reader.uint32();
    const field = tag >>> 3;
    if (field === 1 && tag === 10) chunk.path = reader.string();
    else if (field === 2 && tag === 16) chunk.offset = safeNumber(reader.int64());
    else if (field === 3 && tag === 26) chunk.data = view(reader.bytes());
    else if (field === 4 && tag === 34) chunk.sha256 = view(reader.bytes());
    else if ((tag & 7) === 4 || tag === 0) break;
    else reader.skip(tag & 7);
  }
  return chunk;
}

const view = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.length);

function safeNumber(v: bigint | string | number): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new Error('an int64 outside the safe integer range');
  return n;
}

export function decodeUploadObjectRequest(bytes: Uint8Array): UploadObjectRequest {
  const reader = new BinaryReader(bytes);
  const message: UploadObjectRequest = { manifest: undefined, chunk: undefined, finish: undefined };
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag === 10) message.manifest = UploadManifest.decode(reader, reader.uint32());
    else if (tag === 18) message.chunk = decodeChunk(reader, reader.uint32());
    else if (tag === 26) message.finish = UploadFinish.decode(reader, reader.uint32());
    else if ((tag & 7) === 4 || tag === 0) break;
    else reader.skip(tag & 7);
  }
  return message;
}

export function decodeVerifyDepositFilesRequest(bytes: Uint8Array): VerifyDepositFilesRequest {
  const reader = new BinaryReader(bytes);
  const message: VerifyDepositFilesRequest = { deposit: undefined, chunk: undefined };
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag === 10) message.deposit = reader.string();
    else if (tag === 18) message.chunk = decodeChunk(reader, reader.uint32());
    else if ((tag & 7) === 4 || tag === 0) break;
    else reader.skip(tag & 7);
  }
  return message;
}

/**
 * A chunk message of either stream (field 2 in both), with `data` copied once. Messages without a chunk are
 * encoded by the generated code.
 */
export function encodeChunkMessage(chunk: UploadChunk): Buffer {
  const tail = chunk.sha256.length > 0 ? new BinaryWriter().uint32(34).bytes(chunk.sha256).finish() : new Uint8Array(0);
  const head = chunkHead(chunk.path, chunk.offset, chunk.data.length, tail.length);
  return Buffer.concat([head, chunk.data, tail], head.length + chunk.data.length + tail.length);
}

/** The bytes of a chunk message before its `length` data bytes (and a `tailLength`-byte field after them). */
export function chunkHead(path: string, offset: number, length: number, tailLength = 0): Uint8Array {
  const head = new BinaryWriter().uint32(10).string(path).uint32(16).int64(offset);
  if (length > 0) head.uint32(26).uint32(length);
  const headBytes = head.finish();
  const outer = new BinaryWriter().uint32((2 << 3) | LEN).uint32(headBytes.length + length + tailLength).finish();
  const out = new Uint8Array(outer.length + headBytes.length);
  out.set(outer);
  out.set(headBytes, outer.length);
  return out;
}

/** A message of either stream already encoded by the sender (see send-files.ts): sent as it is. */
export interface Encoded {
  encoded: Uint8Array;
}

const isEncoded = (m: object): m is Encoded => 'encoded' in m;
const serializeUpload = (m: UploadObjectRequest | Encoded): Buffer =>
  isEncoded(m) ? Buffer.from(m.encoded.buffer, m.encoded.byteOffset, m.encoded.length) : m.chunk && !m.manifest && !m.finish ? encodeChunkMessage(m.chunk) : Buffer.from(UploadObjectRequest.encode(m).finish());
const serializeVerify = (m: VerifyDepositFilesRequest | Encoded): Buffer =>
  isEncoded(m) ? Buffer.from(m.encoded.buffer, m.encoded.byteOffset, m.encoded.length) : m.chunk && m.deposit === undefined ? encodeChunkMessage(m.chunk) : Buffer.from(VerifyDepositFilesRequest.encode(m).finish());

/** The service definition with the streaming RPCs' codecs above, for the server and for clients alike. */
export const depositServiceDefinition = {
  ...DepositServiceService,
  uploadObject: { ...DepositServiceService.uploadObject, requestSerialize: serializeUpload, requestDeserialize: (b: Buffer) => decodeUploadObjectRequest(b) },
  verifyDepositFiles: { ...DepositServiceService.verifyDepositFiles, requestSerialize: serializeVerify, requestDeserialize: (b: Buffer) => decodeVerifyDepositFilesRequest(b) },
} satisfies grpc.ServiceDefinition;

/** DepositServiceClient with those codecs: for clients that stream large files (create it with clientFor). */
export const FastDepositServiceClient = grpc.makeGenericClientConstructor(depositServiceDefinition, 'ruqsat.deposit.v1.DepositService') as unknown as typeof DepositServiceClient;
