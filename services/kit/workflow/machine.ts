// The case state machine, pure: a definition + a state + an event → the next state and its audit record, or a typed error.
import * as grpc from '@grpc/grpc-js';
import { calendar as meshCalendar, type Pause, type WorkingCalendar } from '../calendar/index.ts';
import { invalidArgument, RuqsatError } from '../errors.ts';
import { applicationViolations, type ApplicationInput } from './application.ts';
import { resolveVariant, stepOf, type Actor, type ServiceDefinition, type StepDefinition } from './definition.ts';
import { shiftDeadlines, startStep } from './deadlines.ts';
import type { AuditEvent, CaseState, EventType, Transition, WorkflowEvent } from './state.ts';
import { quorumShortfall } from './quorum.ts';
import { applicantStatus, hearingOpen } from './status.ts';

export interface StartOptions {
  /** e.g. 'reissue'; the definition's base variant ('issue') when absent. */
  variant?: string;
  /** Checked against the definition when given: applicant kind, sub-kinds, fee reference, attachments. */
  application?: ApplicationInput;
  /** A12: where no step registers, the system numbers the application on receipt. */
  registrationNo?: string;
}

// Events arrive from the wire: an unknown type is bad input, not an act out of order.
const EVENT_TYPES: readonly string[] = [
  'register', 'assign_executor', 'record_finding', 'request_documents', 'request_samples', 'documents_received', 'draft_result',
  'sign', 'preliminary_refusal', 'objection_received', 'refuse', 'withdraw', 'pause_expired', 'convene_commission', 'vote', 'agree_period',
] satisfies EventType[];

const failed = (reason: string, message: string, meta: Record<string, string> = {}) =>
  new RuqsatError(grpc.status.FAILED_PRECONDITION, reason, message, meta);

/** A case just received: at the first step, with its step and overall deadlines. */
export function start(def: ServiceDefinition, receivedAt: Date, cal: WorkingCalendar = meshCalendar, options: StartOptions = {}): CaseState {
  const variant = options.variant ?? def.baseVariant;
  if (variant !== def.baseVariant && !def.variants[variant]) {
    throw invalidArgument([{ field: 'variant', description: `${def.id} has no variant '${variant}' (${[def.baseVariant, ...Object.keys(def.variants)].join(', ')})` }]);
  }
  if (receivedAt.getTime() < def.inForce.from.getTime() || (def.inForce.until && receivedAt.getTime() >= def.inForce.until.getTime())) {
    throw failed('DEFINITION_NOT_IN_FORCE', `${def.id} v${def.version} is not in force at ${receivedAt.toISOString()}`);
  }
  if (options.application) {
    const violations = applicationViolations(def, options.application);
    if (violations.length > 0) throw invalidArgument(violations);
  }
  const d = resolveVariant(def, variant);
  const first = d.steps[0];
  const registersOnReceipt = !first.actions.includes('register');
  return {
    definition: { id: d.id, version: d.version, variant },
    phase: 'open',
    step: first.id,
    receivedAt,
    registeredAt: registersOnReceipt ? receivedAt : undefined,
    registrationNo: registersOnReceipt ? options.registrationNo : undefined,
    progressed: false,
    steps: [startStep(d, first.id, receivedAt, { pauses: [] }, cal)],
    dueAt: cal.deadline(receivedAt, d.deadline).dueAt,
    pauses: [],
    lastEventAt: receivedAt,
    subKinds: options.application?.subKinds ?? [],
  };
}

/** The case after `event` at `at`; the input state is never changed. */
export function apply(def: ServiceDefinition, state: CaseState, event: WorkflowEvent, at: Date, cal: WorkingCalendar = meshCalendar): Transition {
  try {
    const next = transition(def, state, event, at, cal);
    return { ok: true, state: next, audit: auditOf(state, next, event, at) };
  } catch (err) {
    if (err instanceof RuqsatError) return { ok: false, error: err };
    throw err;
  }
}

function transition(base: ServiceDefinition, s: CaseState, e: WorkflowEvent, at: Date, cal: WorkingCalendar): CaseState {
  if (base.id !== s.definition.id || base.version !== s.definition.version) {
    throw failed('DEFINITION_MISMATCH', `the case runs under ${s.definition.id} v${s.definition.version}, not ${base.id} v${base.version}`);
  }
  if (!(at instanceof Date) || Number.isNaN(at.getTime()) || at.getTime() < s.lastEventAt.getTime()) {
    throw invalidArgument([{ field: 'at', description: `must be a valid instant not before the last event (${s.lastEventAt.toISOString()})` }]);
  }
  if (!EVENT_TYPES.includes(e?.type)) throw invalidArgument([{ field: 'event.type', description: `unknown event '${e?.type}'` }]);
  if (s.phase === 'closed') throw failed('CASE_CLOSED', `the case is closed (${s.outcome})`);
  const def = resolveVariant(base, s.definition.variant);
  const st: CaseState = { ...s, lastEventAt: at };

  switch (e.type) {
    case 'withdraw':
      actor(e.actor, 'applicant', 'withdraw');
      // A pending request is moot once the applicant withdraws; its time so far still counts as paused.
      return close({ ...st, pause: undefined, pauses: s.pause?.stopsClock ? [...s.pauses, { from: s.pause.from, to: at }] : s.pauses }, 'withdrawn', at);
    case 'documents_received': {
      actor(e.actor, 'applicant', e.type);
      const p = awaiting(s);
      return shiftDeadlines(def, { ...st, phase: 'open', pause: undefined, pauses: withPause(s.pauses, p.stopsClock, p.from, minDate(at, p.expiresAt)) }, cal);
    }
    case 'pause_expired': {
      actor(e.actor, 'system', e.type);
      const p = awaiting(s);
      if (at.getTime() < p.expiresAt.getTime()) throw failed('PAUSE_NOT_EXPIRED', `the applicant has until ${p.expiresAt.toISOString()}`);
      let next = shiftDeadlines(def, { ...st, phase: 'open', pause: undefined, pauses: withPause(s.pauses, p.stopsClock, p.from, p.expiresAt) }, cal);
      const expiry = def.pausePoints.find((x) => x.step === p.step && x.action === p.action)!.onExpiry;
      if (expiry.outcome === 'refusal_ground') {
        const step = stepOf(def, p.step)!;
        // With a hearing, the lapse becomes the preliminary refusal; without one, the finding the executor signs off.
        next = def.hearing.enabled && step.actions.includes('preliminary_refusal')
          ? { ...next, hearing: hearing(def, 'system', [expiry.ground], at, cal) }
          : { ...next, finding: { complies: false, reasons: [expiry.ground] } };
      }
      return next;
    }
    case 'objection_received': {
      actor(e.actor, 'applicant', e.type);
      const h = s.hearing;
      if (!h || !hearingOpen(s)) throw failed('NO_HEARING_OPEN', 'there is no preliminary refusal to object to');
      if (h.objection) throw failed('OBJECTION_ALREADY_RECEIVED', `an objection was received at ${h.objection.at.toISOString()}`);
      if (at.getTime() > h.objectionUntil.getTime()) throw failed('OBJECTION_WINDOW_CLOSED', `the objection window closed at ${h.objectionUntil.toISOString()}`);
      return { ...st, hearing: { ...h, objection: { at, text: e.text } } };
    }
    default:
      return stepAct(def, st, e, at, cal);
  }
}

/** Acts bound to the current step: checked for order, then for role, then for their own preconditions. */
function stepAct(def: ServiceDefinition, s: CaseState, e: WorkflowEvent, at: Date, cal: WorkingCalendar): CaseState {
  const step = stepOf(def, s.step!)!;
  if (s.phase === 'paused') throw failed('CASE_PAUSED', `the case awaits the applicant (${s.pause!.action}) until ${s.pause!.expiresAt.toISOString()}`);
  if (!step.actions.includes(e.type as never)) {
    throw failed('STEP_OUT_OF_ORDER', `'${e.type}' is not an act of step '${step.id}', where the case is`, { step: step.id, action: e.type });
  }
  const role = e.type === 'refuse' ? def.refusalPoints.find((r) => r.step === step.id)!.role : step.role;
  actor(e.actor, role, e.type, step.id);
  const acted: CaseState = { ...s, progressed: s.progressed || (e.type !== 'register' && e.type !== 'assign_executor') };

  switch (e.type) {
    case 'register':
      if (!e.registrationNo?.trim()) throw invalidArgument([{ field: 'registration_no', description: 'is required to register' }]);
      return complete(def, { ...acted, registrationNo: e.registrationNo, registeredAt: at, executorId: e.executorId ?? s.executorId }, step, at, cal);
    case 'assign_executor':
      if (!e.executorId?.trim()) throw invalidArgument([{ field: 'executor_id', description: 'is required' }]);
      return complete(def, { ...acted, executorId: e.executorId }, step, at, cal);
    case 'record_finding': {
      const reasons = e.reasons ?? [];
      if (!e.complies && reasons.length === 0) throw invalidArgument([{ field: 'reasons', description: 'a finding of non-compliance states its reasons' }]);
      const exit = e.exit === undefined ? undefined : step.exits?.find((x) => x.id === e.exit);
      if (e.exit !== undefined && !exit) {
        throw invalidArgument([{ field: 'exit', description: `step '${step.id}' has no exit '${e.exit}' (${(step.exits ?? []).map((x) => x.id).join(', ') || 'none'})` }]);
      }
      const lapse = (exit ? exit.afterDeadline : step.awaitsDeadline) === true;
      if (lapse) periodOver(s, step, at);
      if (step.quorum) adoptable(s, step, e.complies);
      if (!e.complies) heardBeforeRefusal(def, s, step, at);
      const h = s.hearing && !s.hearing.closedAt ? { ...s.hearing, closedAt: at } : s.hearing;
      return complete(def, { ...acted, hearing: h, finding: { complies: e.complies, reasons } }, step, at, cal, exit?.to, lapse);
    }
    case 'agree_period': {
      // Para 21 style: a longer period agreed on the other side's reasoned explanation; the case's term moves with it.
      if (!e.reasons?.length) throw invalidArgument([{ field: 'reasons', description: 'the agreement states why the longer period is needed' }]);
      const open = s.steps.find((r) => r.step === step.id && !r.completedAt)!;
      if (!(e.until instanceof Date) || Number.isNaN(e.until.getTime()) || e.until.getTime() <= open.dueAt.getTime()) {
        throw invalidArgument([{ field: 'until', description: `the agreed period ends after the current one (${open.dueAt.toISOString()})` }]);
      }
      const longer = e.until.getTime() - open.dueAt.getTime();
      const steps = s.steps.map((r) => (r === open ? { ...r, dueAt: e.until, agreed: true } : r));
      return { ...acted, steps, dueAt: new Date(s.dueAt.getTime() + longer) };
    }
    case 'preliminary_refusal':
      if (!e.reasons?.length) throw invalidArgument([{ field: 'reasons', description: 'the preliminary refusal states its reasons' }]);
      if (s.hearing) throw failed('HEARING_ALREADY_HELD', `a preliminary refusal was sent at ${s.hearing.noticeAt.toISOString()}`);
      return { ...acted, hearing: hearing(def, e.actor, e.reasons, at, cal) };
    case 'request_documents':
    case 'request_samples': {
      if (hearingOpen(s)) throw failed('HEARING_OPEN', 'a hearing is running; finish it before asking for more');
      const point = def.pausePoints.find((p) => p.step === step.id && p.action === e.type)!;
      const expiresAt = cal.deadline(at, point.max).dueAt;
      return { ...acted, phase: 'paused', pause: { step: step.id, action: e.type, what: e.what, from: at, expiresAt, stopsClock: point.stopsClock } };
    }
    case 'draft_result': {
      const result = e.result ?? (s.finding && !s.finding.complies ? 'refusal' : 'issue');
      if (s.finding && s.finding.complies !== (result === 'issue')) {
        throw failed('DRAFT_CONTRADICTS_FINDING', `the finding says the applicant ${s.finding.complies ? 'complies' : 'does not comply'}; the draft cannot be a${result === 'issue' ? 'n issue' : ' refusal'}`);
      }
      if (result === 'refusal' && !s.finding) heardBeforeRefusal(def, s, step, at);
      const h = s.hearing && !s.hearing.closedAt ? { ...s.hearing, closedAt: at } : s.hearing;
      return complete(def, { ...acted, hearing: h, draft: result }, step, at, cal);
    }
    case 'sign':
      if (s.draft === 'refusal') throw failed('DRAFT_IS_REFUSAL', 'the draft is a refusal; it is signed with refuse by the role the definition names');
      return close(acted, 'issued', at);
    case 'convene_commission': {
      const members = e.members ?? [];
      const bad = members.some((m) => typeof m?.id !== 'string' || !m.id || typeof m.body !== 'string' || !m.body || typeof m.position !== 'string' || !m.position);
      if (members.length === 0 || bad) throw invalidArgument([{ field: 'members', description: 'the commission is named: each member with id, body and position' }]);
      if (new Set(members.map((m) => m.id)).size !== members.length) throw invalidArgument([{ field: 'members', description: 'a member is named twice' }]);
      return complete(def, { ...acted, commission: members.map((m) => ({ id: m.id, body: m.body, position: m.position })) }, step, at, cal);
    }
    case 'vote': {
      const member = s.commission?.find((m) => m.id === e.actorId);
      if (!member) throw new RuqsatError(grpc.status.PERMISSION_DENIED, 'NOT_A_COMMISSION_MEMBER', `'${e.actorId ?? ''}' is not on the commission convened for this case`);
      if ((s.votes ?? []).some((v) => v.step === step.id && v.memberId === member.id)) throw failed('ALREADY_VOTED', `${member.id} has already signed or dissented at '${step.id}'`);
      if (!e.signs && !e.reasons?.length) throw invalidArgument([{ field: 'reasons', description: 'a member who does not sign states the reasons (para 13)' }]);
      const vote = { step: step.id, memberId: member.id, signs: e.signs, ...(e.signs ? {} : { reasons: e.reasons }), at };
      return { ...acted, votes: [...(s.votes ?? []), vote] };
    }
    case 'refuse': {
      // An early refusal (refusal of further consideration) is an unfavourable act too: heard first where the step hears.
      if (step.next !== undefined) heardBeforeRefusal(def, s, step, at);
      if (s.draft === 'issue') throw failed('DRAFT_IS_ISSUE', 'the draft issues the result; a refusal needs a finding of non-compliance first');
      // A commission's act that ends the case is adopted like any other: as found, with its signatures.
      if (step.quorum) adoptable(s, step, false);
      const reasons = e.reasons?.length ? e.reasons : (s.finding?.reasons ?? []);
      if (reasons.length === 0) throw invalidArgument([{ field: 'reasons', description: 'a refusal is reasoned (дәлелді жауап)' }]);
      return close({ ...acted, refusal: { reasons, signedBy: e.actor } }, 'refused', at);
    }
    default:
      throw failed('STEP_OUT_OF_ORDER', `'${e.type}' cannot happen at step '${step.id}'`);
  }
}

/** A commission's act is adopted as it was found, and only with the signatures its rule asks for. */
function adoptable(s: CaseState, step: StepDefinition, complies: boolean): void {
  if (s.finding && s.finding.complies !== complies) {
    throw failed('ACT_CONTRADICTS_FINDING', `the inspection found the applicant ${s.finding.complies ? 'compliant' : 'non-compliant'}; the act cannot say otherwise`);
  }
  const short = quorumShortfall(step.quorum!, s.commission ?? [], (s.votes ?? []).filter((v) => v.step === step.id));
  if (short) throw failed(short.reason, `the act is not adopted: ${short.message}`, { step: step.id, ...short.metadata });
}

/** A period given to the other side (an explanation, a remediation) must have run out before its lapse is recorded. */
function periodOver(s: CaseState, step: StepDefinition, at: Date): void {
  const open = s.steps.find((r) => r.step === step.id && !r.completedAt)!;
  if (at.getTime() <= open.dueAt.getTime()) {
    throw failed('PERIOD_NOT_OVER', `the period of step '${step.id}' runs until ${open.dueAt.toISOString()}`, { step: step.id, due: open.dueAt.toISOString() });
  }
}

/** APPC art. 73: no unfavourable finding before the applicant was told and the objection window ran out (or was used). */
function heardBeforeRefusal(def: ServiceDefinition, s: CaseState, step: StepDefinition, at: Date): void {
  if (!def.hearing.enabled || !step.actions.includes('preliminary_refusal')) return;
  const h = s.hearing;
  if (!h) throw failed('HEARING_REQUIRED', 'send a preliminary refusal notice and let the objection window run before refusing');
  if (!h.objection && at.getTime() <= h.objectionUntil.getTime()) {
    throw failed('HEARING_OPEN', `the applicant may object until ${h.objectionUntil.toISOString()}`);
  }
}

function hearing(def: ServiceDefinition, by: Actor, reasons: string[], at: Date, cal: WorkingCalendar) {
  return { noticeAt: at, by, reasons, objectionUntil: cal.deadline(at, def.hearing.objectionWindow).dueAt };
}

function actor(got: Actor, want: Actor, action: string, step?: string): void {
  if (got !== want) {
    throw new RuqsatError(grpc.status.PERMISSION_DENIED, 'WRONG_ROLE', `'${action}'${step ? ` at step '${step}'` : ''} is for ${want}, not ${got}`, {
      expected_role: want,
      actual_role: got,
    });
  }
}

function awaiting(s: CaseState) {
  if (s.phase !== 'paused' || !s.pause) throw failed('NOT_AWAITING_APPLICANT', 'nothing was requested from the applicant');
  return s.pause;
}

function withPause(pauses: Pause[], stopsClock: boolean, from: Date, to: Date): Pause[] {
  return stopsClock && from.getTime() < to.getTime() ? [...pauses, { from, to }] : pauses;
}

const minDate = (a: Date, b: Date) => (a.getTime() <= b.getTime() ? a : b);

/** Finishes the current step and starts the next one's clock at `at` (or the exit's step's). */
function complete(def: ServiceDefinition, s: CaseState, step: StepDefinition, at: Date, cal: WorkingCalendar, to: string = step.next!, lapsed = false): CaseState {
  const steps = s.steps.map((r) => (r.step === step.id && !r.completedAt ? { ...r, completedAt: at, ...(lapsed ? { lapsed } : {}) } : r));
  return { ...s, step: to, steps: [...steps, startStep(def, to, at, s, cal)] };
}

function close(s: CaseState, outcome: 'issued' | 'refused' | 'withdrawn', at: Date): CaseState {
  const steps = s.steps.map((r) => (r.completedAt ? r : { ...r, completedAt: at }));
  return { ...s, phase: 'closed', outcome, step: undefined, steps, closedAt: at };
}

function auditOf(from: CaseState, to: CaseState, e: WorkflowEvent, at: Date): AuditEvent {
  const details: Record<string, string> = {};
  for (const [k, v] of Object.entries(e)) {
    if (k !== 'type' && k !== 'actor' && k !== 'actorId' && v !== undefined) details[k] = Array.isArray(v) ? v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join('; ') : String(v);
  }
  return {
    definition: to.definition,
    action: e.type,
    actor: e.actor,
    actorId: e.actorId,
    from: { status: applicantStatus(from, at), step: from.step },
    to: { status: applicantStatus(to, at), step: to.step },
    at,
    details,
  };
}
