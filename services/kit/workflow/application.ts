// What an application must carry for its definition: applicant kind, sub-kinds, fee reference, attachments.
import type { FieldViolation } from '../errors.ts';
import type { ApplicantKind, ServiceDefinition } from './definition.ts';

export interface ApplicationInput {
  applicantKind: ApplicantKind;
  /** A9: a subset of the definition's sub-kinds. */
  subKinds?: string[];
  /** ЭҮТШ payment reference for the licence fee (лицензиялық алым). */
  paymentReference?: string;
  /** Id of an attached scan of a paper receipt (түбіртек), when the fee was paid on paper. */
  receiptScan?: string;
  /** Ids of the attachments present, e.g. 'qualification_requirements_form'. */
  attachments?: string[];
}

export function applicationViolations(def: ServiceDefinition, app: ApplicationInput): FieldViolation[] {
  const out: FieldViolation[] = [];
  if (!def.applicantKinds.includes(app.applicantKind)) {
    out.push({ field: 'applicant_kind', description: `${def.id} accepts ${def.applicantKinds.join(' or ')}, not '${app.applicantKind}'` });
  }
  const offered = new Set(def.subKinds.map((k) => k.id));
  const chosen = app.subKinds ?? [];
  if (offered.size > 0 && chosen.length === 0) out.push({ field: 'sub_kinds', description: `choose at least one of ${[...offered].join(', ')}` });
  for (const k of chosen) if (!offered.has(k)) out.push({ field: 'sub_kinds', description: `'${k}' is not a sub-kind of ${def.id}` });
  if (new Set(chosen).size !== chosen.length) out.push({ field: 'sub_kinds', description: 'a sub-kind is listed twice' });
  if (def.fees.paymentReferenceRequired && !app.paymentReference?.trim() && !(def.fees.receiptScanAccepted && app.receiptScan?.trim())) {
    out.push({ field: 'payment_reference', description: 'the licence fee payment reference (or a scanned receipt) is required' });
  }
  const present = new Set(app.attachments ?? []);
  for (const a of def.requiredAttachments) {
    if (!present.has(a.id)) out.push({ field: 'attachments', description: `'${a.id}' (${a.title}) is required` });
  }
  return out;
}
