// The depositor's side of deposit.software on the kit's shared flow: the application (депозитке салу өтінімі)
// names an uploaded object, which must exist, be complete, be the applicant's own upload (domain/uploader.ts) and be
// no one else's deposit; the applicant sees the steps after the result (cover letter, dispatch) too.
import * as grpc from '@grpc/grpc-js';
import type { Application, DepositServiceServer } from '../../gen/ruqsat/deposit/v1/deposit.ts';
import { withAfterResultSteps } from '../kit/cases/after-result.ts';
import type { AfterResultRecords } from '../kit/cases/after-result-acts.ts';
import { applicantApi, applicantHandlers, type CaseDeps, type CaseHooks } from '../kit/cases/applicant-api.ts';
import type { ApplicationRow, CaseStore } from '../kit/cases/store.ts';
import type { ApplicationView } from '../kit/cases/view.ts';
import { RuqsatError, type FieldViolation } from '../kit/errors.ts';
import type { DefinitionRegistry } from '../kit/workflow/index.ts';
import { afterResultView } from './dispatch.ts';
import { depositName, objectName } from './domain/names.ts';
import { foreignUpload } from './domain/uploader.ts';
import type { DepositStore, ObjectType } from './store.ts';

const FIELD = 'application.payload.object';
const OBJECT_ID = /^objects\/([A-Za-z0-9._~-]{1,128})$/;

// The definition's sub-kinds by the uploaded object's type (the manifest's "documentation" is the
// definition's normative-technical documentation).
export const SUB_KIND: Record<ObjectType, string> = {
  information_system: 'information_system',
  software_product: 'software_product',
  program_code: 'program_code',
  documentation: 'normative_technical_documentation',
};

export interface DepositDetails extends AfterResultRecords {
  /** The deposited object's id ("objects/{id}" without the prefix). */
  object: string;
  /** Set at signature: the registry entry's id and its deposit number. */
  deposit?: string;
  deposit_number?: string;
}

/** The object named must be stored and complete, and not named by another depositor's application. */
export function depositSubmission(deposits: DepositStore, cases: CaseStore): NonNullable<CaseHooks['submission']> {
  return async (act, applicant, _variant, caller) => {
    const match = typeof act.object === 'string' ? OBJECT_ID.exec(act.object) : null;
    if (!match) return { violations: [{ field: FIELD, description: 'names the uploaded object, "objects/{object}"' }], details: {} };
    const id = match[1]!;
    const found = await deposits.object(id);
    if (!found) return { violations: [{ field: FIELD, description: `${objectName(id)} was never uploaded` }], details: {} };
    // Someone else's upload is not the applicant's to deposit, whatever its state.
    const foreign = foreignUpload({ uploader: await deposits.uploaderOf(id), applicant: { kind: applicant.kind, identifier: applicant.identifier }, submitter: caller });
    if (foreign) {
      throw new RuqsatError(grpc.status.PERMISSION_DENIED, 'FOREIGN_OBJECT', `${FIELD}: ${objectName(id)} was ${foreign}`, { object: objectName(id) }, [{ field: FIELD, description: `${objectName(id)} was ${foreign}` }]);
    }
    const violations: FieldViolation[] = [];
    const o = found.object;
    const subKinds = Array.isArray(act.sub_kinds) ? (act.sub_kinds as unknown[]) : [];
    if (subKinds.length > 0 && !subKinds.includes(SUB_KIND[o.object_type])) {
      violations.push({ field: 'application.payload.sub_kinds', description: `the object is declared as ${SUB_KIND[o.object_type]}; the application must say the same` });
    }
    if (violations.length > 0) return { violations, details: {} };
    // The object's state is a fact about the upload, not about the request: FAILED_PRECONDITION.
    const precondition: FieldViolation[] = [];
    if (o.state !== 'stored') precondition.push({ field: FIELD, description: `${objectName(id)} is still uploading; finish it first` });
    else if (!o.complete) precondition.push({ field: FIELD, description: `${objectName(id)} is incomplete: ${(JSON.parse(o.findings ?? '[]') as string[]).join('; ')}` });
    const others = await cases.db.table<ApplicationRow>('applications').whereRaw(`details->>'object' = ?`, [id]).whereNot('applicant_identifier', applicant.identifier).first();
    if (others) precondition.push({ field: FIELD, description: `${objectName(id)} is another depositor's application` });
    if (precondition.length > 0) {
      throw new RuqsatError(grpc.status.FAILED_PRECONDITION, 'OBJECT_NOT_DEPOSITABLE', precondition.map((v) => `${v.field}: ${v.description}`).join('; '), {}, precondition);
    }
    const details: DepositDetails = { object: id };
    return { violations: [], details: { ...details } };
  };
}

/** The shared view with the deposit's own fields, and the steps after the result (cover letter, dispatch) from the definition. */
export const toApplication =
  (definitions: DefinitionRegistry) =>
  (view: ApplicationView, row: ApplicationRow): Application => {
    const d = row.details as Partial<DepositDetails>;
    const after = afterResultView(row);
    return {
      ...view,
      ...withAfterResultSteps(view, definitions.get(row.service, row.definition_version), row),
      deposit: d.deposit ? depositName(d.deposit) : '',
      object: d.object ? objectName(d.object) : '',
      depositNumber: d.deposit_number ?? '',
      coverLetter: after.coverLetter,
      dispatch: after.dispatch,
    };
  };

type ApplicantHandlers = Pick<DepositServiceServer, 'submitApplication' | 'getApplication' | 'listApplications' | 'withdrawApplication' | 'watchApplication' | 'submitDocuments' | 'fileAppeal'>;

export function applicationHandlers(deps: CaseDeps, deposits: DepositStore): ApplicantHandlers {
  return applicantHandlers(applicantApi(deps, { submission: depositSubmission(deposits, deps.store) }), toApplication(deps.definitions), deps.logger);
}
