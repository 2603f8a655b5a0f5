// SHA-256 / SHA-512 computed by the core; inputs are staged in one reusable input block.
import { core, mem } from './wasm.ts';

let inPtr = 0;
let inSize = 0;

function stage(bytes: Uint8Array, extra: number): number {
  const need = bytes.length + extra;
  if (need > inSize) {
    if (inPtr) core.free(inPtr);
    inSize = Math.max(need, 4096);
    inPtr = core.alloc(inSize);
  }
  mem().set(bytes, inPtr);
  return inPtr;
}

export function sha256(bytes: Uint8Array): Uint8Array {
  const p = stage(bytes, 32);
  const out = p + bytes.length;
  core.sha256(p, bytes.length, out);
  return mem().slice(out, out + 32);
}

export function sha512(bytes: Uint8Array): Uint8Array {
  const p = stage(bytes, 64);
  const out = p + bytes.length;
  core.sha512(p, bytes.length, out);
  return mem().slice(out, out + 64);
}

/** Hashes every message in one core call; returns the digests concatenated (32 bytes each). */
export function sha256BatchRaw(messages: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const m of messages) total += m.length;
  const n = messages.length;
  const descOff = (total + 3) & ~3; // Uint32Array views need 4-byte alignment
  const base = stage(new Uint8Array(0), descOff + n * 8 + n * 32);
  const m8 = mem();
  const desc = new Uint32Array(m8.buffer, base + descOff, n * 2);
  let off = 0;
  for (let i = 0; i < n; i++) {
    m8.set(messages[i], base + off);
    desc[2 * i] = off;
    desc[2 * i + 1] = messages[i].length;
    off += messages[i].length;
  }
  const out = base + descOff + n * 8;
  core.sha256Batch(base, base + descOff, n, out);
  return mem().slice(out, out + n * 32);
}

export function sha256Batch(messages: readonly Uint8Array[]): Uint8Array[] {
  const all = sha256BatchRaw(messages);
  return messages.map((_, i) => all.subarray(i * 32, i * 32 + 32));
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');
}
