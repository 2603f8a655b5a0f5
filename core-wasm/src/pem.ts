// PEM armour: a file may hold several PEM blocks or one DER object.

export interface PemBlock {
  label: string;
  der: Uint8Array;
}

const PEM_RE = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

function looksLikePem(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, Math.min(bytes.length, 4096))).toString('latin1');
  return head.includes('-----BEGIN ');
}

export function pemBlocks(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  for (const m of text.matchAll(PEM_RE)) out.push({ label: m[1], der: new Uint8Array(Buffer.from(m[2].replace(/\s+/g, ''), 'base64')) });
  return out;
}

/** DER objects in a buffer or string: every PEM block whose label is in labels, else the bytes as one DER. */
export function derObjects(input: Uint8Array | string, labels: readonly string[]): Uint8Array[] {
  if (typeof input === 'string') return pemBlocks(input).filter((b) => labels.includes(b.label)).map((b) => b.der);
  if (looksLikePem(input)) return derObjects(Buffer.from(input).toString('latin1'), labels);
  return [input];
}

export function singleDer(input: Uint8Array | string, labels: readonly string[], what: string): Uint8Array {
  const all = derObjects(input, labels);
  if (all.length === 0) throw new Error(`no ${what} found`);
  return all[0];
}
