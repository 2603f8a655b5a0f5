// X.501 Names for subjects and issuers of registration certificates (тіркеу куәлігі), one attribute per RDN.
import { AsnConvert } from '@peculiar/asn1-schema';
import { AttributeTypeAndValue, AttributeValue, Name, RelativeDistinguishedName } from '@peculiar/asn1-x509';
import { readTlv, toArrayBuffer } from './der.ts';

export interface NameAttribute { type: string; value: string }

export class NameError extends Error {}

// Short names as OpenSSL prints them; SN is surname and GN given name, as on NCA RK certificates.
export const NAME_OIDS: Readonly<Record<string, string>> = {
  CN: '2.5.4.3', SN: '2.5.4.4', SERIALNUMBER: '2.5.4.5', C: '2.5.4.6', L: '2.5.4.7', ST: '2.5.4.8',
  O: '2.5.4.10', OU: '2.5.4.11', GN: '2.5.4.42', E: '1.2.840.113549.1.9.1', DC: '0.9.2342.19200300.100.1.25',
};
const SHORT_NAMES = new Map(Object.entries(NAME_OIDS).map(([k, v]) => [v, k]));

// X.520 and PKCS#9 fix these syntaxes; everything else is UTF8String (RFC 5280 §4.1.2.6 MUST for new certificates).
const PRINTABLE = new Set(['C', 'SERIALNUMBER']);
const IA5 = new Set(['E', 'DC']);
const PRINTABLE_CHARS = /^[A-Za-z0-9 '()+,\-./:=?]*$/;
const OID = /^[0-2](\.(0|[1-9][0-9]*))+$/;

function oidOf(type: string): string {
  const oid = NAME_OIDS[type.toUpperCase()] ?? (OID.test(type) ? type : undefined);
  if (!oid) throw new NameError(`unknown name attribute type "${type}"`);
  return oid;
}

function valueFor(short: string | undefined, value: string): AttributeValue {
  if (value.length === 0) throw new NameError('empty name attribute value');
  if (short === 'C' && !/^[A-Z]{2}$/.test(value)) throw new NameError(`C must be an ISO 3166 alpha-2 code, got "${value}"`);
  if (short && PRINTABLE.has(short)) {
    if (!PRINTABLE_CHARS.test(value)) throw new NameError(`${short} must be a PrintableString`);
    return new AttributeValue({ printableString: value });
  }
  if (short && IA5.has(short)) {
    if (!/^[\x00-\x7f]*$/.test(value)) throw new NameError(`${short} must be an IA5String (ASCII)`);
    return new AttributeValue({ ia5String: value });
  }
  return new AttributeValue({ utf8String: value.normalize('NFC') });
}

/** DER Name with one AttributeTypeAndValue per RDN, in the order given. */
export function encodeName(attrs: NameAttribute[]): Uint8Array {
  const rdns = attrs.map(({ type, value }) => {
    const oid = oidOf(type);
    return new RelativeDistinguishedName([new AttributeTypeAndValue({ type: oid, value: valueFor(SHORT_NAMES.get(oid), value) })]);
  });
  return new Uint8Array(AsnConvert.serialize(new Name(rdns)));
}

// String types peculiar does not map (NumericString, VisibleString, …) arrive raw; their contents are ASCII-compatible.
function rawString(any: ArrayBuffer): string {
  const b = new Uint8Array(any);
  const t = readTlv(b, 0);
  return Buffer.from(b.subarray(t.contentStart, t.end)).toString('utf8');
}

/** Attributes in DER order; a multi-valued RDN contributes each of its values in turn. */
export function decodeName(derBytes: Uint8Array): NameAttribute[] {
  let name: Name;
  try {
    name = AsnConvert.parse(toArrayBuffer(derBytes), Name);
  } catch (e) {
    throw new NameError(`not a DER Name: ${(e as Error).message}`);
  }
  return [...name].flatMap((rdn) => [...rdn].map((atv) => {
    const v = atv.value;
    const value = v.anyValue ? rawString(v.anyValue) : v.ia5String ?? v.toString();
    return { type: SHORT_NAMES.get(atv.type) ?? atv.type, value };
  }));
}

// RFC 4514 §2.4: escape specials anywhere, '#' and space at the start, space at the end.
function escape(value: string): string {
  return value
    .replace(/[\\",+;<>=]/g, (c) => '\\' + c)
    .replace(/^[#\s]/, (c) => '\\' + c)
    .replace(/\s$/, (c) => '\\' + c)
    .replace(/\u0000/g, '\\00');
}

/** RFC 4514 order (last RDN first), e.g. "CN=…, O=…, C=KZ" for a Name encoded C, O, CN; for display only. */
export function formatName(attrs: NameAttribute[]): string {
  return [...attrs].reverse().map(({ type, value }) => `${type}=${escape(value)}`).join(', ');
}
