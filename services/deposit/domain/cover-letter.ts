// The cover letter (ілеспе хат) that goes with the signed certificate (step 10): canonical JSON, the exact bytes the
// Head signs. It binds the letter to that certificate by its hash and names the number, the root and the registry entry.
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../kit/audit.ts';
import type { DepositCertificate } from './certificate.ts';

export const COVER_LETTER_DOCUMENT = 'ruqsat.deposit.cover_letter';
export const COVER_LETTER_VERSION = 1;

export interface CoverLetter {
  document: typeof COVER_LETTER_DOCUMENT;
  version: number;
  deposit_number: string;
  /** SHA-256 of the signed certificate's payload, lowercase hex: the letter encloses exactly that document. */
  certificate_sha256: string;
  merkle_root: string;
  /** The entry in the Registry of deposited software: the register, and the deposit resource it is published from. */
  registry_entry: { register: string; deposit: string };
  application: string;
  registration_number: string;
  recipient: DepositCertificate['depositor'];
  /** The letter's text, in Kazakh and English. */
  text: { kk: string; en: string };
  /** YYYY-MM-DD in Almaty. */
  date: string;
}

/** The letter for a signed certificate; `deposit` is the registry entry's resource, "deposits/{deposit}". */
export function coverLetter(certificate: DepositCertificate, certificatePayload: Uint8Array, deposit: string, date: string): CoverLetter {
  const n = certificate.deposit_number;
  return {
    document: COVER_LETTER_DOCUMENT,
    version: COVER_LETTER_VERSION,
    deposit_number: n,
    certificate_sha256: createHash('sha256').update(certificatePayload).digest('hex'),
    merkle_root: certificate.object.merkle_root,
    registry_entry: { register: certificate.register, deposit },
    application: certificate.application,
    registration_number: certificate.registration_number,
    recipient: certificate.depositor,
    text: {
      kk: `Депозитке салу объектісінің депозитарийде ${n} нөмірімен тіркелгені туралы анықтама қоса беріліп отыр.`,
      en: `Enclosed is the certificate that the deposit object is registered in the depositary under number ${n}.`,
    },
    date,
  };
}

export const encodeCoverLetter = (letter: CoverLetter): Buffer => Buffer.from(canonicalJson(JSON.parse(JSON.stringify(letter))), 'utf8');

export function decodeCoverLetter(bytes: Uint8Array): CoverLetter | undefined {
  try {
    const doc = JSON.parse(Buffer.from(bytes).toString('utf8')) as CoverLetter;
    return doc.document === COVER_LETTER_DOCUMENT && /^[0-9a-f]{64}$/.test(doc.certificate_sha256) ? doc : undefined;
  } catch {
    return undefined;
  }
}
