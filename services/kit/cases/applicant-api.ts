// The applicant's side of a state service: submit an EDS-signed application, follow it, answer notices, appeal, withdraw.
import * as grpc from '@grpc/grpc-js';
import { createHash, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { SignedEnvelope } from '../../../gen/ruqsat/common/v1/common.ts';
import type { AuditLog } from '../audit.ts';
import { calendar } from '../calendar/index.ts';
import { invalidArgument, notFound, RuqsatError, toRuqsatError, toServiceError, type FieldViolation } from '../errors.ts';
import { unary } from '../grpc/handler.ts';
import { parseName } from '../names.ts';
import { listPage } from '../paging.ts';
import { identifierFilter } from '../party.ts';
import { requireAct } from '../signed.ts';
import type { TrustFollower } from '../trust-follower.ts';
import { apply, applicantStatus, caseFromJson, caseToJson, start, type AuditEvent, type DefinitionRegistry, type ServiceDefinition, type WorkflowEvent } from '../workflow/index.ts';
import { afterResultClocks, afterResultNextCheck, afterResultOverdue } from './after-result.ts';
import type { ApplicationChanges } from './changes.ts';
import { applicantOf, verifySigned, type Applicant } from './signers.ts';
import type { AppealRow, ApplicationRow, CaseStore } from './store.ts';
import { applicationView, fromEnvelope, nextCheck, overdueNow, toAppeal, toHistory, type ApplicationView } from './view.ts';

export const APPLICATION = 'applications/{application}';
const SHA256 = /^[0-9a-f]{64}$/;
const MAX_TEXT = 10_000;

/** What a service adds to the shared flow: its own submission fields, its result document, its result. */
export interface CaseHooks {
  /**
   * Checks the service's own fields of a submission and returns what to keep of them. `caller` is the mesh system that
   * submits it ("BIN/system" under mutual TLS, else the peer's address).
   */
  submission?(act: Record<string, unknown>, applicant: Applicant, variant: string | undefined, caller: string): Promise<{ violations: FieldViolation[]; details: Record<string, unknown> }>;
}

export interface CaseDeps {
  /** The service's name, for the bus channel and the audit log. */
  service: string;
  store: CaseStore;
  audit: AuditLog;
  trust: TrustFollower;
  changes: ApplicationChanges;
  definitions: DefinitionRegistry;
  logger: Logger;
}

type Act = Record<string, unknown>;

/** Attachments as a signed act lists them: [{id, sha256}], or a field violation. */
export function attachmentsOf(act: Act, field: string, violations: FieldViolation[]): { id: string; sha256: string }[] {
  if (act.attachments === undefined) return [];
  const list = Array.isArray(act.attachments) ? (act.attachments as { id?: unknown; sha256?: unknown }[]) : undefined;
  if (!list || list.some((a) => typeof a?.id !== 'string' || a.id === '' || typeof a.sha256 !== 'string' || !SHA256.test(a.sha256))) {
    violations.push({ field, description: 'each attachment needs an "id" and its "sha256" (64 lowercase hex)' });
    return [];
  }
  return list.map((a) => ({ id: a.id as string, sha256: a.sha256 as string }));
}

/** The row's columns a transition rewrites, with the SLA monitor's next look; `after` adds the definition's afterResult clocks. */
export function caseColumns(state: ReturnType<typeof caseFromJson>, now: Date, after?: { def: ServiceDefinition; details: Record<string, unknown> }) {
  const clocks = after ? afterResultClocks(after.def, state, after.details) : [];
  // A closed case has no machine deadline left: its afterResult steps are what can still lapse.
  const next = state.phase === 'closed' ? afterResultNextCheck(clocks, now) : nextCheck(state, now);
  return { status: applicantStatus(state), state: caseToJson(state), next_check_at: next, overdue: overdueNow(state, now) || afterResultOverdue(clocks, now) };
}

export function auditOf(id: string, event: AuditEvent, actor: string) {
  return { actor, action: event.action, resource: `applications/${id}`, payload: JSON.parse(JSON.stringify(event)) };
}

export function applicantApi({ service, store, audit, trust, changes, definitions, logger }: CaseDeps, hooks: CaseHooks = {}) {
  /** The application the signer may act on: it must be theirs. */
  async function own(trx: Parameters<CaseStore['application']>[1], id: string, name: string, signer: Applicant | undefined, field: string): Promise<ApplicationRow> {
    const current = await store.application(id, trx);
    if (!current) throw notFound(name);
    if (signer?.identifier !== current.applicant_identifier) {
      throw new RuqsatError(grpc.status.PERMISSION_DENIED, 'NOT_THE_APPLICANT', `${field}: only the applicant may do this`);
    }
    return current;
  }

  /** Applies the applicant's event under the row lock, audit-logs it, and tells the watchers. */
  async function act(name: string, envelope: SignedEnvelope | undefined, field: string, want: Record<string, unknown>, eventOf: (row: ApplicationRow, a: Act) => WorkflowEvent, extra?: (row: ApplicationRow, a: Act) => Pick<ApplicationRow, 'attachments'>) {
    const { application } = parseName(name, APPLICATION, 'name');
    const signed = verifySigned<Act>(trust, envelope, field);
    requireAct(signed.act, field, { ...want, application: name });
    const signer = applicantOf(signed.signer);
    const row = await store.db.transaction(async (trx) => {
      const current = await own(trx, application!, name, signer, field);
      const now = new Date();
      const def = definitions.get(current.service, current.definition_version);
      const result = apply(def, caseFromJson(current.state), eventOf(current, signed.act), now);
      if (!result.ok) throw result.error;
      await audit.append(trx, auditOf(current.id, result.audit, `applicant ${signer!.identifier}`));
      return store.updateCase(trx, current.id, { ...caseColumns(result.state, now, { def, details: current.details }), ...extra?.(current, signed.act) });
    });
    await changes.changed(row.id);
    return row;
  }

  /** The full view: the row with its appeals and its history from the audit log. */
  async function view(row: ApplicationRow): Promise<ApplicationView> {
    const [appeals, history] = await Promise.all([store.appeals(row.id), store.history(`applications/${row.id}`)]);
    return applicationView(row, { appeals, history: toHistory(history) });
  }

  return {
    view,

    async submit(req: { requestId: string; application?: SignedEnvelope }, caller = ''): Promise<ApplicationRow> {
      if (req.requestId.length < 1 || req.requestId.length > 128) throw invalidArgument([{ field: 'request_id', description: 'is required, at most 128 characters' }]);
      const signed = verifySigned<Act>(trust, req.application, 'application');
      const applicant = applicantOf(signed.signer);
      if (!applicant) throw new RuqsatError(grpc.status.PERMISSION_DENIED, 'NOT_A_PERSON', "application: the signer's certificate names no IIN or BIN");
      const a = signed.act;
      requireAct(a, 'application', { act: 'submit_application' });
      const violations: FieldViolation[] = [];
      const serviceId = typeof a.service === 'string' ? a.service : '';
      let def;
      try {
        def = definitions.resolve(serviceId, new Date());
      } catch {
        violations.push({ field: 'application.payload.service', description: `must be one of ${definitions.ids().join(', ')}` });
      }
      const subKinds = a.sub_kinds === undefined ? [] : Array.isArray(a.sub_kinds) && a.sub_kinds.every((k) => typeof k === 'string') ? (a.sub_kinds as string[]) : undefined;
      if (!subKinds) violations.push({ field: 'application.payload.sub_kinds', description: 'must be a list of sub-kind ids' });
      const attachments = attachmentsOf(a, 'application.payload.attachments', violations);
      const variant = typeof a.variant === 'string' && a.variant !== '' ? a.variant : undefined;
      const own = hooks.submission ? await hooks.submission(a, applicant, variant, caller) : { violations: [], details: {} };
      violations.push(...own.violations);
      if (violations.length > 0 || !def) throw invalidArgument(violations);

      const requestHash = createHash('sha256').update(req.application!.payload).digest('hex');
      const existing = await store.applicationByRequestId(req.requestId);
      if (existing) {
        if (existing.request_hash !== requestHash) throw new RuqsatError(grpc.status.ALREADY_EXISTS, 'REQUEST_ID_REUSED', `request_id "${req.requestId}" was used for a different application`);
        return existing;
      }
      const receivedAt = new Date();
      const paymentReference = typeof a.payment_reference === 'string' ? a.payment_reference : '';
      // The engine checks applicant kind, sub-kinds, the fee reference and the required attachments.
      const state = start(def, receivedAt, undefined, {
        variant,
        application: { applicantKind: applicant.kind, subKinds: subKinds!, paymentReference: paymentReference || undefined, attachments: attachments.map((x) => x.id) },
      });
      const insert = () => store.db.transaction(async (trx) => {
        const raced = await store.applicationByRequestId(req.requestId, trx);
        if (raced) return raced;
        const columns = caseColumns(state, receivedAt);
        const inserted = await store.insertApplication(trx, {
          id: randomUUID(),
          request_id: req.requestId,
          request_hash: requestHash,
          service: def.id,
          definition_version: def.version,
          applicant_type: applicant.kind,
          applicant_identifier: applicant.identifier,
          applicant_name: applicant.name,
          status: columns.status,
          state: JSON.parse(columns.state) as object,
          next_check_at: columns.next_check_at,
          envelope: Buffer.from(JSON.stringify(fromEnvelope(req.application!))),
          details: own.details,
          payment_reference: paymentReference,
          attachments,
        });
        await audit.append(trx, { actor: `applicant ${applicant.identifier}`, action: 'submit_application', resource: `applications/${inserted.id}`, payload: { service: def.id, version: def.version, due: state.dueAt.toISOString() } });
        return inserted;
      });
      // Two submits with one request_id racing on PostgreSQL: the loser's insert hits the unique key; answer as a retry.
      const row = await insert().catch(async (err: { code?: string }) => {
        const winner = err.code === '23505' ? await store.applicationByRequestId(req.requestId) : undefined;
        if (!winner) throw err;
        if (winner.request_hash !== requestHash) throw new RuqsatError(grpc.status.ALREADY_EXISTS, 'REQUEST_ID_REUSED', `request_id "${req.requestId}" was used for a different application`);
        return winner;
      });
      logger.info({ application: row.id, service: row.service }, 'application received');
      await changes.changed(row.id);
      return row;
    },

    async get(name: string): Promise<ApplicationRow> {
      const { application } = parseName(name, APPLICATION, 'name');
      const row = await store.application(application!);
      if (!row) throw notFound(name);
      return row;
    },

    async list(req: { pageSize: number; pageToken: string; applicantIdentifier: string }) {
      const applicant = identifierFilter(req.applicantIdentifier, 'applicant_identifier');
      return listPage(req, { rpc: 'ListApplications', applicant }, (limit, before) => store.applications({ applicant }, limit, before), (row) => row);
    },

    withdraw: (name: string, envelope: SignedEnvelope | undefined) =>
      act(name, envelope, 'withdrawal', { act: 'withdraw_application' }, (row) => ({ type: 'withdraw', actor: 'applicant', actorId: row.applicant_identifier })),

    /** Answers the open notice: documents or samples restart the clock; text is an objection at a hearing. */
    submitDocuments: (name: string, envelope: SignedEnvelope | undefined) =>
      act(
        name,
        envelope,
        'answer',
        { act: 'submit_documents' },
        (row, a) => {
          const violations: FieldViolation[] = [];
          attachmentsOf(a, 'answer.payload.attachments', violations);
          if (a.text !== undefined && (typeof a.text !== 'string' || a.text.length > MAX_TEXT)) violations.push({ field: 'answer.payload.text', description: `must be text of at most ${MAX_TEXT} characters` });
          if (violations.length > 0) throw invalidArgument(violations);
          const state = caseFromJson(row.state);
          const base = { actor: 'applicant' as const, actorId: row.applicant_identifier };
          return state.phase === 'paused' ? { ...base, type: 'documents_received' } : { ...base, type: 'objection_received', text: typeof a.text === 'string' ? a.text : undefined };
        },
        (row, a) => ({ attachments: [...row.attachments, ...attachmentsOf(a, 'answer.payload.attachments', [])] }),
      ),

    /** Files an appeal (шағым); its answer is due by the route's limit on the working-day calendar. */
    async fileAppeal(name: string, envelope: SignedEnvelope | undefined): Promise<AppealRow> {
      const { application } = parseName(name, APPLICATION, 'name');
      const signed = verifySigned<Act>(trust, envelope, 'appeal');
      requireAct(signed.act, 'appeal', { act: 'file_appeal', application: name });
      const a = signed.act;
      const violations: FieldViolation[] = [];
      if (a.to !== 'head_of_provider' && a.to !== 'quality_body') violations.push({ field: 'appeal.payload.to', description: 'must be "head_of_provider" or "quality_body"' });
      if (typeof a.text !== 'string' || a.text.trim() === '' || a.text.length > MAX_TEXT) violations.push({ field: 'appeal.payload.text', description: `states the grounds, at most ${MAX_TEXT} characters` });
      if (violations.length > 0) throw invalidArgument(violations);
      const signer = applicantOf(signed.signer);
      const appeal = await store.db.transaction(async (trx) => {
        // The same signed appeal twice is one appeal.
        const again = await store.appealByFingerprint(signed.fingerprint, trx);
        if (again) return again;
        const current = await own(trx, application!, name, signer, 'appeal');
        const route = definitions.get(current.service, current.definition_version).appeals.find((r) => r.to === a.to);
        if (!route) throw new RuqsatError(grpc.status.FAILED_PRECONDITION, 'NO_APPEAL_ROUTE', `${current.service} takes no appeal to ${String(a.to)}`);
        const filedAt = new Date();
        const row = await store.insertAppeal(trx, {
          id: randomUUID(),
          application_id: current.id,
          recipient: a.to as AppealRow['recipient'],
          text: a.text as string,
          envelope: Buffer.from(JSON.stringify(fromEnvelope(envelope!))),
          fingerprint: signed.fingerprint,
          filed_at: filedAt,
          due_at: calendar.deadline(filedAt, route.limit).dueAt,
        });
        await audit.append(trx, { actor: `applicant ${signer!.identifier}`, action: 'file_appeal', resource: name, payload: { appeal: row.id, to: row.recipient, due: row.due_at.toISOString() } });
        return row;
      });
      await changes.changed(appeal.application_id);
      return appeal;
    },

    /** The personal cabinet: the application now and at every change the applicant can see. */
    watch<T>(call: grpc.ServerWritableStream<{ name: string }, T>, toMessage: (view: ApplicationView, row: ApplicationRow) => T, fail: (err: unknown) => void): void {
      let id: string;
      try {
        id = parseName(call.request.name, APPLICATION, 'name').application!;
      } catch (err) {
        fail(err);
        return;
      }
      let last = '';
      const send = async () => {
        const row = await store.application(id);
        if (!row) throw notFound(call.request.name);
        const v = await view(row);
        // History grows with every act; the rest says what the applicant would see change.
        const seen = JSON.stringify({ ...v, history: v.history.length, updateTime: undefined });
        if (seen !== last) {
          last = seen;
          call.write(toMessage(v, row));
        }
      };
      let queue = Promise.resolve();
      const resend = () => (queue = queue.then(send).catch(fail));
      changes.subscribe((changed) => {
        if (changed === id) resend();
      }, resend).then((unsubscribe) => {
        call.on('cancelled', () => void unsubscribe());
        queue = queue.then(send).catch(fail);
      }, fail);
    },

    toAppeal,
    service,
  };
}

export type ApplicantApi = ReturnType<typeof applicantApi>;

/** The seven applicant RPCs of a service, over `api`, answering with the service's own Application message. */
export function applicantHandlers<T>(api: ApplicantApi, toMessage: (view: ApplicationView, row: ApplicationRow) => T, logger: Logger) {
  const full = async (row: ApplicationRow) => toMessage(await api.view(row), row);
  return {
    submitApplication: unary(logger, async (req: { requestId: string; application?: SignedEnvelope }, ctx) => full(await api.submit(req, ctx.caller))),
    getApplication: unary(logger, async (req: { name: string }) => full(await api.get(req.name))),
    listApplications: unary(logger, async (req: { pageSize: number; pageToken: string; applicantIdentifier: string }) => {
      const page = await api.list(req);
      return { applications: await Promise.all(page.items.map(full)), nextPageToken: page.nextPageToken };
    }),
    withdrawApplication: unary(logger, async (req: { name: string; withdrawal?: SignedEnvelope }) => full(await api.withdraw(req.name, req.withdrawal))),
    submitDocuments: unary(logger, async (req: { name: string; answer?: SignedEnvelope }) => full(await api.submitDocuments(req.name, req.answer))),
    fileAppeal: unary(logger, async (req: { name: string; appeal?: SignedEnvelope }) => toAppeal(await api.fileAppeal(req.name, req.appeal))),
    watchApplication: (call: grpc.ServerWritableStream<{ name: string }, T>) => api.watch(call, toMessage, (err) => void call.emit('error', toServiceError(toRuqsatError(err)))),
  };
}
