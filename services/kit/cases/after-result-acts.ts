// The acts after a case closed on its result (a definition's afterResult steps: deposit's cover letter and dispatch,
// the registry's dispatch of a paper Certificate): officials' EDS-signed acts through the same PerformAct, clocked by
// after-result.ts, which the SLA monitor watches too.
import * as grpc from '@grpc/grpc-js';
import type { CaseServiceServer, PerformActRequest } from '../../../gen/ruqsat/cases/v1/cases.ts';
import { invalidArgument, notFound, RuqsatError, type FieldViolation } from '../errors.ts';
import { unary } from '../grpc/handler.ts';
import { parseName } from '../names.ts';
import { requireAct, signatureMatches } from '../signed.ts';
import { caseFromJson } from '../workflow/index.ts';
import { afterResultClocks } from './after-result.ts';
import { APPLICATION, caseColumns, type CaseDeps } from './applicant-api.ts';
import { caseWithAppeals } from './officials-api.ts';
import { officialOf, verifySigned } from './signers.ts';
import type { ApplicationRow, EnvelopeJson } from './store.ts';
import { applicationName, fromEnvelope } from './view.ts';

export type Channel = 'post' | 'courier';
const MAX_REFERENCE = 200;

/** What an after-result act leaves in the application's details (instants as ISO strings). */
export interface AfterResultRecords {
  cover_letter?: { completed_at: string; by: string; envelope: EnvelopeJson };
  dispatch?: { completed_at: string; by: string; channel: Channel; reference: string };
}

/** The recorded dispatch as an applicant is shown it, the channel in the service's own enum. */
export function dispatchRecord<C>(row: ApplicationRow, channels: Record<Channel, C>): { channel: C; reference: string; dispatchTime: Date } | undefined {
  const d = (row.details as AfterResultRecords).dispatch;
  return d && { channel: channels[d.channel], reference: d.reference, dispatchTime: new Date(d.completed_at) };
}

/** The acts this module takes from PerformAct, and the after-result step each completes. */
const ACTS: Record<string, keyof AfterResultRecords> = { sign_cover_letter: 'cover_letter', dispatch: 'dispatch' };

const failed = (reason: string, message: string, meta: Record<string, string> = {}) => new RuqsatError(grpc.status.FAILED_PRECONDITION, reason, message, meta);

/** The act a PerformAct request carries, read only to route it: both routes verify the signature in full. */
function actOf(req: PerformActRequest): string | undefined {
  try {
    const act = (JSON.parse(Buffer.from(req.act?.payload ?? []).toString('utf8')) as { act?: unknown }).act;
    return typeof act === 'string' ? act : undefined;
  } catch {
    return undefined;
  }
}

type Act = Record<string, unknown> & { role?: unknown };

/** The officials' CaseService with the after-result acts added to PerformAct; every other act goes to `base`. */
export function withAfterResultActs(base: CaseServiceServer, { store, audit, trust, changes, definitions, logger }: CaseDeps, rolePolicy: Record<string, string | undefined>): CaseServiceServer {
  const perform = unary<PerformActRequest, Awaited<ReturnType<typeof caseWithAppeals>>>(logger, async (req) => {
    const { application } = parseName(req.application, APPLICATION, 'application');
    const signed = verifySigned<Act>(trust, req.act, 'act');
    requireAct(signed.act, 'act', { application: req.application });
    const official = await officialOf(store, signed, rolePolicy);
    const act = signed.act.act as string;
    const stepId = ACTS[act]!;
    const row = await store.db.transaction(async (trx) => {
      const current = await store.application(application!, trx);
      if (!current) throw notFound(req.application);
      const def = definitions.get(current.service, current.definition_version);
      const state = caseFromJson(current.state);
      const clocks = afterResultClocks(def, state, current.details);
      const at = clocks.findIndex((c) => c.step.id === stepId);
      if (at < 0) throw failed('STEP_OUT_OF_ORDER', `'${act}' follows ${def.afterResult?.find((s) => s.id === stepId)?.after.join(' or ') ?? 'no'} result under ${def.id} v${def.version}; the case is ${state.outcome ?? 'still open'}`, { step: stepId });
      const clock = clocks[at]!;
      if (clock.completedAt) throw failed('ALREADY_DONE', `'${stepId}' was done at ${clock.completedAt.toISOString()}`, { step: stepId });
      if (!clock.startedAt) throw failed('STEP_OUT_OF_ORDER', `'${clocks[at - 1]!.step.id}' comes before '${stepId}'`, { step: stepId });
      if (official.role !== clock.step.role) {
        throw new RuqsatError(grpc.status.PERMISSION_DENIED, 'WRONG_ROLE', `'${act}' is for ${clock.step.role}, not ${official.role}`, { expected_role: clock.step.role, actual_role: official.role });
      }
      const now = new Date();
      const done = { completed_at: now.toISOString(), by: official.label };
      let update: Partial<ApplicationRow>;
      if (stepId === 'cover_letter') {
        const draft = current.draft_document;
        if (!draft) throw failed('NO_DRAFT', 'there is no cover letter draft to sign');
        const sig = typeof signed.act.document_signature === 'string' ? Buffer.from(signed.act.document_signature, 'base64') : Buffer.alloc(0);
        if (sig.length === 0) throw invalidArgument([{ field: 'act.payload.document_signature', description: "the signature (base64) over the case's draft_document, the cover letter, is required" }]);
        if (!signatureMatches(signed.signer.spki, draft, sig)) throw new RuqsatError(grpc.status.UNAUTHENTICATED, 'BAD_DOCUMENT_SIGNATURE', "act: document_signature is not the signer's signature over the cover letter");
        const envelope = fromEnvelope({ payload: draft, signature: sig, certificateChain: req.act!.certificateChain });
        update = { details: { ...current.details, cover_letter: { ...done, envelope } }, draft_document: null };
      } else {
        const channel = signed.act.channel;
        const reference = signed.act.reference ?? '';
        const violations: FieldViolation[] = [];
        if (channel !== 'post' && channel !== 'courier') violations.push({ field: 'act.payload.channel', description: 'must be "post" or "courier" (пошта немесе курьерлік қызмет)' });
        if (typeof reference !== 'string' || reference.length > MAX_REFERENCE) violations.push({ field: 'act.payload.reference', description: `the tracking number or waybill, text up to ${MAX_REFERENCE} characters` });
        if (violations.length > 0) throw invalidArgument(violations);
        update = { details: { ...current.details, dispatch: { ...done, channel: channel as Channel, reference: (reference as string).trim() } } };
      }
      await audit.append(trx, { actor: official.label, action: act, resource: applicationName(current.id), payload: { step: stepId, due_at: clock.dueAt!.toISOString(), late: now > clock.dueAt!, ...(stepId === 'dispatch' ? { channel: signed.act.channel as string } : {}) } });
      // The next step's clock starts now: the SLA monitor's next look and the overdue mark follow it.
      const sla = caseColumns(state, now, { def, details: update.details! });
      const [written] = await store.db
        .table('applications', trx)
        .where({ id: current.id })
        .update({ ...update, details: JSON.stringify(update.details), next_check_at: sla.next_check_at, overdue: sla.overdue, updated_at: now })
        .returning<ApplicationRow[]>('*');
      return written!;
    });
    logger.info({ application: req.application, act, role: official.role }, 'official act after the result');
    await changes.changed(row.id);
    return caseWithAppeals(store, definitions, row);
  });
  const ours = (req: PerformActRequest) => Object.hasOwn(ACTS, actOf(req) ?? '');
  return { ...base, performAct: (call, callback) => (ours(call.request) ? perform : base.performAct)(call, callback) };
}
