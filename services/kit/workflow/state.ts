// What a case is while it runs, what may happen to it, and the record each happening leaves.
import type { Pause } from '../calendar/index.ts';
import type { RuqsatError } from '../errors.ts';
import type { Actor } from './definition.ts';

/** What the applicant sees in the personal cabinet (жеке кабинет). */
export type ApplicantStatus =
  | 'delivered' // жеткізілгені
  | 'registered' // тіркелгені
  | 'in_progress' // орындалғаны (being executed)
  | 'awaiting_applicant' // a notice (хабарлама) waits for the applicant: samples, documents, an objection
  | 'issued' // қаралғаны — the result was issued
  | 'refused' // қараудан бас тарту — reasoned refusal
  | 'withdrawn';

/** One step's clock: started when the previous step finished; `dueAt` moves when a pause stops the clock. */
export interface StepRecord {
  step: string;
  startedAt: Date;
  dueAt: Date;
  completedAt?: Date;
  /** Set when the due date was agreed ('agree_period'): pauses no longer move it. */
  agreed?: boolean;
  /** Finished by recording that the period it gave ran out: after its deadline by design, not late. */
  lapsed?: boolean;
}

/** A request to the applicant that is still open. */
export interface OpenPause {
  step: string;
  action: 'request_documents' | 'request_samples';
  /** What the notice asks for, as the official wrote it. */
  what?: string;
  from: Date;
  /** When the applicant's time (e.g. 5 CD) runs out and the definition's outcome applies. */
  expiresAt: Date;
  stopsClock: boolean;
}

/** The hearing (заслушивание, APPC art. 73): a preliminary refusal notice and the applicant's chance to object. */
export interface Hearing {
  noticeAt: Date;
  by: Actor;
  reasons: string[];
  objectionUntil: Date;
  objection?: { at: Date; text?: string };
  /** Set when the finding after the hearing is recorded. */
  closedAt?: Date;
}

/** A member of a commission convened for the case, by the body that delegated them (para 3). */
export interface CommissionMember {
  /** The member's IIN. */
  id: string;
  /** e.g. 'provider', 'technical_regulation', 'national_security'. */
  body: string;
  /** 'chair', 'secretary' or 'member'. */
  position: string;
}

/** One member's signature under a commission's act, or their dissent with reasons (para 13). */
export interface Vote {
  step: string;
  memberId: string;
  signs: boolean;
  reasons?: string[];
  at: Date;
}

export interface CaseState {
  /** The version the case started under; it keeps it to the end. */
  definition: { id: string; version: number; variant: string };
  phase: 'open' | 'paused' | 'closed';
  outcome?: 'issued' | 'refused' | 'withdrawn';
  /** Current step id; absent once closed. */
  step?: string;
  receivedAt: Date;
  registrationNo?: string; // тіркеу нөмірі
  registeredAt?: Date;
  executorId?: string;
  /** True once an official did more than register or assign: the applicant then sees "in progress". */
  progressed: boolean;
  steps: StepRecord[];
  /** The overall deadline of the service, moved by clock-stopping pauses. */
  dueAt: Date;
  /** Closed pauses that stopped the clock; the calendar skips them. */
  pauses: Pause[];
  pause?: OpenPause;
  hearing?: Hearing;
  finding?: { complies: boolean; reasons: string[] };
  draft?: 'issue' | 'refusal'; // нәтижесінің жобасы
  refusal?: { reasons: string[]; signedBy: Actor };
  /** The commission convened for the case (the letter to its members, para 11). */
  commission?: CommissionMember[];
  /** Signatures and dissents under commission acts, oldest first. */
  votes?: Vote[];
  closedAt?: Date;
  lastEventAt: Date;
  subKinds: string[];
}

interface EventBase {
  actor: Actor;
  /** The official's or applicant's id from the EDS certificate, for the audit log. */
  actorId?: string;
}

export type WorkflowEvent = EventBase &
  (
    | { type: 'register'; registrationNo: string; executorId?: string }
    | { type: 'assign_executor'; executorId: string }
    | { type: 'record_finding'; complies: boolean; reasons?: string[]; exit?: string }
    | { type: 'request_documents' | 'request_samples'; what?: string }
    | { type: 'documents_received' }
    | { type: 'draft_result'; result?: 'issue' | 'refusal' }
    | { type: 'sign' }
    | { type: 'preliminary_refusal'; reasons: string[] }
    | { type: 'objection_received'; text?: string }
    | { type: 'refuse'; reasons?: string[] }
    | { type: 'withdraw' }
    | { type: 'convene_commission'; members: CommissionMember[] }
    | { type: 'vote'; signs: boolean; reasons?: string[] }
    | { type: 'pause_expired' }
    | { type: 'agree_period'; until: Date; reasons: string[] }
  );

export type EventType = WorkflowEvent['type'];

/** The row the service appends to its hash-chained audit log for every transition. */
export interface AuditEvent {
  definition: { id: string; version: number; variant: string };
  action: EventType;
  actor: Actor;
  actorId?: string;
  from: { status: ApplicantStatus; step?: string };
  to: { status: ApplicantStatus; step?: string };
  at: Date;
  details: Record<string, string>;
}

export type Transition = { ok: true; state: CaseState; audit: AuditEvent } | { ok: false; error: RuqsatError };

/** Something past its time: a step, the whole case, or an applicant's pause awaiting its outcome. */
export interface Overdue {
  kind: 'step' | 'case' | 'pause';
  step?: string;
  dueAt: Date;
  /** Set for a step that was finished late. */
  completedAt?: Date;
}
