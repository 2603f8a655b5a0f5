// The applicant's side of the NSC conclusions and permits on the kit's shared flow: the goods, the movement
// and the contract are checked as a permit would carry them.
import type { Application, Goods, PermitServiceServer } from '../../gen/ruqsat/permit/v1/permit.ts';
import { applicantApi, applicantHandlers, type CaseDeps, type CaseHooks } from '../kit/cases/applicant-api.ts';
import type { ApplicationRow } from '../kit/cases/store.ts';
import type { ApplicationView } from '../kit/cases/view.ts';
import { wallClock } from '../kit/calendar/zone.ts';
import { CUSTOMS_KINDS, PERMIT_DOCUMENT, PERMIT_DOCUMENT_VERSION, validatePermitDocument, type GoodsLine, type PermitKind } from './domain/document.ts';
import { permitName } from './domain/names.ts';

const PREFIX = 'application.payload';
// The fields of a permit that the applicant supplies; the rest (number, dates, signatory) the provider sets.
const APPLICANT_FIELDS = ['goods', 'contract_reference', 'movement_type', 'valid_until'];

export interface PermitDetails {
  goods: GoodsLine[];
  contract_reference?: string;
  /** The last day the applicant needs the permit for (e.g. the contract's end); the draft caps it at a year. */
  valid_until?: string;
  /** The permit issued, once signed. */
  permit?: string;
}

/** The applicant's goods, contract and dates must be what a permit document can carry. */
export const submission: CaseHooks['submission'] = async (act, applicant, variant) => {
  const kind = act.service as PermitKind;
  const today = wallClock(new Date()).date;
  const customs = CUSTOMS_KINDS.includes(kind);
  const details: PermitDetails = {
    goods: Array.isArray(act.goods) ? (act.goods as GoodsLine[]) : (act.goods as never),
    contract_reference: typeof act.contract_reference === 'string' ? act.contract_reference : (act.contract_reference as never),
    valid_until: typeof act.valid_until === 'string' ? act.valid_until : (act.valid_until as never),
  };
  const probe = {
    document: PERMIT_DOCUMENT,
    version: PERMIT_DOCUMENT_VERSION,
    number: 'probe',
    kind,
    movement_type: customs ? (variant ?? 'import') : undefined,
    holder: { type: applicant.kind, identifier: applicant.identifier, name: applicant.name },
    contract_reference: details.contract_reference,
    goods: details.goods ?? [],
    valid_from: today,
    valid_until: details.valid_until ?? today,
    issue_date: today,
    signatory: { iin: applicant.identifier, name: 'probe' },
  };
  const violations = validatePermitDocument(probe, PREFIX).filter((v) => APPLICANT_FIELDS.some((f) => v.field.startsWith(`${PREFIX}.${f}`)));
  if (act.goods === undefined || !Array.isArray(act.goods)) violations.push({ field: `${PREFIX}.goods`, description: 'must be a list of goods lines' });
  if (details.valid_until !== undefined && details.valid_until < today) violations.push({ field: `${PREFIX}.valid_until`, description: 'must not be in the past' });
  return { violations, details: { ...details } };
};

const toGoods = (g: GoodsLine): Goods => ({
  description: g.name,
  hsCode: g.hs_code,
  quantity: Number(g.quantity),
  remainingQuantity: Number(g.quantity),
  unit: g.unit,
  manufacturer: g.manufacturer,
  originCountry: g.origin_country,
  destinationCountry: g.destination_country,
});

export const toApplication = (view: ApplicationView, row: ApplicationRow): Application => {
  const d = row.details as Partial<PermitDetails>;
  return { ...view, permit: d.permit ? permitName(d.permit) : '', contractReference: d.contract_reference ?? '', goods: (d.goods ?? []).map(toGoods) };
};

type ApplicantHandlers = Pick<PermitServiceServer, 'submitApplication' | 'getApplication' | 'listApplications' | 'withdrawApplication' | 'watchApplication' | 'submitDocuments' | 'fileAppeal'>;

export function applicationHandlers(deps: CaseDeps): ApplicantHandlers {
  return applicantHandlers(applicantApi(deps, { submission }), toApplication, deps.logger);
}
