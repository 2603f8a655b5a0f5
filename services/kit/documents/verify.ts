// Offline verification of a signed Ruqsat document (permit, licence, …): the signature over the exact bytes, the
// signatory's chain to the Root CA with revocation, the signatory's role, then the document itself. Pure: the
// trust core, no database. Each document kind supplies its decoder.
import { parseCertificate, type Certificate, type TrustStore, type VerifyResult } from '../../../core-wasm/src/index.ts';
import type { SignedEnvelope } from '../../../gen/ruqsat/common/v1/common.ts';
import type { FieldViolation } from '../errors.ts';
import { iinOf, policiesOf, signatureMatches } from '../signed.ts';

/** Why a signed document fails, in the order they are checked. */
export type DocumentFailure = 'MALFORMED' | 'BAD_SIGNATURE' | 'CHAIN_INVALID' | 'SIGNATORY_REVOKED' | 'NOT_SIGNATORY' | 'SIGNATORY_MISMATCH' | 'MALFORMED_DOCUMENT';

export type Decoded<D> = { ok: true; document: D; json: string } | { ok: false; violations: FieldViolation[]; json: string };

export interface DocumentVerification<D> {
  ok: boolean;
  /** OK, one of DocumentFailure; `detail` carries the trust core's own code for chain failures. */
  code: 'OK' | DocumentFailure;
  detail: string;
  message: string;
  chain: Certificate[];
  revocation?: VerifyResult['revocation'];
  document?: D;
  json: string;
}

export interface VerifyDocumentOptions {
  /** CA certificates to complete a chain the envelope carries short. */
  intermediates?: readonly Certificate[];
  time?: Date;
  /** The role policy OID the signing certificate must carry (e.g. trust's official_signatory); unset skips the check. */
  signatoryPolicy?: string;
}

export interface DocumentKind<D> {
  decode(payload: Uint8Array): Decoded<D>;
  /** The signatory's IIN the document names, when it names one: it must be the signing certificate's. */
  signatoryIin?(document: D): string | undefined;
}

export function verifySignedDocument<D>(core: TrustStore, envelope: SignedEnvelope, kind: DocumentKind<D>, options: VerifyDocumentOptions = {}): DocumentVerification<D> {
  const decoded = kind.decode(envelope.payload);
  const json = decoded.json;
  const fail = (code: DocumentFailure, message: string, extra: Partial<DocumentVerification<D>> = {}): DocumentVerification<D> => ({ ok: false, code, detail: code, message, chain: [], json, ...extra });
  if (envelope.payload.length === 0 || envelope.signature.length === 0 || envelope.certificateChain.length === 0) return fail('MALFORMED', 'the envelope needs a payload, a signature and the signatory\u2019s certificate');
  let signer: Certificate;
  let carried: Certificate[];
  try {
    [signer, ...carried] = envelope.certificateChain.map((c) => parseCertificate(c)) as [Certificate, ...Certificate[]];
  } catch (err) {
    return fail('MALFORMED', `a certificate in the chain cannot be read: ${(err as Error).message}`);
  }
  if (!signatureMatches(signer.spki, envelope.payload, envelope.signature)) return fail('BAD_SIGNATURE', 'the signature does not match the document and the signatory\u2019s key');
  const result = core.verify(signer, { intermediates: [...carried, ...(options.intermediates ?? [])], time: options.time, crlCheck: 'all' });
  if (!result.ok) {
    const code = result.code === 'REVOKED' && (result.depth ?? 0) === 0 ? 'SIGNATORY_REVOKED' : 'CHAIN_INVALID';
    return { ...fail(code, `the signatory\u2019s certificate: ${result.message}`), detail: result.code, chain: result.chain, revocation: result.revocation };
  }
  if (options.signatoryPolicy && !policiesOf(signer).includes(options.signatoryPolicy)) {
    return fail('NOT_SIGNATORY', 'the signing certificate is not an authorized signatory\u2019s (official_signatory policy)', { chain: result.chain });
  }
  if (!decoded.ok) return fail('MALFORMED_DOCUMENT', decoded.violations.map((v) => `${v.field}: ${v.description}`).join('; '), { chain: result.chain });
  const named = kind.signatoryIin?.(decoded.document);
  if (named !== undefined && iinOf(signer) !== named) {
    return fail('SIGNATORY_MISMATCH', 'the document names another signatory than the signing certificate', { chain: result.chain, document: decoded.document });
  }
  return { ok: true, code: 'OK', detail: 'OK', message: 'ok', chain: result.chain, document: decoded.document, json };
}
