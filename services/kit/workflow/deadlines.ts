// Deadlines of a case: each step's and the whole service's, recomputed from the calendar whenever the clock stopped.
import type { WorkingCalendar } from '../calendar/index.ts';
import type { ServiceDefinition } from './definition.ts';
import { stepOf } from './definition.ts';
import type { CaseState, Overdue, StepRecord } from './state.ts';

/** The record of a step whose clock starts at `at`. */
export function startStep(def: ServiceDefinition, stepId: string, at: Date, state: Pick<CaseState, 'pauses'>, cal: WorkingCalendar): StepRecord {
  const step = stepOf(def, stepId)!;
  return { step: stepId, startedAt: at, dueAt: cal.deadline(at, step.limit, state.pauses).dueAt };
}

/** The open step's and the case's deadlines after the pauses changed; finished steps keep the deadline they had. */
export function shiftDeadlines(def: ServiceDefinition, state: CaseState, cal: WorkingCalendar): CaseState {
  const steps = state.steps.map((r) => {
    if (r.completedAt || r.agreed) return r;
    const step = stepOf(def, r.step)!;
    return { ...r, dueAt: cal.deadline(r.startedAt, step.limit, state.pauses).dueAt };
  });
  return { ...state, steps, dueAt: cal.deadline(state.receivedAt, def.deadline, state.pauses).dueAt };
}

/** Steps past their deadline (open, or finished late), the case past its term, or a pause that ran out. */
export function overdue(state: CaseState, now: Date): Overdue[] {
  const t = now.getTime();
  const out: Overdue[] = [];
  // While a clock-stopping pause is open the open step's deadline is not final, so only the pause can be late.
  const clockStopped = state.phase === 'paused' && state.pause?.stopsClock === true;
  for (const r of state.steps) {
    if (r.completedAt) {
      if (!r.lapsed && r.completedAt.getTime() > r.dueAt.getTime()) out.push({ kind: 'step', step: r.step, dueAt: r.dueAt, completedAt: r.completedAt });
    } else if (state.phase !== 'closed' && !clockStopped && t > r.dueAt.getTime()) {
      out.push({ kind: 'step', step: r.step, dueAt: r.dueAt });
    }
  }
  if (state.phase === 'paused' && state.pause && t >= state.pause.expiresAt.getTime()) {
    out.push({ kind: 'pause', step: state.pause.step, dueAt: state.pause.expiresAt });
  }
  if (state.phase !== 'closed' && !clockStopped && t > state.dueAt.getTime()) out.push({ kind: 'case', dueAt: state.dueAt });
  return out;
}
