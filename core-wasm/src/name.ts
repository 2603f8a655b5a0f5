// X.501 names and GeneralNames: raw bytes for comparison, decoded strings for display.
import { Der, TAG, parseDer } from './der.ts';
import { ATTRIBUTE_NAMES, decodeOid } from './oid.ts';
import { malformed } from './codes.ts';

export interface Attribute {
  type: string;
  value: string;
  tag: number;
}

export interface Name {
  /** DER of the whole Name, for exact comparison. */
  raw: Uint8Array;
  rdns: Attribute[][];
  /** RFC 4514 order (last RDN first), e.g. `CN=Leaf, O=Ruqsat, C=KZ`. */
  text: string;
  /** Case- and space-folded form (RFC 5280 §7.1) used to chain issuer to subject. */
  key: string;
  /** Folded RDNs in encoding order, for name-constraint prefix checks. */
  rdnKeys: string[];
}

// UTF8, Numeric, Printable, Teletex, IA5, Visible, Universal and BMP strings are compared as text.
const STRING_TAGS = new Set([TAG.UTF8, 0x12, TAG.PRINTABLE, TAG.T61, TAG.IA5, 0x1a, TAG.UNIVERSAL, TAG.BMP]);

export function decodeString(tag: number, c: Uint8Array): string {
  switch (tag) {
    case TAG.UTF8:
      return new TextDecoder('utf-8', { fatal: false }).decode(c);
    case TAG.BMP: {
      let s = '';
      for (let i = 0; i + 1 < c.length; i += 2) s += String.fromCharCode((c[i] << 8) | c[i + 1]);
      return s;
    }
    case TAG.UNIVERSAL: {
      let s = '';
      for (let i = 0; i + 3 < c.length; i += 4) s += String.fromCodePoint(((c[i] << 24) | (c[i + 1] << 16) | (c[i + 2] << 8) | c[i + 3]) >>> 0 & 0x10ffff);
      return s;
    }
    default:
      return Buffer.from(c).toString('latin1');
  }
}

function escape(v: string): string {
  return v.replace(/([,+"\\<>;])/g, '\\$1').replace(/^([ #])/, '\\$1').replace(/ $/, '\\ ');
}

export function readName(d: Der, i: number): Name {
  d.expect(i, TAG.SEQUENCE, 'Name');
  const rdns: Attribute[][] = [];
  const keys: string[] = [];
  for (const r of d.children(i)) {
    d.expect(r, TAG.SET, 'RDN');
    const set: Attribute[] = [];
    const setKeys: string[] = [];
    const atvs = d.children(r);
    if (atvs.length === 0) malformed('empty RDN');
    for (const a of atvs) {
      d.expect(a, TAG.SEQUENCE, 'AttributeTypeAndValue');
      const [t, v] = d.children(a);
      if (d.children(a).length !== 2) malformed('AttributeTypeAndValue arity');
      const type = decodeOid(d.content(d.expect(t, TAG.OID, 'attribute type')));
      const tag = d.tag(v);
      const text = STRING_TAGS.has(tag as never) ? decodeString(tag, d.content(v)) : '#' + Buffer.from(d.raw(v)).toString('hex');
      set.push({ type, value: text, tag });
      const folded = STRING_TAGS.has(tag as never) ? text.trim().replace(/\s+/g, ' ').toLowerCase() : text;
      setKeys.push(`${type}=${folded}`);
    }
    rdns.push(set);
    keys.push(setKeys.sort().join('+'));
  }
  const text = rdns
    .slice()
    .reverse()
    .map((set) => set.map((a) => `${ATTRIBUTE_NAMES[a.type] ?? a.type}=${escape(a.value)}`).join('+'))
    .join(', ');
  return { raw: d.raw(i), rdns, text, key: keys.join(','), rdnKeys: keys };
}

export type GeneralName =
  | { type: 'dns' | 'email' | 'uri'; value: string }
  | { type: 'ip'; value: string; bytes: Uint8Array }
  | { type: 'dir'; value: string; name: Name }
  | { type: 'other'; tag: number; raw: Uint8Array };

/** The same name, as encoded (directory names by their canonical key). */
export function sameGeneralName(a: GeneralName, b: GeneralName): boolean {
  if (a.type !== b.type) return false;
  if (a.type === 'dir') return a.name.key === (b as typeof a).name.key;
  if (a.type === 'ip') return Buffer.from(a.bytes).equals((b as typeof a).bytes);
  if (a.type === 'other') return a.tag === (b as typeof a).tag && Buffer.from(a.raw).equals((b as typeof a).raw);
  return a.value === (b as typeof a).value;
}

export function formatIp(b: Uint8Array): string {
  if (b.length === 4) return Array.from(b).join('.');
  if (b.length === 16) {
    const words: string[] = [];
    for (let i = 0; i < 16; i += 2) words.push(((b[i] << 8) | b[i + 1]).toString(16));
    return words.join(':');
  }
  return Buffer.from(b).toString('hex');
}

export function readGeneralName(d: Der, i: number): GeneralName {
  const tag = d.tag(i);
  const c = d.content(i);
  switch (tag) {
    case 0x81:
      return { type: 'email', value: Buffer.from(c).toString('latin1') };
    case 0x82:
      return { type: 'dns', value: Buffer.from(c).toString('latin1') };
    case 0x86:
      return { type: 'uri', value: Buffer.from(c).toString('latin1') };
    case 0x87:
      return { type: 'ip', value: formatIp(c), bytes: c };
    case 0xa4: {
      const kids = d.children(i);
      if (kids.length !== 1) malformed('directoryName');
      const name = readName(d, kids[0]);
      return { type: 'dir', value: name.text, name };
    }
    default:
      if ((tag & 0xc0) !== 0x80) malformed('GeneralName: not context-specific');
      return { type: 'other', tag, raw: d.raw(i) };
  }
}

/** GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName, from an extension value. */
export function readGeneralNames(d: Der, i: number, what: string): GeneralName[] {
  d.expect(i, TAG.SEQUENCE, what);
  const kids = d.children(i);
  if (kids.length === 0) malformed(`${what}: empty`);
  return kids.map((k) => readGeneralName(d, k));
}

export function parseGeneralNames(value: Uint8Array, what: string): GeneralName[] {
  return readGeneralNames(parseDer(value), 0, what);
}
