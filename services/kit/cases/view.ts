// A case row as the applicant and the officials see it: the API's shapes, derived from the engine's state.
import { AppealRecipient, ApplicationStatus, type Appeal, type HistoryEntry, type Notice, type SignedEnvelope, type StepClock } from '../../../gen/ruqsat/common/v1/common.ts';
import { formatInstant } from '../calendar/index.ts';
import { toParty } from '../party.ts';
import { applicantStatus, caseFromJson, overdue, type ApplicantStatus, type CaseState, type StepRecord } from '../workflow/index.ts';
import type { AppealRow, ApplicationRow, EnvelopeJson } from './store.ts';

/** The applicant-visible status as the API spells it. */
export const STATUSES: Record<ApplicantStatus, ApplicationStatus> = {
  delivered: ApplicationStatus.APPLICATION_STATUS_DELIVERED,
  registered: ApplicationStatus.APPLICATION_STATUS_REGISTERED,
  in_progress: ApplicationStatus.APPLICATION_STATUS_IN_PROGRESS,
  awaiting_applicant: ApplicationStatus.APPLICATION_STATUS_AWAITING_APPLICANT,
  issued: ApplicationStatus.APPLICATION_STATUS_ISSUED,
  refused: ApplicationStatus.APPLICATION_STATUS_REFUSED,
  withdrawn: ApplicationStatus.APPLICATION_STATUS_WITHDRAWN,
};

/** API status → the engine's name, for list filters. */
export const STATUS_NAMES = Object.fromEntries(Object.entries(STATUSES).map(([name, code]) => [code, name])) as Partial<Record<ApplicationStatus, string>>;

export const applicationName = (id: string) => `applications/${id}`;
export const appealName = (row: Pick<AppealRow, 'application_id' | 'id'>) => `applications/${row.application_id}/appeals/${row.id}`;

/** The step the case is in now, with its clock; undefined once closed. */
export function openStep(state: CaseState): StepRecord | undefined {
  return state.steps.find((s) => s.step === state.step && !s.completedAt);
}

/** Late now: an open step, the case, or an applicant's pause past its time (steps finished late are history). */
export function overdueNow(state: CaseState, now: Date): boolean {
  return overdue(state, now).some((o) => o.completedAt === undefined);
}

/** The earliest deadline still ahead, when the SLA monitor looks at the case again; null once nothing can lapse. */
export function nextCheck(state: CaseState, now: Date): Date | null {
  if (state.phase === 'closed') return null;
  const ahead = [openStep(state)?.dueAt, state.dueAt, state.pause?.expiresAt, state.hearing && !state.hearing.closedAt ? state.hearing.objectionUntil : undefined]
    .filter((d): d is Date => d !== undefined && d.getTime() > now.getTime())
    .map((d) => d.getTime());
  // An expired pause still waits for the monitor's pause_expired: look again at once.
  if (state.phase === 'paused' && state.pause && state.pause.expiresAt.getTime() <= now.getTime()) return now;
  return ahead.length > 0 ? new Date(Math.min(...ahead)) : null;
}

export function toEnvelope(json: EnvelopeJson): SignedEnvelope {
  return { payload: Buffer.from(json.payload, 'base64'), signature: Buffer.from(json.signature, 'base64'), certificateChain: json.chain.map((c) => Buffer.from(c, 'base64')) };
}

export function fromEnvelope(e: SignedEnvelope): EnvelopeJson {
  return { payload: Buffer.from(e.payload).toString('base64'), signature: Buffer.from(e.signature).toString('base64'), chain: e.certificateChain.map((c) => Buffer.from(c).toString('base64')) };
}

/** The notice waiting for the applicant: a request that paused the clock, or a preliminary refusal open to objection. */
function noticeOf(state: CaseState): Notice | undefined {
  if (state.phase === 'paused' && state.pause) {
    return { kind: state.pause.action, details: state.pause.what ? [state.pause.what] : [], sendTime: state.pause.from, respondUntil: state.pause.expiresAt };
  }
  const h = state.hearing;
  if (state.phase === 'open' && h && !h.closedAt && !h.objection) return { kind: 'preliminary_refusal', details: h.reasons, sendTime: h.noticeAt, respondUntil: h.objectionUntil };
  return undefined;
}

export function toAppeal(row: AppealRow): Appeal {
  return {
    name: appealName(row),
    recipient: row.recipient === 'head_of_provider' ? AppealRecipient.APPEAL_RECIPIENT_HEAD_OF_PROVIDER : AppealRecipient.APPEAL_RECIPIENT_QUALITY_BODY,
    text: row.text,
    fileTime: row.filed_at,
    dueTime: row.due_at,
    decision: row.decision ?? '',
    answer: row.answer ?? '',
    answerTime: row.answered_at ?? undefined,
  };
}

export function toHistory(entries: { at: Date; action: string; payload: Record<string, unknown> }[]): HistoryEntry[] {
  return entries.map(({ at, action, payload }) => {
    const to = payload.to as { status?: ApplicantStatus; step?: string } | undefined;
    return {
      time: at,
      action,
      actorRole: typeof payload.actor === 'string' ? payload.actor : action === 'submit_application' ? 'applicant' : '',
      status: to?.status ? STATUSES[to.status] : action === 'submit_application' ? ApplicationStatus.APPLICATION_STATUS_DELIVERED : ApplicationStatus.APPLICATION_STATUS_UNSPECIFIED,
      step: to?.step ?? '',
    };
  });
}

/** The fields every service's Application message shares; a service adds its own (e.g. the licence). */
export function applicationView(row: ApplicationRow, extra: { appeals?: AppealRow[]; history?: HistoryEntry[] } = {}) {
  const state = caseFromJson(row.state);
  const step = openStep(state);
  return {
    name: applicationName(row.id),
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
    registrationTime: state.registeredAt,
    paymentReference: row.payment_reference,
    attachments: row.attachments,
    steps: state.steps.map((s): StepClock => ({ step: s.step, startTime: s.startedAt, dueTime: s.dueAt, completeTime: s.completedAt })),
    pausedIntervals: state.pauses.map((p) => ({ startTime: p.from, endTime: p.to })),
    notice: noticeOf(state),
    history: extra.history ?? [],
    resultDocument: row.result_document ? toEnvelope(row.result_document) : undefined,
    refusalReasons: state.refusal?.reasons ?? [],
    appeals: (extra.appeals ?? []).map(toAppeal),
  };
}

export type ApplicationView = ReturnType<typeof applicationView>;
