// Benchmark PKI built in-process (a minimal DER writer + node:crypto signing), so 1,000 leaves and a
// 1,000,000-entry CRL take seconds instead of minutes of openssl invocations.
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

export type BenchAlg = 'ed25519' | 'p256';

function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag]), len(body.length), body]);
}

export const seq = (...p: Buffer[]) => tlv(0x30, ...p);

export function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const out = [a * 40 + b];
  for (const n of rest) {
    const groups: number[] = [];
    for (let v = n; ; v = Math.floor(v / 128)) {
      groups.unshift(v & 0x7f);
      if (v < 128) break;
    }
    out.push(...groups.map((g, i) => (i < groups.length - 1 ? g | 0x80 : g)));
  }
  return tlv(0x06, Buffer.from(out));
}

/** Minimal positive INTEGER from a non-negative number. */
export function int(n: number): Buffer {
  const bytes: number[] = [];
  for (let v = n; ; v = Math.floor(v / 256)) {
    bytes.unshift(v & 0xff);
    if (v < 256) break;
  }
  if (bytes[0] & 0x80) bytes.unshift(0);
  return tlv(0x02, Buffer.from(bytes));
}

export function time(seconds: number): Buffer {
  const s = new Date(seconds * 1000).toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
  return tlv(0x18, Buffer.from(s));
}

export const name = (cn: string) => seq(tlv(0x31, seq(oid('2.5.4.10'), tlv(0x0c, Buffer.from('Ruqsat')))), tlv(0x31, seq(oid('2.5.4.3'), tlv(0x0c, Buffer.from(cn)))));

export function ext(id: string, critical: boolean, value: Buffer): Buffer {
  return seq(oid(id), ...(critical ? [tlv(0x01, Buffer.from([0xff]))] : []), tlv(0x04, value));
}

export interface Key {
  alg: BenchAlg;
  privateKey: KeyObject;
  spki: Buffer;
  keyId: Buffer;
}

export function newKey(alg: BenchAlg): Key {
  const kp = alg === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = kp.publicKey.export({ type: 'spki', format: 'der' });
  return { alg, privateKey: kp.privateKey, spki, keyId: spki.subarray(spki.length - 20) };
}

const sigAlg = (alg: BenchAlg) => seq(oid(alg === 'ed25519' ? '1.3.101.112' : '1.2.840.10045.4.3.2'));

function signed(tbs: Buffer, key: Key): Buffer {
  const sig = key.alg === 'ed25519' ? sign(null, tbs, key.privateKey) : sign('sha256', tbs, { key: key.privateKey, dsaEncoding: 'der' });
  return seq(tbs, sigAlg(key.alg), tlv(0x03, Buffer.from([0]), sig));
}

export interface CertSpec {
  serial: number;
  issuer: string;
  subject: string;
  key: Key;
  signer: Key;
  ca: boolean;
  notBefore: number;
  notAfter: number;
}

export function certificate(s: CertSpec): Buffer {
  const exts = [
    ext('2.5.29.19', true, s.ca ? seq(tlv(0x01, Buffer.from([0xff]))) : seq()),
    ext('2.5.29.15', true, tlv(0x03, s.ca ? Buffer.from([1, 0x06]) : Buffer.from([7, 0x80]))),
    ext('2.5.29.14', false, tlv(0x04, s.key.keyId)),
    ext('2.5.29.35', false, seq(tlv(0x80, s.signer.keyId))),
  ];
  const tbs = seq(tlv(0xa0, int(2)), int(s.serial), sigAlg(s.signer.alg), name(s.issuer), seq(time(s.notBefore), time(s.notAfter)),
    name(s.subject), s.key.spki, tlv(0xa3, seq(...exts)));
  return signed(tbs, s.signer);
}

/** A CRL revoking serials first..first+count-1 (every tenth with reason keyCompromise). */
export function crl(issuer: string, signer: Key, first: number, count: number, thisUpdate: number, nextUpdate: number): Buffer {
  const date = time(thisUpdate - 86400);
  const reason = ext('2.5.29.21', false, tlv(0x0a, Buffer.from([1])));
  const entries: Buffer[] = [];
  for (let i = 0; i < count; i++) entries.push(seq(int(first + i), date, ...(i % 10 === 0 ? [seq(reason)] : [])));
  const exts = seq(ext('2.5.29.20', false, int(1)), ext('2.5.29.35', false, seq(tlv(0x80, signer.keyId))));
  const tbs = seq(int(1), sigAlg(signer.alg), name(issuer), time(thisUpdate), time(nextUpdate), tlv(0x30, Buffer.concat(entries)), tlv(0xa0, exts));
  return signed(tbs, signer);
}

export function pem(label: string, der: Buffer): string {
  return `-----BEGIN ${label}-----\n${der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END ${label}-----\n`;
}
