// The application form of Appendix 2 and what the List adds to it: the fields a submission must carry, checked
// before the case starts. The legal entity's BIN and name are not taken from the form: they are the ones the
// signer's certificate carries, which trust wrote from the reference registry (never from the CSR).
import type { Applicant } from '../../kit/cases/signers.ts';
import type { FieldViolation } from '../../kit/errors.ts';
import { CsrError, parseCsr } from '../../trust/domain/pki/csr.ts';

export const ACCREDITATION_SERVICE = 'accreditation.certifying_center';
const OID = /^[0-2](\.\d+)+$/;
const URL_RE = /^https?:\/\/\S+$/;
// ST RK 1073-2007: the CIPF used must be certified at security level 2 or higher (List item 9.10).
const MIN_CIPF_LEVEL = 2;

export interface AccreditationForm {
  ca_name: string;
  legal_address: string;
  phone: string;
  head: string;
  /** Consent to the use of secrets protected by law held in information systems. */
  consent: true;
  /** Integrated with state information systems: the IS test act is then required (List item 9.3). */
  integrates_with_state_is: boolean;
  /** The centre's PKCS#10 CA request (PEM): the Root CA certifies this key on grant (para 18). */
  ca_csr: string;
  policies: string[];
  crl_distribution_points: string[];
  cipf: { name: string; certificate: string; level: number }[];
  /** From the reference registry via the signer's certificate. */
  legal_entity: { bin: string; name: string };
}

const text = (v: unknown, max = 500) => typeof v === 'string' && v.trim() !== '' && v.length <= max;

/** The form's fields, or every violation; only for the accreditation service. */
export function accreditationSubmission(act: Record<string, unknown>, applicant: Applicant): { violations: FieldViolation[]; details: Record<string, unknown> } {
  const v: FieldViolation[] = [];
  const bad = (field: string, description: string) => v.push({ field: `application.payload.${field}`, description });
  for (const f of ['ca_name', 'legal_address', 'phone', 'head'] as const) if (!text(act[f])) bad(f, 'is required (Appendix 2), at most 500 characters');
  if (act.consent !== true) bad('consent', 'the consent to the use of secrets protected by law is required (Appendix 2)');
  if (typeof act.integrates_with_state_is !== 'boolean') bad('integrates_with_state_is', 'must be true or false');
  if (act.integrates_with_state_is === true && !(Array.isArray(act.attachments) && act.attachments.some((a) => (a as { id?: unknown })?.id === 'is_test_act'))) {
    bad('attachments', "'is_test_act' (the IS requirements test act) is required of a centre integrated with state information systems (List item 9.3)");
  }
  if (typeof act.ca_csr !== 'string') bad('ca_csr', "the centre's PKCS#10 CA request (PEM) is required");
  else {
    try {
      parseCsr(act.ca_csr);
    } catch (err) {
      if (!(err instanceof CsrError)) throw err;
      bad('ca_csr', `${err.reason}: ${err.message}`);
    }
  }
  const list = (k: string) => (Array.isArray(act[k]) && (act[k] as unknown[]).every((x) => typeof x === 'string') ? (act[k] as string[]) : undefined);
  const policies = list('policies');
  if (!policies?.length || policies.some((p) => !OID.test(p))) bad('policies', 'the policy OIDs registered for the centre: at least one dotted OID');
  const dps = list('crl_distribution_points');
  if (!dps?.length || dps.some((u) => !URL_RE.test(u))) bad('crl_distribution_points', 'at least one http(s) URL where the centre publishes its CRL');
  const cipf = Array.isArray(act.cipf) ? (act.cipf as Record<string, unknown>[]) : [];
  if (cipf.length === 0 || cipf.some((c) => !text(c?.name) || !text(c?.certificate) || typeof c?.level !== 'number')) {
    bad('cipf', 'each CIPF used, with its ST RK 1073-2007 conformity certificate and level: [{name, certificate, level}]');
  } else {
    for (const c of cipf) if ((c.level as number) < MIN_CIPF_LEVEL) bad('cipf', `${String(c.name)}: level ${String(c.level)} is below the level ${MIN_CIPF_LEVEL} ST RK 1073-2007 requires`);
  }
  if (v.length > 0) return { violations: v, details: {} };
  const form: AccreditationForm = {
    ca_name: (act.ca_name as string).trim(),
    legal_address: act.legal_address as string,
    phone: act.phone as string,
    head: act.head as string,
    consent: true,
    integrates_with_state_is: act.integrates_with_state_is as boolean,
    ca_csr: act.ca_csr as string,
    policies: policies!,
    crl_distribution_points: dps!,
    cipf: cipf.map((c) => ({ name: c.name as string, certificate: c.certificate as string, level: c.level as number })),
    legal_entity: { bin: applicant.identifier, name: applicant.name },
  };
  return { violations: [], details: { accreditation: form } };
}
