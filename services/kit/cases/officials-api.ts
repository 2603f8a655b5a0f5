// The officials' side (ruqsat.cases.v1.CaseService): EDS-signed acts on a case, the draft result document, and
// its signature by the authorized official; shared by every service that runs state services.
import * as grpc from '@grpc/grpc-js';
import type { Knex } from 'knex';
import type { Case, CaseServiceServer } from '../../../gen/ruqsat/cases/v1/cases.ts';
import type { SignedEnvelope } from '../../../gen/ruqsat/common/v1/common.ts';
import { canonicalJson } from '../audit.ts';
import { DEFAULT_OFFICE_HOURS } from '../calendar/index.ts';
import { instantAt, parseClock, wallClock } from '../calendar/zone.ts';
import { invalidArgument, notFound, RuqsatError, type FieldViolation } from '../errors.ts';
import { unary } from '../grpc/handler.ts';
import { parseName } from '../names.ts';
import { listPage } from '../paging.ts';
import { identifierFilter } from '../party.ts';
import { requireAct, signatureMatches } from '../signed.ts';
import { apply, caseFromJson, type CaseState, type DefinitionRegistry, type Role, type WorkflowEvent } from '../workflow/index.ts';
import { afterResultClocks, afterResultOverdue, pendingClock } from './after-result.ts';
import { APPLICATION, auditOf, caseColumns, type CaseDeps } from './applicant-api.ts';
import { officialOf, verifySigned, type Official } from './signers.ts';
import type { ApplicationRow, CaseStore } from './store.ts';
import { applicationName, fromEnvelope, openStep, overdueNow, STATUS_NAMES, STATUSES, toAppeal } from './view.ts';
import { applicantStatus } from '../workflow/index.ts';

const APPEAL = 'applications/{application}/appeals/{appeal}';

type Act = Record<string, unknown> & { act?: unknown; role?: unknown };

export interface OfficialHooks {
  /** The result document of a draft that issues (JSON bytes): exactly what the signatory will sign. `act` is the draft act. */
  draftIssue(trx: Knex.Transaction, row: ApplicationRow, state: CaseState, act: Record<string, unknown>): Promise<Buffer>;
  /**
   * Refuses an act the service's own facts contradict (a finding against a computed check), before it is recorded;
   * `state` is the case after the act, `row` before it; `act` and `envelope` are the official's signed act.
   */
  vetAct?(trx: Knex.Transaction, ctx: { row: ApplicationRow; state: CaseState; event: WorkflowEvent; act: Record<string, unknown>; envelope: SignedEnvelope; official: Official }): Promise<void>;
  /** After the act's transaction committed: work that must not hold the transaction (calls to other services). */
  committed?(row: ApplicationRow, event: WorkflowEvent): Promise<void>;
  /** Records the service's result (a licence, a permit) in the transaction that closes the case. */
  issued?(trx: Knex.Transaction, ctx: { row: ApplicationRow; state: CaseState; document: SignedEnvelope; official: Official }): Promise<void>;
}

/** The date as it stands in Almaty, for documents. */
export const almatyDate = (at: Date) => wallClock(at).date;

/** The reasoned refusal (дәлелді бас тарту) as a document the refusing official signs. */
export function refusalDocument(row: ApplicationRow, state: CaseState, at: Date): Buffer {
  return Buffer.from(
    canonicalJson({
      document: 'ruqsat.refusal',
      application: applicationName(row.id),
      service: row.service,
      registration_number: state.registrationNo ?? '',
      applicant: { type: row.applicant_type, identifier: row.applicant_identifier, name: row.applicant_name },
      reasons: state.finding?.reasons.length ? state.finding.reasons : (state.hearing?.reasons ?? []),
      date: almatyDate(at),
    }),
    'utf8',
  );
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
      return { ...base, type: 'record_finding', complies: act.complies, reasons: list('reasons'), exit: str('exit') };
    case 'agree_period':
      return { ...base, type: 'agree_period', until: agreedUntil(str('until')), reasons: list('reasons') ?? [] };
    case 'request_documents':
    case 'request_samples':
      return { ...base, type: act.act, what: str('what') };
    case 'draft_result':
      return { ...base, type: 'draft_result', result: str('result') as 'issue' | 'refusal' | undefined };
    case 'sign':
      return { ...base, type: 'sign' };
    case 'preliminary_refusal':
      return { ...base, type: 'preliminary_refusal', reasons: list('reasons') ?? [] };
    case 'refuse':
      return { ...base, type: 'refuse', reasons: list('reasons') };
    case 'convene_commission': {
      const members = Array.isArray(act.members) ? (act.members as Record<string, unknown>[]) : [];
      return { ...base, type: 'convene_commission', members: members.map((m) => ({ id: String(m?.iin ?? ''), body: String(m?.body ?? ''), position: String(m?.position ?? '') })) };
    }
    case 'vote':
      if (typeof act.signs !== 'boolean') throw invalidArgument([{ field: 'act.payload.signs', description: 'must be true (sign the act) or false (dissent, with reasons)' }]);
      return { ...base, type: 'vote', signs: act.signs, reasons: list('reasons') };
    default:
      throw invalidArgument([{ field: 'act.payload.act', description: `"${String(act.act)}" is not an official's act` }]);
  }
}

/** The agreed period's last day ('YYYY-MM-DD') ends when the office closes that day in Almaty. */
function agreedUntil(date: string | undefined): Date {
  try {
    return instantAt(date ?? '', parseClock(DEFAULT_OFFICE_HOURS.closes));
  } catch {
    throw invalidArgument([{ field: 'act.payload.until', description: 'the last day of the agreed period, YYYY-MM-DD' }]);
  }
}

/** The signed result: the official's signature over the draft bytes, or, with no draft, the signed act itself. */
function resultDocument(row: ApplicationRow, act: Act, envelope: SignedEnvelope, spki: Uint8Array): SignedEnvelope {
  if (!row.draft_document) return envelope;
  const sig = typeof act.document_signature === 'string' ? Buffer.from(act.document_signature, 'base64') : Buffer.alloc(0);
  if (sig.length === 0) throw invalidArgument([{ field: 'act.payload.document_signature', description: "the signature (base64) over the case's draft_document is required" }]);
  if (!signatureMatches(spki, row.draft_document, sig)) {
    throw new RuqsatError(grpc.status.UNAUTHENTICATED, 'BAD_DOCUMENT_SIGNATURE', "act: document_signature is not the signer's signature over the draft document");
  }
  return { payload: row.draft_document, signature: sig, certificateChain: envelope.certificateChain };
}

/** A case as the officials see it; once the result is signed, its current step is the afterResult step running. */
export function toCase(row: ApplicationRow, definitions: DefinitionRegistry, now = new Date()): Case {
  const state = caseFromJson(row.state);
  const clocks = afterResultClocks(definitions.get(row.service, row.definition_version), state, row.details);
  const after = pendingClock(clocks);
  return {
    application: applicationName(row.id),
    service: row.service,
    status: STATUSES[applicantStatus(state)],
    currentStep: state.step ?? after?.step.id ?? '',
    stepDueTime: openStep(state)?.dueAt ?? after?.dueAt,
    dueTime: state.dueAt,
    overdue: overdueNow(state, now) || afterResultOverdue(clocks, now),
    registrationNumber: state.registrationNo ?? '',
    executor: state.executorId ?? '',
    draftDocument: row.draft_document ?? Buffer.alloc(0),
    pendingAppeals: [],
  };
}

/** The case with the appeals still waiting for an answer. */
export async function caseWithAppeals(store: CaseStore, definitions: DefinitionRegistry, row: ApplicationRow): Promise<Case> {
  return { ...toCase(row, definitions), pendingAppeals: (await store.appeals(row.id)).filter((a) => !a.decision).map(toAppeal) };
}

export function officialsApi({ store, audit, trust, changes, definitions, logger }: CaseDeps, hooks: OfficialHooks, rolePolicy: Record<string, string | undefined>): CaseServiceServer {
  const withAppeals = (row: ApplicationRow) => caseWithAppeals(store, definitions, row);

  /** answer_appeal: the provider's head answers (and records the quality body's answer as received). */
  async function answerAppeal(signedAct: Act, official: Official, applicationId: string) {
    const violations: FieldViolation[] = [];
    const name = typeof signedAct.appeal === 'string' ? signedAct.appeal : '';
    if (signedAct.decision !== 'upheld' && signedAct.decision !== 'dismissed') violations.push({ field: 'act.payload.decision', description: 'must be "upheld" or "dismissed"' });
    if (typeof signedAct.text !== 'string' || signedAct.text.trim() === '') violations.push({ field: 'act.payload.text', description: 'the answer is reasoned' });
    if (violations.length > 0) throw invalidArgument(violations);
    const { application, appeal } = parseName(name, APPEAL, 'act.payload.appeal');
    if (application !== applicationId) throw invalidArgument([{ field: 'act.payload.appeal', description: 'must be an appeal on this application' }]);
    if (official.role !== 'head') throw new RuqsatError(grpc.status.PERMISSION_DENIED, 'WRONG_ROLE', `act: appeals are answered by the head, not ${official.role}`);
    const row = await store.db.transaction(async (trx) => {
      const current = await store.appeal(appeal!, trx);
      if (!current || current.application_id !== application) throw notFound(name);
      if (current.decision) throw new RuqsatError(grpc.status.FAILED_PRECONDITION, 'APPEAL_ANSWERED', `the appeal was answered at ${current.answered_at!.toISOString()}`);
      await store.answerAppeal(trx, current.id, { decision: signedAct.decision as string, answer: signedAct.text as string, answered_by: official.label, answered_at: new Date() });
      await audit.append(trx, { actor: official.label, action: 'answer_appeal', resource: applicationName(application), payload: { appeal: current.id, decision: signedAct.decision as string } });
      return (await store.application(application, trx))!;
    });
    await changes.changed(row.id);
    return withAppeals(row);
  }

  return {
    listCases: unary(logger, async (req) => {
      const status = req.status ? STATUS_NAMES[req.status] : undefined;
      const now = new Date();
      const executor = identifierFilter(req.executor, 'executor');
      const query = { rpc: 'ListCases', status, executor, overdueOnly: req.overdueOnly };
      const page = await listPage(req, query, (limit, before) => store.applications({ status, executor, maybeOverdue: req.overdueOnly ? now : undefined }, limit, before), (row) => toCase(row, definitions, now));
      // The SQL picks rows marked or due for a look; the case's own clock decides.
      return { cases: req.overdueOnly ? page.items.filter((c) => c.overdue) : page.items, nextPageToken: page.nextPageToken };
    }),

    performAct: unary(logger, async (req) => {
      const { application } = parseName(req.application, APPLICATION, 'application');
      const signed = verifySigned<Act>(trust, req.act, 'act');
      requireAct(signed.act, 'act', { application: req.application });
      const official = await officialOf(store, signed, rolePolicy);
      if (signed.act.act === 'answer_appeal') return answerAppeal(signed.act, official, application!);
      const event = eventOf(signed.act, official.role, official.iin);
      const row = await store.db.transaction(async (trx) => {
        const current = await store.application(application!, trx);
        if (!current) throw notFound(req.application);
        const now = new Date();
        const def = definitions.get(current.service, current.definition_version);
        const result = apply(def, caseFromJson(current.state), event, now);
        if (!result.ok) throw result.error;
        await hooks.vetAct?.(trx, { row: current, state: result.state, event, act: signed.act, envelope: req.act!, official });
        const extra: { draft_document?: Buffer; result_document?: ReturnType<typeof fromEnvelope> } = {};
        if (event.type === 'draft_result') {
          extra.draft_document = result.state.draft === 'issue' ? await hooks.draftIssue(trx, current, result.state, signed.act) : refusalDocument(current, result.state, now);
        }
        if (event.type === 'sign' || event.type === 'refuse') {
          const document = resultDocument(current, signed.act, req.act!, signed.signer.spki);
          extra.result_document = fromEnvelope(document);
          if (event.type === 'sign') await hooks.issued?.(trx, { row: current, state: result.state, document, official });
        }
        await audit.append(trx, auditOf(current.id, result.audit, official.label));
        return store.updateCase(trx, current.id, { ...caseColumns(result.state, now, { def, details: current.details }), ...extra });
      });
      logger.info({ application: req.application, act: event.type, role: official.role }, 'official act');
      await hooks.committed?.(row, event);
      await changes.changed(row.id);
      return withAppeals(row);
    }),
  };
}
