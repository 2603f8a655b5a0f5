// RA operators (ҚР ҰКО операторлары): certificates issued on an official letter, suspension after
// more than 15 days' absence, revocation on dismissal (notified at least 2 days before it).
import { randomUUID } from 'node:crypto';
import { AuditLog } from '../kit/audit.ts';
import type { Authorities } from './authorities.ts';
import { templateFor } from './domain/issue.ts';
import { normalizeSerial } from './domain/names.ts';
import { buildCertificate } from './domain/pki/certificate.ts';
import { parseCsr } from './domain/pki/csr.ts';
import { encodeName } from './domain/pki/names.ts';
import { subjectFor, type Organization, type Person } from './domain/subject.ts';
import type { OperatorRow, RegistrationStore } from './registration-store.ts';
import type { TrustStore } from './store.ts';

export interface OperatorLetter {
  person: Person;
  /** The public service centre or provider office that employs the operator. */
  office: Organization;
  /** The office's official letter and the appointment order it encloses. */
  letterReference: string;
  csr: Uint8Array | string;
}

export async function issueOperatorCertificate(
  store: TrustStore,
  registration: RegistrationStore,
  authorities: Authorities,
  letter: OperatorLetter,
  now = new Date(),
): Promise<{ operator: OperatorRow; certificateDer: Uint8Array }> {
  const issuer = authorities.get('nca');
  if (!issuer) throw new Error('the NCA issuing CA is not available');
  if (letter.letterReference.trim() === '') throw new Error('an official letter reference is required');
  const csr = parseCsr(letter.csr);
  const template = templateFor(authorities.profile('ra_operator'), encodeName(subjectFor(letter.person, letter.office)), csr.subjectPublicKeyInfo, issuer, now, authorities.endpoints);
  const der = buildCertificate(template, issuer.signer);
  const operator = await store.db.transaction(async (trx) => {
    const cert = await authorities.recordIssued(trx, issuer.id, der, 'ra_operator', letter.person.iin);
    const row: Omit<OperatorRow, 'created_at'> = {
      id: randomUUID(),
      full_name: `${letter.person.surname} ${letter.person.givenName}`,
      iin: letter.person.iin,
      authority_id: issuer.id,
      certificate_serial: normalizeSerial(cert.serialHex)!,
      status: 'active',
      letter_reference: letter.letterReference.trim(),
    };
    await registration.insertOperator(row, trx);
    await new AuditLog(store.db).append(trx, { actor: 'NCA provider (official letter)', action: 'issue_operator_certificate', resource: `operators/${row.id}`, payload: { iin: row.iin, certificate: row.certificate_serial, letter: row.letter_reference } });
    return (await registration.operator(row.id, trx))!;
  });
  return { operator, certificateDer: der };
}
