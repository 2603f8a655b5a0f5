// The applicant's side of the registry's own state services on the kit's shared flow: registration of an EIR/IS in
// the State Register (MTC Order 209, App. 2) and the conclusion on a KKM computer system's conformity (App. 3).
// The service's own fields are checked here and kept in the application's details.
import { ResultDispatchChannel } from '../../gen/ruqsat/common/v1/common.ts';
import type { Application, RegistryServiceServer } from '../../gen/ruqsat/registry/v1/registry.ts';
import { withAfterResultSteps } from '../kit/cases/after-result.ts';
import { dispatchRecord, type Channel } from '../kit/cases/after-result-acts.ts';
import { applicantApi, applicantHandlers, type CaseDeps, type CaseHooks } from '../kit/cases/applicant-api.ts';
import type { ApplicationRow } from '../kit/cases/store.ts';
import type { ApplicationView } from '../kit/cases/view.ts';
import type { FieldViolation } from '../kit/errors.ts';
import { isValidIinBin, toParty, type PartyKind } from '../kit/party.ts';
import { CONFORMITY_KKM_COMPUTER_SYSTEM, REGISTRY_EIR_IS, type DefinitionRegistry } from '../kit/workflow/index.ts';

const PREFIX = 'application.payload';
const CONTROL = /[\u0000-\u001f\u007f]/;
/** The classes of §2.2: the definition's sub-kinds. */
export const EIR_IS_CLASSES = REGISTRY_EIR_IS.subKinds.map((k) => k.id);

export interface EirIsDetails {
  owner: { type: PartyKind; identifier: string; name: string };
  name: string;
  class: string;
  purpose: string;
}

export interface KkmDetails {
  model: string;
  manufacturer: string;
  software_version: string;
}

/** What the application keeps, and once signed: the register entry and the number. */
export type RegistrationDetails = Partial<EirIsDetails & KkmDetails> & { entry?: string; number?: string };

function text(v: FieldViolation[], act: Record<string, unknown>, key: string, max: number): string {
  const value = act[key];
  if (typeof value !== 'string' || value.trim() === '') v.push({ field: `${PREFIX}.${key}`, description: 'is required' });
  else if (value.length > max) v.push({ field: `${PREFIX}.${key}`, description: `must be at most ${max} characters` });
  else if (CONTROL.test(value)) v.push({ field: `${PREFIX}.${key}`, description: 'must not contain control characters' });
  else return value.trim();
  return '';
}

/** EIR/IS: owner (the applicant unless given), name, class (a sub-kind of the definition), purpose. */
function eirIs(act: Record<string, unknown>, applicant: Parameters<NonNullable<CaseHooks['submission']>>[1]): { violations: FieldViolation[]; details: EirIsDetails } {
  const v: FieldViolation[] = [];
  let owner: EirIsDetails['owner'] = { type: applicant.kind, identifier: applicant.identifier, name: applicant.name };
  if (act.owner !== undefined) {
    const o = act.owner as Record<string, unknown> | null;
    if (typeof o !== 'object' || o === null) v.push({ field: `${PREFIX}.owner`, description: 'must be {"type","identifier","name"}' });
    else {
      if (o.type !== 'individual' && o.type !== 'legal_entity') v.push({ field: `${PREFIX}.owner.type`, description: 'must be "individual" or "legal_entity"' });
      if (typeof o.identifier !== 'string' || !isValidIinBin(o.identifier)) v.push({ field: `${PREFIX}.owner.identifier`, description: 'must be a valid IIN or BIN (12 digits, check digit)' });
      if (typeof o.name !== 'string' || o.name.trim() === '' || o.name.length > 500 || CONTROL.test(o.name)) v.push({ field: `${PREFIX}.owner.name`, description: 'is required, at most 500 characters' });
      owner = { type: o.type as PartyKind, identifier: String(o.identifier), name: String(o.name ?? '').trim() };
    }
  }
  const name = text(v, act, 'resource_name', 500);
  const cls = act.resource_class;
  if (typeof cls !== 'string' || !EIR_IS_CLASSES.includes(cls)) v.push({ field: `${PREFIX}.resource_class`, description: `must be one of ${EIR_IS_CLASSES.join(', ')}` });
  else if (Array.isArray(act.sub_kinds) && act.sub_kinds.length > 0 && !act.sub_kinds.includes(cls)) v.push({ field: `${PREFIX}.sub_kinds`, description: 'must include the resource_class' });
  const purpose = text(v, act, 'purpose', 2000);
  return { violations: v, details: { owner, name, class: typeof cls === 'string' ? cls : '', purpose } };
}

/** KKM: the computer system's model, manufacturer and software version. */
function kkm(act: Record<string, unknown>): { violations: FieldViolation[]; details: KkmDetails } {
  const v: FieldViolation[] = [];
  const details = { model: text(v, act, 'model', 200), manufacturer: text(v, act, 'manufacturer', 500), software_version: text(v, act, 'software_version', 100) };
  return { violations: v, details };
}

export const submission: CaseHooks['submission'] = async (act, applicant) => {
  if (act.service === REGISTRY_EIR_IS.id) {
    const { violations, details } = eirIs(act, applicant);
    return { violations, details: { ...details } };
  }
  if (act.service === CONFORMITY_KKM_COMPUTER_SYSTEM.id) {
    const { violations, details } = kkm(act);
    return { violations, details: { ...details } };
  }
  // An unknown service: the shared flow says which ones there are.
  return { violations: [], details: {} };
};

const CHANNELS: Record<Channel, ResultDispatchChannel> = { post: ResultDispatchChannel.RESULT_DISPATCH_CHANNEL_POST, courier: ResultDispatchChannel.RESULT_DISPATCH_CHANNEL_COURIER };

/** The shared view with the registration's own fields, and C19 (the dispatch after the result) from the definition. */
export const toApplication =
  (definitions: DefinitionRegistry) =>
  (view: ApplicationView, row: ApplicationRow): Application => {
    const d = row.details as RegistrationDetails;
    return {
      ...view,
      ...withAfterResultSteps(view, definitions.get(row.service, row.definition_version), row),
      // C19 as recorded: channel, reference and time; absent until the office has sent the result.
      dispatch: dispatchRecord(row, CHANNELS),
      entry: d.entry ?? '',
      resultNumber: d.number ?? '',
      owner: d.owner ? toParty(d.owner) : undefined,
      resourceName: d.name ?? '',
      resourceClass: d.class ?? '',
      purpose: d.purpose ?? '',
      model: d.model ?? '',
      manufacturer: d.manufacturer ?? '',
      softwareVersion: d.software_version ?? '',
    };
  };

export type ApplicantHandlers = Pick<RegistryServiceServer, 'submitApplication' | 'getApplication' | 'listApplications' | 'withdrawApplication' | 'watchApplication' | 'submitDocuments' | 'fileAppeal'>;

export function applicationHandlers(deps: CaseDeps): ApplicantHandlers {
  return applicantHandlers(applicantApi(deps, { submission }), toApplication(deps.definitions), deps.logger);
}
