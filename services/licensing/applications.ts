// The applicant's side of the licences: an EDS-signed application on the definition's state machine, and withdrawal.
import * as grpc from '@grpc/grpc-js';
import { createHash, randomUUID } from 'node:crypto';
import type { Certificate } from '../../core-wasm/src/index.ts';
import { ApplicationStatus } from '../../gen/ruqsat/common/v1/common.ts';
import type { Application, LicensingServiceServer } from '../../gen/ruqsat/licensing/v1/licensing.ts';
import { AuditLog } from '../kit/audit.ts';
import { formatInstant } from '../kit/calendar/index.ts';
import { invalidArgument, notFound, RuqsatError, toRuqsatError, toServiceError, unavailable, type FieldViolation } from '../kit/errors.ts';
import { unary } from '../kit/grpc/handler.ts';
import { parseName } from '../kit/names.ts';
import { listPage } from '../kit/paging.ts';
import { identifierFilter, toParty } from '../kit/party.ts';
import { binOf, iinOf, requireAct, requireEnvelope, verifyAct } from '../kit/signed.ts';
import type { TrustFollower } from '../kit/trust-follower.ts';
import { apply, applicantStatus, caseFromJson, caseToJson, DefinitionRegistry, NSC_LICENCES, start, type ApplicantStatus, type AuditEvent, type CaseState, type StepRecord } from '../kit/workflow/index.ts';
import type { Logger } from 'pino';
import type { ApplicationChanges } from './changes.ts';
import type { ApplicationRow, LicensingStore } from './store.ts';

const APPLICATION = 'applications/{application}';
const SHA256 = /^[0-9a-f]{64}$/;

/** The applicant-visible status as the API spells it; cases.ts reads it back for filters. */
export const STATUSES: Record<ApplicantStatus, ApplicationStatus> = {
  delivered: ApplicationStatus.APPLICATION_STATUS_DELIVERED,
  registered: ApplicationStatus.APPLICATION_STATUS_REGISTERED,
  in_progress: ApplicationStatus.APPLICATION_STATUS_IN_PROGRESS,
  awaiting_applicant: ApplicationStatus.APPLICATION_STATUS_AWAITING_APPLICANT,
  issued: ApplicationStatus.APPLICATION_STATUS_ISSUED,
  refused: ApplicationStatus.APPLICATION_STATUS_REFUSED,
  withdrawn: ApplicationStatus.APPLICATION_STATUS_WITHDRAWN,
};

interface SubmitAct {
  act?: unknown;
  service?: unknown;
  variant?: unknown;
  sub_kinds?: unknown;
  payment_reference?: unknown;
  attachments?: unknown;
}

export interface ApplicationDeps {
  store: LicensingStore;
  audit: AuditLog;
  trust: TrustFollower;
  changes: ApplicationChanges;
  logger: Logger;
}

export const definitions = new DefinitionRegistry(NSC_LICENCES);

/** The step the case is in now, with its clock; undefined once closed. */
export function openStep(state: CaseState): StepRecord | undefined {
  return state.steps.find((s) => s.step === state.step && !s.completedAt);
}

export function toApplication(row: ApplicationRow): Application {
  const state = caseFromJson(row.state);
  const step = openStep(state);
  return {
    name: `applications/${row.id}`,
    service: row.service,
    definitionVersion: row.definition_version,
    variant: state.definition.variant,
    applicant: toParty({ type: row.applicant_type, identifier: row.applicant_identifier, name: row.applicant_name }),
    status: STATUSES[applicantStatus(state)],
    registrationNumber: state.registrationNo ?? '',
    subKinds: state.subKinds,
    currentStep: state.step ?? '',
    stepDueTime: step?.dueAt,
    dueTime: state.dueAt,
    dueDisplay: formatInstant(state.dueAt),
    createTime: row.created_at,
    updateTime: row.updated_at,
  };
}

/** The applicant a certificate names: a legal entity by the BIN in OU, else the person by the IIN. */
function applicantOf(cert: Certificate): { kind: 'individual' | 'legal_entity'; identifier: string; name: string } | undefined {
  const attr = (oid: string) => cert.subject.rdns.flat().find((a) => a.type === oid)?.value;
  const bin = binOf(cert);
  const iin = iinOf(cert);
  if (bin) return { kind: 'legal_entity', identifier: bin, name: attr('2.5.4.10') ?? bin };
  return iin ? { kind: 'individual', identifier: iin, name: attr('2.5.4.3') ?? iin } : undefined;
}

function auditInput(row: { id: string }, event: AuditEvent, actorId: string) {
  return { actor: actorId, action: event.action, resource: `applications/${row.id}`, payload: JSON.parse(JSON.stringify(event)) };
}

export function applicationHandlers({ store, audit, trust, changes, logger }: ApplicationDeps): Pick<LicensingServiceServer, 'submitApplication' | 'getApplication' | 'listApplications' | 'withdrawApplication' | 'watchApplication'> {
  const verify = <T>(envelope: Parameters<typeof verifyAct>[1], field: string) => {
    requireEnvelope(envelope, field);
    if (!trust.ready) throw unavailable('TRUST_NOT_READY', 'the trust anchors and CRLs are still loading; retry shortly');
    return verifyAct<T>(trust.core, envelope, field, { intermediates: trust.intermediates() });
  };
  return {
    submitApplication: unary(logger, async (req) => {
      if (req.requestId.length < 1 || req.requestId.length > 128) throw invalidArgument([{ field: 'request_id', description: 'is required, at most 128 characters' }]);
      const signed = verify<SubmitAct>(req.application, 'application');
      const applicant = applicantOf(signed.signer);
      if (!applicant) throw new RuqsatError(grpc.status.PERMISSION_DENIED, 'NOT_A_PERSON', "application: the signer's certificate names no IIN or BIN");
      const act = signed.act;
      requireAct(act, 'application', { act: 'submit_application' });
      const violations: FieldViolation[] = [];
      const service = typeof act.service === 'string' ? act.service : '';
      let def;
      try {
        def = definitions.resolve(service, new Date());
      } catch {
        violations.push({ field: 'application.payload.service', description: `must be one of ${definitions.ids().join(', ')}` });
      }
      const subKinds = Array.isArray(act.sub_kinds) && act.sub_kinds.every((k) => typeof k === 'string') ? (act.sub_kinds as string[]) : undefined;
      if (!subKinds) violations.push({ field: 'application.payload.sub_kinds', description: 'must be a list of sub-kind ids' });
      const attachments = Array.isArray(act.attachments) ? (act.attachments as { id?: unknown; sha256?: unknown }[]) : [];
      for (const a of attachments) {
        if (typeof a?.id !== 'string' || typeof a.sha256 !== 'string' || !SHA256.test(a.sha256)) {
          violations.push({ field: 'application.payload.attachments', description: 'each attachment needs an "id" and its "sha256" (64 lowercase hex)' });
          break;
        }
      }
      if (violations.length > 0 || !def) throw invalidArgument(violations);

      const requestHash = createHash('sha256').update(req.application!.payload).digest('hex');
      const existing = await store.applicationByRequestId(req.requestId);
      if (existing) {
        if (existing.request_hash !== requestHash) throw new RuqsatError(grpc.status.ALREADY_EXISTS, 'REQUEST_ID_REUSED', `request_id "${req.requestId}" was used for a different application`);
        return toApplication(existing);
      }
      const receivedAt = new Date();
      // The engine checks applicant kind, sub-kinds, the fee reference and the required attachments.
      const state = start(def, receivedAt, undefined, {
        variant: typeof act.variant === 'string' && act.variant !== '' ? act.variant : undefined,
        application: {
          applicantKind: applicant.kind,
          subKinds,
          paymentReference: typeof act.payment_reference === 'string' ? act.payment_reference : undefined,
          attachments: attachments.map((a) => a.id as string),
        },
      });
      const row = await store.db.transaction(async (trx) => {
        const raced = await store.applicationByRequestId(req.requestId, trx);
        if (raced) return raced;
        const inserted = await store.insertApplication(trx, {
          id: randomUUID(),
          request_id: req.requestId,
          request_hash: requestHash,
          service: def.id,
          definition_version: def.version,
          applicant_type: applicant.kind,
          applicant_identifier: applicant.identifier,
          applicant_name: applicant.name,
          status: applicantStatus(state),
          state: JSON.parse(caseToJson(state)) as object,
          envelope: Buffer.from(JSON.stringify({ payload: Buffer.from(req.application!.payload).toString('base64'), signature: Buffer.from(req.application!.signature).toString('base64'), chain: req.application!.certificateChain.map((c) => Buffer.from(c).toString('base64')) })),
        });
        await audit.append(trx, { actor: `applicant ${applicant.identifier}`, action: 'submit_application', resource: `applications/${inserted.id}`, payload: { service: def.id, version: def.version, due: state.dueAt.toISOString() } });
        return inserted;
      });
      logger.info({ application: row.id, service: row.service }, 'application received');
      await changes.changed(row.id);
      return toApplication(row);
    }),

    getApplication: unary(logger, async (req) => {
      const { application } = parseName(req.name, APPLICATION, 'name');
      const row = await store.application(application!);
      if (!row) throw notFound(req.name);
      return toApplication(row);
    }),

    listApplications: unary(logger, async (req) => {
      const applicant = identifierFilter(req.applicantIdentifier, 'applicant_identifier');
      const page = await listPage(req, { rpc: 'ListApplications', applicant }, (limit, before) => store.applications(applicant, limit, before), toApplication);
      return { applications: page.items, nextPageToken: page.nextPageToken };
    }),

    withdrawApplication: unary(logger, async (req) => {
      const { application } = parseName(req.name, APPLICATION, 'name');
      const signed = verify<{ act?: unknown; application?: unknown }>(req.withdrawal, 'withdrawal');
      requireAct(signed.act, 'withdrawal', { act: 'withdraw_application', application: req.name });
      const signer = applicantOf(signed.signer);
      const row = await store.db.transaction(async (trx) => {
        const current = await store.application(application!, trx);
        if (!current) throw notFound(req.name);
        if (signer?.identifier !== current.applicant_identifier) {
          throw new RuqsatError(grpc.status.PERMISSION_DENIED, 'NOT_THE_APPLICANT', 'withdrawal: only the applicant may withdraw the application');
        }
        const def = definitions.get(current.service, current.definition_version);
        const result = apply(def, caseFromJson(current.state), { type: 'withdraw', actor: 'applicant', actorId: signer.identifier }, new Date());
        if (!result.ok) throw result.error;
        await audit.append(trx, auditInput(current, result.audit, `applicant ${signer.identifier}`));
        return store.updateCase(trx, current.id, applicantStatus(result.state), caseToJson(result.state));
      });
      await changes.changed(row.id);
      return toApplication(row);
    }),

    watchApplication: (call) => {
      let id: string;
      try {
        id = parseName(call.request.name, APPLICATION, 'name').application!;
      } catch (err) {
        call.emit('error', toServiceError(toRuqsatError(err)));
        return;
      }
      let last = '';
      // Re-read on every notice; send only what the applicant would see change.
      const send = async () => {
        const row = await store.application(id);
        if (!row) throw notFound(call.request.name);
        const app = toApplication(row);
        const seen = JSON.stringify([app.status, app.currentStep, app.registrationNumber, app.dueTime?.getTime()]);
        if (seen !== last) {
          last = seen;
          call.write(app);
        }
      };
      let queue = Promise.resolve();
      const fail = (err: unknown): void => void call.emit('error', toServiceError(toRuqsatError(err)));
      changes.subscribe((changed) => {
        if (changed === id) queue = queue.then(send).catch(fail);
      }).then((unsubscribe) => {
        call.on('cancelled', () => void unsubscribe());
        queue = queue.then(send).catch(fail);
      }, fail);
    },
  };
}
