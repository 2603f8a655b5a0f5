// The certificate (анықтама) that a deposit object is registered in the depositary: canonical JSON, the
// exact bytes the Head signs. Anyone holding it can check a set of files against its Merkle root.
import { canonicalJson } from '../../kit/audit.ts';
import type { PartyKind } from '../../kit/party.ts';
import type { ObjectType } from '../store.ts';

export const DEPOSIT_DOCUMENT = 'ruqsat.deposit';
export const DEPOSIT_DOCUMENT_VERSION = 1;
export const DEPOSIT_REGISTER = 'registers/deposited-software';

/** Deposit numbers: "DEP-YYYY-NNNNNN", the Almaty year of the draft and a service-wide sequence (never reused). */
export const depositNumber = (year: string, serial: number) => `DEP-${year}-${String(serial).padStart(6, '0')}`;
export const DEPOSIT_NUMBER = /^DEP-\d{4}-\d{6,}$/;

export interface DepositCertificate {
  document: typeof DEPOSIT_DOCUMENT;
  version: number;
  deposit_number: string;
  /** The register the deposit is entered in (Депозитке салынған бағдарламалық өнімдердің тізілімі). */
  register: string;
  object: {
    name: string;
    type: ObjectType;
    title: string;
    version: string;
    /** SHA-256 Merkle root over the sorted file list, lowercase hex. */
    merkle_root: string;
    file_count: number;
    total_size_bytes: number;
  };
  depositor: { type: PartyKind; identifier: string; name: string };
  application: string;
  /** The incoming number (кіріс нөмірі) of the office registration. */
  registration_number: string;
  /** YYYY-MM-DD in Almaty. */
  date: string;
}

export const encodeCertificate = (doc: DepositCertificate): Buffer => Buffer.from(canonicalJson(JSON.parse(JSON.stringify(doc))), 'utf8');

export function decodeCertificate(bytes: Uint8Array): DepositCertificate | undefined {
  try {
    const doc = JSON.parse(Buffer.from(bytes).toString('utf8')) as DepositCertificate;
    return doc.document === DEPOSIT_DOCUMENT && DEPOSIT_NUMBER.test(doc.deposit_number) && /^[0-9a-f]{64}$/.test(doc.object?.merkle_root) ? doc : undefined;
  } catch {
    return undefined;
  }
}
