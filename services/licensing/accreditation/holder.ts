// A centre's own notification (procedures A and C) names its certificate, which it must hold and which must be in force.
import type { Applicant } from '../../kit/cases/signers.ts';
import type { FieldViolation } from '../../kit/errors.ts';
import type { AccreditationStore } from './store.ts';

const ACCREDITATION_NAME = /^accreditations\/([^/]+)$/;

/** The id of the certificate `act.accreditation` names, or a violation pushed onto `v`. */
export async function heldCertificate(store: AccreditationStore, act: Record<string, unknown>, applicant: Applicant, v: FieldViolation[]): Promise<string | undefined> {
  const field = 'application.payload.accreditation';
  const id = typeof act.accreditation === 'string' ? ACCREDITATION_NAME.exec(act.accreditation)?.[1] : undefined;
  const row = id ? await store.accreditation(id) : undefined;
  if (!row) v.push({ field, description: 'names the centre\u2019s certificate, "accreditations/{accreditation}"' });
  else if (row.holder_identifier !== applicant.identifier) v.push({ field, description: 'the certificate is held by another legal entity' });
  else if (row.status !== 'active') v.push({ field, description: `the certificate is ${row.status}` });
  else return id;
  return undefined;
}
