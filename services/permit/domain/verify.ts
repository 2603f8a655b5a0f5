// Offline verification of a signed permit: the kit's signed-document check with the permit's decoder, and the
// rule that the signing certificate is the signatory's the document names.
import type { TrustStore } from '../../../core-wasm/src/index.ts';
import type { SignedEnvelope } from '../../../gen/ruqsat/common/v1/common.ts';
import { verifySignedDocument, type DocumentKind, type DocumentVerification as Verification, type VerifyDocumentOptions } from '../../kit/documents/verify.ts';
import { decodePermitDocument, type PermitDocument } from './document.ts';

export type { DocumentFailure } from '../../kit/documents/verify.ts';
export type DocumentVerification = Verification<PermitDocument>;

export const PERMIT_KIND: DocumentKind<PermitDocument> = { decode: (payload) => decodePermitDocument(payload), signatoryIin: (d) => d.signatory.iin };

export function verifyPermitEnvelope(core: TrustStore, envelope: SignedEnvelope, options: VerifyDocumentOptions = {}): DocumentVerification {
  return verifySignedDocument(core, envelope, PERMIT_KIND, options);
}
