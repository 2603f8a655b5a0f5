// Byte-level helpers shared by the PKI encoders: integers, PEM armour, and raw DER slices that must be hashed or echoed exactly.
import { AsnConvert } from '@peculiar/asn1-schema';

export class DerError extends Error {}

/** A fresh ArrayBuffer holding exactly these bytes (peculiar wants ArrayBuffer, not a view into a larger buffer). */
export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const out = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(out).set(bytes);
  return out;
}

export const bytes = (buffer: ArrayBuffer | ArrayBufferView): Uint8Array =>
  buffer instanceof ArrayBuffer ? new Uint8Array(buffer.slice(0)) : new Uint8Array(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength));

/** Parses DER and insists it re-encodes to the same bytes, so Names and SPKIs are copied exactly (and were DER). */
export function parseExact<T>(input: Uint8Array, type: new () => T, what: string): T {
  let value: T;
  try {
    value = AsnConvert.parse(toArrayBuffer(input), type);
  } catch (e) {
    throw new DerError(`${what} is not valid DER: ${(e as Error).message}`);
  }
  if (!Buffer.from(der(value)).equals(Buffer.from(input))) throw new DerError(`${what} is not DER (it does not re-encode identically)`);
  return value;
}

/** Serializes a peculiar schema object to DER bytes. */
export const der = (value: unknown): Uint8Array => new Uint8Array(AsnConvert.serialize(value));

/** Contents octets of a non-negative INTEGER in minimal two's complement (a leading 0x00 when the top bit is set). */
function unsignedContents(value: bigint, maxOctets: number): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  if (parseInt(hex.slice(0, 2), 16) & 0x80) hex = '00' + hex;
  const out = Buffer.from(hex, 'hex');
  // RFC 5280 §4.1.2.2 and §5.2.3: conforming users need not handle serials or CRL numbers longer than 20 octets.
  if (out.length > maxOctets) throw new DerError(`integer longer than ${maxOctets} octets`);
  return out;
}

/** Serial numbers: positive (RFC 5280 §4.1.2.2), as INTEGER contents octets. */
export function positiveIntegerBytes(value: bigint, maxOctets = 20): ArrayBuffer {
  if (value <= 0n) throw new DerError('serial numbers must be positive');
  return toArrayBuffer(unsignedContents(value, maxOctets));
}

/** A whole DER INTEGER TLV for 0..MAX values such as CRLNumber (peculiar's CRLNumber is a JS number, too small). */
export function unsignedIntegerDer(value: bigint, maxOctets = 20): Uint8Array {
  if (value < 0n) throw new DerError('CRL numbers are non-negative');
  const c = unsignedContents(value, maxOctets);
  return new Uint8Array([0x02, c.length, ...c]);
}

/** Reads INTEGER contents octets as a (possibly negative) bigint. */
export function integerFromBytes(contents: ArrayBuffer | Uint8Array): bigint {
  const b = contents instanceof Uint8Array ? contents : new Uint8Array(contents);
  if (b.length === 0) throw new DerError('empty INTEGER');
  let v = BigInt('0x' + Buffer.from(b).toString('hex'));
  if (b[0] & 0x80) v -= 1n << BigInt(b.length * 8);
  return v;
}

/** Drops milliseconds: RFC 5280 times carry whole seconds, and DER forbids trailing fractional zeros. */
export function wholeSeconds(date: Date): Date {
  if (Number.isNaN(date.getTime())) throw new DerError('invalid date');
  // UTCTime covers 1950–2049 and GeneralizedTime here has four year digits (RFC 5280 §4.1.2.5).
  if (date.getUTCFullYear() < 1950 || date.getUTCFullYear() > 9999) throw new DerError('date outside 1950..9999');
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

export function toPem(derBytes: Uint8Array, label: string): string {
  const b64 = Buffer.from(derBytes).toString('base64').replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${b64}-----END ${label}-----\n`;
}

/** The first PEM block's bytes (any label), or undefined when the text has none. */
export function fromPem(text: string): Uint8Array | undefined {
  const m = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/.exec(text);
  return m ? new Uint8Array(Buffer.from(m[2].replace(/\s+/g, ''), 'base64')) : undefined;
}

export interface Tlv { tag: number; start: number; contentStart: number; end: number }

/** One DER TLV at offset (single-byte tags, definite lengths only, as DER requires). */
export function readTlv(buf: Uint8Array, offset: number): Tlv {
  if (offset + 2 > buf.length) throw new DerError('truncated DER');
  const tag = buf[offset];
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte tags are not used here');
  let len = buf[offset + 1];
  let pos = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || pos + n > buf.length) throw new DerError('bad DER length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[pos + i];
    pos += n;
  }
  if (pos + len > buf.length) throw new DerError('DER value runs past its container');
  return { tag, start: offset, contentStart: pos, end: pos + len };
}

/** The child TLVs of a constructed value. */
export function children(buf: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let pos = parent.contentStart; pos < parent.end; ) {
    const t = readTlv(buf, pos);
    out.push(t);
    pos = t.end;
  }
  return out;
}

export const slice = (buf: Uint8Array, t: Tlv): Uint8Array => buf.slice(t.start, t.end);

/** The whole input must be exactly one TLV (no trailing bytes). */
export function single(buf: Uint8Array): Tlv {
  const t = readTlv(buf, 0);
  if (t.end !== buf.length) throw new DerError('trailing bytes after DER value');
  return t;
}

/** A DER TLV around already-encoded contents (definite, minimal length). */
export function tlv(tag: number, ...contents: Uint8Array[]): Uint8Array {
  const len = contents.reduce((n, c) => n + c.length, 0);
  const lenBytes: number[] = [];
  for (let n = len; n > 0; n = Math.floor(n / 256)) lenBytes.unshift(n % 256);
  const header = len < 0x80 ? [tag, len] : [tag, 0x80 | lenBytes.length, ...lenBytes];
  const out = new Uint8Array(header.length + len);
  out.set(header, 0);
  let pos = header.length;
  for (const c of contents) { out.set(c, pos); pos += c.length; }
  return out;
}

/** SEQUENCE { tbs, signatureAlgorithm, BIT STRING signature }: the signed envelope shared by certificates, CRLs and OCSP responses. */
export const signedSequence = (tbs: Uint8Array, algorithm: Uint8Array, signature: Uint8Array): Uint8Array =>
  tlv(0x30, tbs, algorithm, tlv(0x03, new Uint8Array([0]), signature));
