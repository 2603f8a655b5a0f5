// A state service (мемлекеттік көрсетілетін қызмет) as declarative, versioned data: the machine reads it, never hard-codes it.
import type { TimeLimit } from '../calendar/index.ts';
import { APPC_HEARING, STATE_SERVICE_APPEALS } from './acts.ts';
import type { QuorumRule } from './quorum.ts';
import { validateDefinition } from './validate.ts';

export type { TimeLimit, QuorumRule };

/** Officials who act in a regulation's steps (para 7 "participants"), plus the applicant and the SLA timer. */
export type Role =
  | 'registrar' // көрсетілетін қызметті берушінің қызметкері — the provider's employee who registers
  | 'head' // the provider's head who assigns an executor (resolution)
  | 'executor' // орындаушы — responsible executor (case officer)
  | 'signatory' // уәкілетті адам — authorised person of the provider
  | 'head_of_licensing_department' // лицензиялау басқармасының басшысы
  | 'commission_member'
  | 'ra_operator';

/** Who may appear on an event: an official, the applicant (көрсетілетін қызметті алушы) or the system's SLA timer. */
export type Actor = Role | 'applicant' | 'system';

export const ROLES: readonly Role[] = ['registrar', 'head', 'executor', 'signatory', 'head_of_licensing_department', 'commission_member', 'ra_operator'];

/** Officials' acts that a step may allow; the applicant's and the timer's acts are not step-bound. */
export type StepAction =
  | 'register'
  | 'assign_executor'
  | 'record_finding'
  | 'request_documents'
  | 'request_samples'
  | 'preliminary_refusal'
  | 'draft_result'
  | 'sign'
  | 'refuse'
  | 'convene_commission' // the letter to the commission's members names them
  | 'vote' // a member signs the commission's act, or dissents with reasons
  | 'agree_period'; // the step's period moved later by agreement with the applicant's counterpart (not finishing)

export const STEP_ACTIONS: readonly StepAction[] = [
  'register', 'assign_executor', 'record_finding', 'request_documents', 'request_samples', 'preliminary_refusal', 'draft_result', 'sign', 'refuse',
  'convene_commission', 'vote', 'agree_period',
];

/** Acts that finish a step and move the case to `next`. */
export const COMPLETING_ACTIONS: readonly StepAction[] = ['register', 'assign_executor', 'record_finding', 'draft_result', 'convene_commission'];
/** Acts that finish the case with a result. */
export const FINAL_ACTIONS: readonly StepAction[] = ['sign', 'refuse'];

export type ApplicantKind = 'individual' | 'legal_entity'; // жеке тұлға / заңды тұлға

export interface Title {
  en: string;
  kk: string;
}

/** One normative act, as far as the seeds identify it; a date the seeds cannot give is left out and said so. */
export interface LegalAct {
  act: string;
  number: string;
  /** Date of the act, 'YYYY-MM-DD'. */
  date: string;
  /** Ministry of Justice registration number, when the act was registered. */
  registrationNo?: string;
  /** 'YYYY-MM-DD' when known; otherwise `inForceNote` says how it is set. */
  inForceFrom?: string;
  inForceUntil?: string;
  inForceNote?: string;
  /** What this act sets in the definition (steps, limits, hearing, …). */
  sets: string;
}

export interface StepDefinition {
  id: string;
  title: string;
  /** The Kazakh name of the procedure (рәсім) where the regulation gives it. */
  kazakh?: string;
  role: Role;
  /** Step SLA (орындалу ұзақтығы), counted from the moment the previous step finished. */
  limit: TimeLimit;
  /** What the step produces (para 6), the basis for the next one. */
  outputs: string[];
  actions: StepAction[];
  /** The step after this one; absent only on the step that ends the case (sign / refuse). */
  next?: string;
  /** A commission's act: members vote, and its finding is recorded only once the rule's signatures are in. */
  quorum?: QuorumRule;
  /** Other ways on than `next`: a `record_finding` that names one of them goes to its step instead. */
  exits?: StepExit[];
  /** The step is a period given to someone else: `record_finding` to `next` only once its deadline has passed. */
  awaitsDeadline?: boolean;
}

/** A named branch out of a step, taken by the finding that names it (e.g. no explanation within 30 WD → examination). */
export interface StepExit {
  id: string;
  to: string;
  /** Only once the step's own deadline has passed (the period the text gives ran out). */
  afterDeadline?: boolean;
  basis: string;
}

/**
 * Where a refusal may be signed, and by whom (A8: the head of the Licensing Department for licences). On a step
 * that also leads on (an early refusal: incomplete documents, the commission's minutes), `refuse` ends the case there.
 */
export interface RefusalPoint {
  step: string;
  role: Role;
  grounds: string[];
}

/**
 * An act after the result that the case machine cannot hold (the case closes at sign/refuse): the service running the
 * definition records it with this clock, counted from the act before it (the result's signature, or the previous one).
 */
export interface AfterResultStep {
  id: string;
  title: string;
  kazakh?: string;
  role: Role;
  limit: TimeLimit;
  outputs: string[];
  /** The outcomes it follows: a cover letter goes with an issued certificate, the post takes a refusal as well. */
  after: ('issued' | 'refused')[];
}

/** What the case does when the applicant lets a pause run out. */
export type PauseExpiry =
  | { outcome: 'resume'; note: string } // the clock runs again; the executor decides on what he has
  | { outcome: 'refusal_ground'; ground: string }; // the lapse is a refusal ground: the hearing opens (or the finding is set)

/** A point where the official asks the applicant for something and the clock may stop (e.g. 5 CD for samples). */
export interface PausePoint {
  step: string;
  action: 'request_documents' | 'request_samples';
  max: TimeLimit;
  /** True when the regulation excludes the period from the service term («мемлекеттік қызмет көрсету мерзіміне кірмейді»). */
  stopsClock: boolean;
  onExpiry: PauseExpiry;
}

/** The hearing before an unfavourable decision (заслушивание). */
export interface HearingSettings {
  enabled: boolean;
  /** How long the applicant may object after the preliminary refusal notice. */
  objectionWindow: TimeLimit;
  basis: string;
}

/** Appeal routes (шағым), answered within the limit. */
export interface AppealRoute {
  to: 'head_of_provider' | 'quality_body';
  limit: TimeLimit;
  basis: string;
}

export interface Fees {
  /** лицензиялық алым — licence fee to the budget. */
  licenceFee: boolean;
  /** Payment through the e-government payment gateway (ЭҮТШ) must be referenced on the application. */
  paymentReferenceRequired: boolean;
  /** A scanned paper receipt (түбіртек) may stand in for the gateway reference. */
  receiptScanAccepted: boolean;
}

export interface Attachment {
  id: string;
  title: string;
  kazakh?: string;
}

export interface SubKind {
  id: string;
  title: string;
  kazakh?: string;
}

/** A variant of the same regulation with other limits, e.g. re-issue (қайта ресімдеу). */
export interface Variant {
  title: string;
  deadline: TimeLimit;
  /** Step limits that differ from the base; the other steps keep theirs. */
  limits: Record<string, TimeLimit>;
}

export interface ServiceDefinition {
  /** Stable id, e.g. 'license.crypto_dev'. */
  id: string;
  version: number;
  title: Title;
  legalBasis: LegalAct[];
  /** When Ruqsat applies this version: the registry resolves by this window; `until` absent = until superseded. */
  inForce: { from: Date; until?: Date };
  applicantKinds: ApplicantKind[];
  /** Roles that take part (para 7); every role the definition names must be one of them. */
  participants: Role[];
  /** The overall term; A1: the sum of the step limits, same-day registration counted inside day 1. */
  deadline: TimeLimit;
  /** In order; the first is where the case starts. */
  steps: StepDefinition[];
  refusalPoints: RefusalPoint[];
  pausePoints: PausePoint[];
  hearing: HearingSettings;
  appeals: AppealRoute[];
  fees: Fees;
  requiredAttachments: Attachment[];
  /** Sub-kinds offered; A9: the applicant picks a non-empty subset. */
  subKinds: SubKind[];
  /** The base operation's name (e.g. 'issue') and the other variants keyed by name. */
  baseVariant: string;
  variants: Record<string, Variant>;
  /** In order: the acts after the result (the cover letter, the dispatch), outside the machine; none when absent. */
  afterResult?: AfterResultStep[];
}

/** The definition as one variant sees it: base steps with that variant's limits and deadline. */
export function resolveVariant(def: ServiceDefinition, variant: string = def.baseVariant): ServiceDefinition {
  if (variant === def.baseVariant) return def;
  const v = def.variants[variant];
  if (!v) throw new RangeError(`${def.id} v${def.version} has no variant '${variant}'`);
  return {
    ...def,
    deadline: v.deadline,
    steps: def.steps.map((s) => (v.limits[s.id] ? { ...s, limit: v.limits[s.id] } : s)),
  };
}

export function stepOf(def: ServiceDefinition, id: string): StepDefinition | undefined {
  return def.steps.find((s) => s.id === id);
}

export { validateDefinition, definitionViolations } from './validate.ts';

/** A new definition gets today's hearing and appeal rules unless it states its own; the result is validated. */
export function defineService(
  def: Omit<ServiceDefinition, 'hearing' | 'appeals'> & Partial<Pick<ServiceDefinition, 'hearing' | 'appeals'>>,
): ServiceDefinition {
  return validateDefinition({ ...def, hearing: def.hearing ?? APPC_HEARING, appeals: def.appeals ?? STATE_SERVICE_APPEALS });
}
