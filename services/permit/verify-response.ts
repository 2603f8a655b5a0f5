// A document verification as the API returns it (VerifyPermitDocumentResponse).
import type { VerifyPermitDocumentResponse } from '../../gen/ruqsat/permit/v1/permit.ts';
import { MovementType, PermitStatus, type Permit } from '../../gen/ruqsat/permit/v1/permit.ts';
import { instantAt } from '../kit/calendar/zone.ts';
import { toParty } from '../kit/party.ts';
import { validityOf, type PermitDocument } from './domain/document.ts';
import type { DocumentVerification } from './domain/verify.ts';

const MOVEMENTS = { import: MovementType.MOVEMENT_TYPE_IMPORT, export: MovementType.MOVEMENT_TYPE_EXPORT, transit: MovementType.MOVEMENT_TYPE_TRANSIT };

/** The document as the register shows a permit; status and remainders are not in a document, only in the register. */
export function permitOfDocument(doc: PermitDocument): Permit {
  const { from, until } = validityOf(doc);
  return {
    name: '',
    number: doc.number,
    kind: doc.kind,
    holder: toParty(doc.holder),
    movementType: doc.movement_type ? MOVEMENTS[doc.movement_type] : MovementType.MOVEMENT_TYPE_UNSPECIFIED,
    status: PermitStatus.PERMIT_STATUS_UNSPECIFIED,
    validFrom: from,
    validUntil: until,
    goods: doc.goods.map((g) => ({ description: g.name, hsCode: g.hs_code, quantity: Number(g.quantity), remainingQuantity: 0, unit: g.unit, manufacturer: g.manufacturer, originCountry: g.origin_country, destinationCountry: g.destination_country })),
    contractReference: doc.contract_reference ?? '',
    issueTime: instantAt(doc.issue_date, 0),
    signatory: `${doc.signatory.name} (IIN${doc.signatory.iin})`,
  };
}

export function documentResponse(v: DocumentVerification): VerifyPermitDocumentResponse {
  return {
    ok: v.ok,
    verification: { ok: v.ok, code: v.code, message: v.detail === v.code ? v.message : `${v.detail}: ${v.message}`, revocationReason: v.revocation?.reasonCode ?? 0, chain: v.chain.map((c) => c.subject.text) },
    documentJson: v.json,
    permit: v.document ? permitOfDocument(v.document) : undefined,
  };
}
