// Typed view over the core's DER tokenizer: the core validates and locates, TypeScript reads fields.
import { core, copyIn, mem } from './wasm.ts';
import { malformed } from './codes.ts';

const DER_ERRORS = ['', 'truncated', 'indefinite length', 'non-minimal length', 'trailing bytes', 'bad tag',
  'non-minimal integer', 'too many elements', 'nested too deeply', 'bad primitive value', 'unknown critical entry extension',
  'missing, extra or mistyped field', 'bad version', 'outer signatureAlgorithm differs from the signed one',
  'duplicate extension', 'bad time', 'empty extensions or explicit critical FALSE'];

export function derError(code: number): string {
  return DER_ERRORS[code] ?? `DER error ${code}`;
}

export const TAG = {
  BOOLEAN: 0x01, INTEGER: 0x02, BIT_STRING: 0x03, OCTET_STRING: 0x04, NULL: 0x05, OID: 0x06, ENUMERATED: 0x0a,
  UTF8: 0x0c, PRINTABLE: 0x13, T61: 0x14, IA5: 0x16, UTC_TIME: 0x17, GENERALIZED_TIME: 0x18,
  UNIVERSAL: 0x1c, BMP: 0x1e, SEQUENCE: 0x30, SET: 0x31,
} as const;

/** One decoded DER tree; node i is described by five u32 words (tag, header, content, length, end index). */
export class Der {
  constructor(
    readonly bytes: Uint8Array,
    private readonly n: Uint32Array,
  ) {}

  get count(): number {
    return this.n.length / 5;
  }
  tag(i: number): number {
    return this.n[i * 5];
  }
  /** Content bytes of node i. */
  content(i: number): Uint8Array {
    const off = this.n[i * 5 + 2];
    return this.bytes.subarray(off, off + this.n[i * 5 + 3]);
  }
  /** Whole encoding (header + content) of node i. */
  raw(i: number): Uint8Array {
    return this.bytes.subarray(this.n[i * 5 + 1], this.n[i * 5 + 2] + this.n[i * 5 + 3]);
  }
  children(i: number): number[] {
    const out: number[] = [];
    for (let j = i + 1; j < this.n[i * 5 + 4]; j = this.n[j * 5 + 4]) out.push(j);
    return out;
  }
  /** Children of node i, requiring an exact tag; throws MALFORMED otherwise. */
  expect(i: number, tag: number, what: string): number {
    if (i === undefined || this.tag(i) !== tag) malformed(`${what}: expected tag 0x${tag.toString(16)}`);
    return i;
  }
}

/** Tokenizes one complete DER element (no trailing bytes); maxDepth bounds how far it expands (default:
 * fully, up to the core's nesting limit of 64, beyond which the input is malformed). */
export function parseDer(bytes: Uint8Array, maxDepth = 0xffffffff): Der {
  const inPtr = copyIn(bytes);
  // Every element takes ≥ 2 bytes, so len/2+1 nodes always suffice; try a small buffer first.
  const full = (bytes.length >>> 1) + 1;
  let cap = Math.min(full, 1024);
  let outPtr = core.alloc(cap * 20);
  try {
    let count = core.walk(inPtr, bytes.length, outPtr, cap, maxDepth);
    if (count === -7 && cap < full) {
      core.free(outPtr);
      cap = full;
      outPtr = core.alloc(cap * 20);
      count = core.walk(inPtr, bytes.length, outPtr, cap, maxDepth);
    }
    if (count < 0) malformed(`DER: ${derError(-count)}`);
    const words = new Uint32Array(count * 5);
    words.set(new Uint32Array(mem().buffer, outPtr, count * 5));
    return new Der(bytes, words);
  } finally {
    core.free(outPtr);
    core.free(inPtr);
  }
}

export function readBoolean(d: Der, i: number): boolean {
  return d.content(i)[0] === 0xff;
}

/** Non-negative small INTEGER (path lengths, CRL numbers up to 2^53). */
export function readSmallInt(d: Der, i: number, what: string): number {
  const c = d.content(i);
  if (c[0] & 0x80) malformed(`${what}: negative`);
  if (c.length > 7) malformed(`${what}: too large`);
  let v = 0;
  for (const b of c) v = v * 256 + b;
  return v;
}

/** INTEGER as bigint (CRL numbers may use up to 20 octets). */
export function readBigInt(d: Der, i: number): bigint {
  const c = d.content(i);
  let v = 0n;
  for (const b of c) v = (v << 8n) | BigInt(b);
  if (c.length && c[0] & 0x80) v -= 1n << BigInt(c.length * 8);
  return v;
}

/** BIT STRING content without its unused-bits octet, plus that count. */
export function readBits(d: Der, i: number): { bytes: Uint8Array; unused: number } {
  const c = d.content(i);
  return { bytes: c.subarray(1), unused: c[0] };
}
