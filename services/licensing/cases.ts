// The officials' side (ruqsat.cases.v1.CaseService): EDS-signed acts on a case, by the role the
// official's certificate names and the staff table confirms.
import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { ApplicationStatus } from '../../gen/ruqsat/common/v1/common.ts';
import type { Case, CaseServiceServer } from '../../gen/ruqsat/cases/v1/cases.ts';
import type { AuditLog } from '../kit/audit.ts';
import { invalidArgument, notFound, RuqsatError, unavailable } from '../kit/errors.ts';
import { unary } from '../kit/grpc/handler.ts';
import { parseName } from '../kit/names.ts';
import { listPage } from '../kit/paging.ts';
import { iinOf, policiesOf, requireAct, requireEnvelope, verifyAct } from '../kit/signed.ts';
import type { TrustFollower } from '../kit/trust-follower.ts';
import { apply, applicantStatus, caseFromJson, caseToJson, overdue, type Role, type WorkflowEvent } from '../kit/workflow/index.ts';
import { profiles } from '../trust/domain/pki/profiles.ts';
import { definitions, openStep, STATUSES } from './applications.ts';
import type { ApplicationChanges } from './changes.ts';
import type { ApplicationRow, LicensingStore } from './store.ts';

const APPLICATION = 'applications/{application}';
// API status → the engine's name, for the ListCases filter.
const STATUS_NAMES = Object.fromEntries(Object.entries(STATUSES).map(([name, code]) => [code, name])) as Partial<Record<ApplicationStatus, string>>;

// The certificate's role policy (trust's official_* profiles) each workflow role requires.
const CERTIFICATE_ROLE: Record<string, string> = {
  registrar: 'official_registrar',
  executor: 'official_executor',
  head: 'official_head',
  head_of_licensing_department: 'official_head',
  signatory: 'official_signatory',
  commission_member: 'official_commission_member',
};

type Act = Record<string, unknown> & { act?: unknown; role?: unknown };

export interface CaseDeps {
  changes: ApplicationChanges;
  store: LicensingStore;
  audit: AuditLog;
  trust: TrustFollower;
  logger: Logger;
  policyArc?: string;
}

function toCase(row: ApplicationRow, now = new Date()): Case {
  const state = caseFromJson(row.state);
  const step = openStep(state);
  return {
    application: `applications/${row.id}`,
    service: row.service,
    status: STATUSES[applicantStatus(state)],
    currentStep: state.step ?? '',
    stepDueTime: step?.dueAt,
    dueTime: state.dueAt,
    overdue: overdue(state, now).length > 0,
    registrationNumber: state.registrationNo ?? '',
    executor: state.executorId ?? '',
  };
}

/** The event an act describes, with its fields checked for type; the engine checks the rest. */
function eventOf(act: Act, role: Role, actorId: string): WorkflowEvent {
  const str = (k: string) => (typeof act[k] === 'string' ? (act[k] as string) : undefined);
  const list = (k: string) => (Array.isArray(act[k]) && (act[k] as unknown[]).every((x) => typeof x === 'string') ? (act[k] as string[]) : undefined);
  const base = { actor: role, actorId };
  switch (act.act) {
    case 'register':
      return { ...base, type: 'register', registrationNo: str('registration_no') ?? '', executorId: str('executor_id') };
    case 'assign_executor':
      return { ...base, type: 'assign_executor', executorId: str('executor_id') ?? '' };
    case 'record_finding':
      if (typeof act.complies !== 'boolean') throw invalidArgument([{ field: 'act.payload.complies', description: 'must be true or false' }]);
      return { ...base, type: 'record_finding', complies: act.complies, reasons: list('reasons') };
    case 'request_documents':
    case 'request_samples':
      return { ...base, type: act.act, what: str('what') };
    case 'documents_received':
      return { ...base, type: 'documents_received' };
    case 'draft_result':
      return { ...base, type: 'draft_result', result: str('result') as 'issue' | 'refusal' | undefined };
    case 'sign':
      return { ...base, type: 'sign' };
    case 'preliminary_refusal':
      return { ...base, type: 'preliminary_refusal', reasons: list('reasons') ?? [] };
    case 'objection_received':
      return { ...base, type: 'objection_received', text: str('text') };
    case 'refuse':
      return { ...base, type: 'refuse', reasons: list('reasons') };
    default:
      throw invalidArgument([{ field: 'act.payload.act', description: `"${String(act.act)}" is not an official's act` }]);
  }
}

export function caseHandlers({ store, audit, trust, changes, logger, policyArc }: CaseDeps): CaseServiceServer {
  const rolePolicy = Object.fromEntries(Object.entries(profiles(policyArc)).map(([id, p]) => [id, p.policies[0]]));
  return {
    listCases: unary(logger, async (req) => {
      const status = req.status ? STATUS_NAMES[req.status] : undefined;
      const query = { rpc: 'ListCases', status, overdueOnly: req.overdueOnly };
      const now = new Date();
      const page = await listPage(req, query, (limit, before) => store.applications(undefined, limit, before, status), (row) => toCase(row, now));
      // Overdue is computed from each case's clock: the filter thins a page rather than refilling it.
      return { cases: req.overdueOnly ? page.items.filter((c) => c.overdue) : page.items, nextPageToken: page.nextPageToken };
    }),

    performAct: unary(logger, async (req) => {
      const { application } = parseName(req.application, APPLICATION, 'application');
      requireEnvelope(req.act, 'act');
      if (!trust.ready) throw unavailable('TRUST_NOT_READY', 'the trust anchors and CRLs are still loading; retry shortly');
      const signed = verifyAct<Act>(trust.core, req.act, 'act', { intermediates: trust.intermediates() });
      requireAct(signed.act, 'act', { application: req.application });
      const iin = iinOf(signed.signer);
      const held = iin ? await store.staffRoles(iin) : [];
      if (held.length === 0) throw new RuqsatError(grpc.status.PERMISSION_DENIED, 'NOT_STAFF', "act: the signer is not on this provider's staff");
      const asked = typeof signed.act.role === 'string' ? signed.act.role : held.length === 1 ? held[0] : undefined;
      if (!asked || !held.includes(asked)) {
        throw new RuqsatError(grpc.status.PERMISSION_DENIED, 'WRONG_ROLE', `act: the signer holds ${held.join(', ')}; say which with "role"`, { held: held.join(',') });
      }
      const needed = rolePolicy[CERTIFICATE_ROLE[asked] ?? ''];
      if (!needed || !policiesOf(signed.signer).includes(needed)) {
        throw new RuqsatError(grpc.status.PERMISSION_DENIED, 'WRONG_ROLE', `act: the signer's certificate does not carry the ${asked} role`);
      }
      const event = eventOf(signed.act, asked as Role, iin!);
      const row = await store.db.transaction(async (trx) => {
        const current = await store.application(application!, trx);
        if (!current) throw notFound(req.application);
        const result = apply(definitions.get(current.service, current.definition_version), caseFromJson(current.state), event, new Date());
        if (!result.ok) throw result.error;
        await audit.append(trx, { actor: `${signed.signer.subject.text} (${asked})`, action: result.audit.action, resource: req.application, payload: JSON.parse(JSON.stringify(result.audit)) });
        // A signed licence enters the licence register with the case, in the same transaction.
        if (result.state.outcome === 'issued' && current.service.startsWith('license.')) {
          await store.insertLicense(
            {
              id: current.id,
              number: result.state.registrationNo ?? current.id,
              kind: current.service,
              sub_kinds: result.state.subKinds,
              holder_type: current.applicant_type,
              holder_identifier: current.applicant_identifier,
              holder_name: current.applicant_name,
              status: 'active',
              issued_at: new Date(),
              signatory: signed.signer.subject.text,
            },
            trx,
          );
        }
        return store.updateCase(trx, current.id, applicantStatus(result.state), caseToJson(result.state));
      });
      logger.info({ application: req.application, act: event.type, role: asked }, 'official act');
      await changes.changed(row.id);
      return toCase(row);
    }),
  };
}
