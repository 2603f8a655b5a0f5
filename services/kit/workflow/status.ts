// The applicant-facing status, derived from the case so it can never disagree with it.
import type { ApplicantStatus, CaseState } from './state.ts';

export function hearingOpen(state: CaseState): boolean {
  return state.hearing !== undefined && state.hearing.closedAt === undefined;
}

/** `now` decides whether an objection window is still running; by default the last event's time. */
export function applicantStatus(state: CaseState, now: Date = state.lastEventAt): ApplicantStatus {
  if (state.phase === 'closed') return state.outcome!;
  if (state.phase === 'paused') return 'awaiting_applicant';
  const h = state.hearing;
  if (h && !h.closedAt && !h.objection && now.getTime() <= h.objectionUntil.getTime()) return 'awaiting_applicant';
  if (!state.registeredAt) return 'delivered';
  return state.progressed ? 'in_progress' : 'registered';
}
