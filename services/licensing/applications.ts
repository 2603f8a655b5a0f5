// The applicant's side of the licences on the kit's shared flow; a re-issue names the licence it re-issues.
import type { Application, LicensingServiceServer } from '../../gen/ruqsat/licensing/v1/licensing.ts';
import { applicantApi, applicantHandlers, type CaseDeps, type CaseHooks } from '../kit/cases/applicant-api.ts';
import type { ApplicationRow } from '../kit/cases/store.ts';
import type { ApplicationView } from '../kit/cases/view.ts';
import type { FieldViolation } from '../kit/errors.ts';
import { caseFromJson } from '../kit/workflow/index.ts';
import { CHANGES_SERVICE, changeSubmission } from './accreditation/changes.ts';
import { TERMINATION_SERVICE, terminationSubmission } from './accreditation/termination.ts';
import { complaintSubmission, REVOCATION_SERVICE } from './accreditation/revocation.ts';
import { AccreditationStore } from './accreditation/store.ts';
import { ACCREDITATION_SERVICE, accreditationSubmission } from './accreditation/submission.ts';
import { licenseName } from './domain/names.ts';
import type { LicensingStore } from './store.ts';

const LICENSE_NAME = /^licenses\/([^/]+)$/;

/** The licence an application concerns: the one it re-issues, or the one it issued. */
function licenseOf(row: ApplicationRow): string {
  if (typeof row.details.license === 'string') return licenseName(row.details.license);
  return row.service.startsWith('license.') && caseFromJson(row.state).outcome === 'issued' ? licenseName(row.id) : '';
}

export const toApplication = (view: ApplicationView, row: ApplicationRow): Application => ({ ...view, license: licenseOf(row) });

/** A re-issue must name an active or suspended licence of the same kind that the applicant holds. */
export function submissionHook(store: LicensingStore): CaseHooks['submission'] {
  const accreditations = new AccreditationStore(store.db);
  return async (act, applicant, variant) => {
    if (act.service === ACCREDITATION_SERVICE) return accreditationSubmission(act, applicant);
    if (act.service === REVOCATION_SERVICE) return complaintSubmission(accreditations, act);
    if (act.service === CHANGES_SERVICE) return changeSubmission(accreditations, act, applicant);
    if (act.service === TERMINATION_SERVICE) return terminationSubmission(accreditations, act, applicant);
    const violations: FieldViolation[] = [];
    const field = 'application.payload.license';
    if (variant !== 'reissue') {
      if (act.license !== undefined) violations.push({ field, description: 'is only for a re-issue ("variant":"reissue")' });
      return { violations, details: {} };
    }
    const id = typeof act.license === 'string' ? LICENSE_NAME.exec(act.license)?.[1] : undefined;
    const licence = id ? await store.license(id) : undefined;
    if (!licence) violations.push({ field, description: 'a re-issue names the licence it re-issues, "licenses/{license}"' });
    else if (licence.holder_identifier !== applicant.identifier) violations.push({ field, description: 'the licence is held by someone else' });
    else if (licence.kind !== act.service) violations.push({ field, description: `the licence is a ${licence.kind}, not a ${String(act.service)}` });
    else if (licence.status === 'terminated') violations.push({ field, description: 'a terminated licence cannot be re-issued' });
    return { violations, details: id ? { license: id } : {} };
  };
}

type ApplicantHandlers = Pick<LicensingServiceServer, 'submitApplication' | 'getApplication' | 'listApplications' | 'withdrawApplication' | 'watchApplication' | 'submitDocuments' | 'fileAppeal'>;

export function applicationHandlers(deps: CaseDeps & { store: LicensingStore }): ApplicantHandlers {
  return applicantHandlers(applicantApi(deps, { submission: submissionHook(deps.store) }), toApplication, deps.logger);
}
