// Loads core.wasm once, synchronously, and moves bytes across linear memory with explicit pointers.
import { readFileSync } from 'node:fs';

export interface CoreExports {
  memory: WebAssembly.Memory;
  alloc(size: number): number;
  free(ptr: number): void;
  walk(base: number, len: number, out: number, cap: number, maxDepth: number): number;
  parseTime(tag: number, ptr: number, len: number): number;
  parseCertificate(ptr: number, len: number, out: number, extCap: number, nodes: number, nodeCap: number): number;
  parseCrl(ptr: number, len: number, out: number, extCap: number): number;
  sha256(ptr: number, len: number, out: number): void;
  sha256Batch(base: number, desc: number, n: number, out: number): void;
  sha256Init(): number;
  sha256Copy(h: number): number;
  sha256Free(h: number): void;
  sha256Update(h: number, ptr: number, len: number): number;
  sha256Final(h: number, out: number): number;
  sha256Save(h: number, out: number): number;
  sha256Load(h: number, ptr: number, len: number): number;
  sha512(ptr: number, len: number, out: number): void;
  tblNew(expected: number): number;
  tblFree(h: number): void;
  tblCount(h: number): number;
  tblBytes(h: number): number;
  tblPut(h: number, ptr: number, len: number, time: number, reason: number): void;
  tblGet(h: number, ptr: number, len: number, out: number): number;
  crlEntries(base: number, len: number, out: number, cap: number, table: number): number;
  verifySigned(ptr: number, len: number, spki: number, spkiLen: number): number;
}

/** The host import the core calls to check a signature: (alg, spki, message, signature) as pointer/length. */
export type SignatureHost = (alg: number, algLen: number, spki: number, spkiLen: number, msg: number, msgLen: number, sig: number, sigLen: number) => number;

let signatureHost: SignatureHost = () => 2;
/** Installed by signature.ts (kept apart so this module has no upward imports). */
export function setSignatureHost(fn: SignatureHost): void {
  signatureHost = fn;
}

const url = new URL('../build/core.wasm', import.meta.url);
const imports = { host: { verifySignature: (...args: Parameters<SignatureHost>) => signatureHost(...args) } };
const instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(url)), imports);

export const core = instance.exports as unknown as CoreExports;

// Growth detaches the old buffer, so the cached view is refreshed whenever the buffer changed.
let view = new Uint8Array(core.memory.buffer);
export function mem(): Uint8Array {
  if (view.buffer !== core.memory.buffer) view = new Uint8Array(core.memory.buffer);
  return view;
}

// Copies bytes into a fresh core block; the caller frees it.
export function copyIn(bytes: Uint8Array): number {
  const ptr = core.alloc(bytes.length);
  mem().set(bytes, ptr);
  return ptr;
}

// A small reusable scratch block for outputs (digests, lookup results) — avoids an alloc per call.
let scratchPtr = 0;
let scratchSize = 0;
export function scratch(size: number): number {
  if (size > scratchSize) {
    if (scratchPtr) core.free(scratchPtr);
    scratchSize = Math.max(size, 256);
    scratchPtr = core.alloc(scratchSize);
  }
  return scratchPtr;
}
