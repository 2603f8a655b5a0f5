// The certificate of accreditation (аккредиттеу туралы куәлік, Appendix 3) as the signed document.
import { canonicalJson, type JsonValue } from '../../kit/audit.ts';

export const ACCREDITATION_DOCUMENT = 'ruqsat.accreditation';
export const ACCREDITATION_ISSUER = 'Information Security Committee of the Ministry of Digital Development, Innovations and Aerospace Industry of the RK (Ақпараттық қауіпсіздік комитеті)';
/** Para 15: valid 3 years from the date of issue, on the whole territory of the RK. */
export const ACCREDITATION_VALIDITY_YEARS = 3;

export interface AccreditationDocument {
  document: typeof ACCREDITATION_DOCUMENT;
  number: string;
  issuer: string;
  legal_entity: { bin: string; name: string; legal_address: string };
  ca_name: string;
  policies: string[];
  crl_distribution_points: string[];
  /** The commission's act the certificate rests on, and the decision (para 14). */
  act_sha256: string;
  decision: string;
  application: string;
  /** YYYY-MM-DD in Almaty: issued, and the last day in force. */
  date: string;
  valid_until: string;
}

/** Accreditation numbers, stable and sortable: "ACC-2026-000007". */
export function accreditationNumber(year: number, serial: number): string {
  return `ACC-${year}-${String(serial).padStart(6, '0')}`;
}

/** The day 3 years after `date` (YYYY-MM-DD), the certificate's last day is the day before. */
export function validUntil(date: string): { lastDay: string; endsAt: Date } {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  // Midnight in Almaty (UTC+5) at the start of the anniversary: the certificate ends there.
  const endsAt = new Date(Date.UTC(y + ACCREDITATION_VALIDITY_YEARS, m - 1, d) - 5 * 3_600_000);
  const last = new Date(Date.UTC(y + ACCREDITATION_VALIDITY_YEARS, m - 1, d - 1));
  return { lastDay: last.toISOString().slice(0, 10), endsAt };
}

export function encodeAccreditation(doc: Omit<AccreditationDocument, 'document' | 'issuer'>): Buffer {
  return Buffer.from(canonicalJson({ document: ACCREDITATION_DOCUMENT, issuer: ACCREDITATION_ISSUER, ...doc } as unknown as JsonValue), 'utf8');
}
