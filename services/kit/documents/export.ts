// The export file of a signed document, for a customs post with no connection: the SignedEnvelope as JSON,
// bytes in standard base64. The document's own "document" field (inside the signed payload) says its kind.
//   {"format":"ruqsat.signed-document","version":1,"payload":"<b64>","signature":"<b64>","certificate_chain":["<b64 DER>", …]}
import type { SignedEnvelope } from '../../../gen/ruqsat/common/v1/common.ts';

export const EXPORT_FORMAT = 'ruqsat.signed-document';

export function exportSignedDocument(envelope: SignedEnvelope): string {
  const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
  return JSON.stringify({ format: EXPORT_FORMAT, version: 1, payload: b64(envelope.payload), signature: b64(envelope.signature), certificate_chain: envelope.certificateChain.map(b64) }, null, 2) + '\n';
}

const B64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The envelope in an export file; throws with what is wrong. */
export function importSignedDocument(text: string): SignedEnvelope {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error('not JSON');
  }
  if (parsed?.format !== EXPORT_FORMAT || parsed.version !== 1) throw new Error(`not a ${EXPORT_FORMAT} v1 file`);
  const bytes = (v: unknown, field: string) => {
    if (typeof v !== 'string' || !B64.test(v)) throw new Error(`${field} must be base64`);
    return Buffer.from(v, 'base64');
  };
  if (!Array.isArray(parsed.certificate_chain)) throw new Error('certificate_chain must be a list');
  return {
    payload: bytes(parsed.payload, 'payload'),
    signature: bytes(parsed.signature, 'signature'),
    certificateChain: parsed.certificate_chain.map((c, i) => bytes(c, `certificate_chain[${i}]`)),
  };
}

/** The kind a signed payload declares ("ruqsat.permit", "ruqsat.licence"), read before any check. */
export function documentKindOf(payload: Uint8Array): string | undefined {
  try {
    const kind = (JSON.parse(Buffer.from(payload).toString('utf8')) as { document?: unknown }).document;
    return typeof kind === 'string' ? kind : undefined;
  } catch {
    return undefined;
  }
}
