// The clocks of a definition's afterResult steps (deposit's cover letter and dispatch): acts after the case machine
// closed the case on its result, each recorded in the row's details under its step id with `completed_at`, so the
// SLA monitor and the officials' view can tell when one is late as they do for the machine's own steps.
import type { StepClock } from '../../../gen/ruqsat/common/v1/common.ts';
import { calendar } from '../calendar/index.ts';
import { caseFromJson, type AfterResultStep, type CaseState, type ServiceDefinition } from '../workflow/index.ts';
import type { ApplicationRow } from './store.ts';
import type { ApplicationView } from './view.ts';

export interface AfterResultClock {
  step: AfterResultStep;
  /** When the act before it was done: the result's signature, or the previous after-result act; absent until then. */
  startedAt?: Date;
  dueAt?: Date;
  completedAt?: Date;
}

/** The after-result steps that follow this case's outcome, each clocked from the act before it. */
export function afterResultClocks(def: ServiceDefinition, state: CaseState, details: Record<string, unknown>): AfterResultClock[] {
  const outcome = state.outcome;
  if (state.phase !== 'closed' || !state.closedAt || (outcome !== 'issued' && outcome !== 'refused')) return [];
  let from: Date | undefined = state.closedAt;
  return (def.afterResult ?? [])
    .filter((s) => s.after.includes(outcome))
    .map((step) => {
      const done = (details[step.id] as { completed_at?: string } | undefined)?.completed_at;
      const clock = { step, startedAt: from, dueAt: from && calendar.deadline(from, step.limit).dueAt, completedAt: done ? new Date(done) : undefined };
      from = clock.completedAt;
      return clock;
    });
}

/** The step running now (started, not done), if any. */
export const pendingClock = (clocks: readonly AfterResultClock[]) => clocks.find((c) => c.startedAt && !c.completedAt);

/** Late now: the running step is past its time (one done late is history, as for the machine's steps). */
export function afterResultOverdue(clocks: readonly AfterResultClock[], now: Date): boolean {
  const c = pendingClock(clocks);
  return !!c?.dueAt && now.getTime() > c.dueAt.getTime();
}

/** When the SLA monitor looks again: the running step's deadline while it is ahead; null once nothing can lapse. */
export function afterResultNextCheck(clocks: readonly AfterResultClock[], now: Date): Date | null {
  const due = pendingClock(clocks)?.dueAt;
  return due && due.getTime() > now.getTime() ? due : null;
}

/** The applicant's current step, its deadline and the step clocks, the after-result steps' included once the machine's are done. */
export function withAfterResultSteps(view: Pick<ApplicationView, 'currentStep' | 'stepDueTime' | 'steps'>, def: ServiceDefinition, row: Pick<ApplicationRow, 'state' | 'details'>) {
  const clocks = afterResultClocks(def, caseFromJson(row.state), row.details);
  const pending = pendingClock(clocks);
  return {
    currentStep: view.currentStep || (pending?.step.id ?? ''),
    stepDueTime: view.stepDueTime ?? pending?.dueAt,
    steps: [...view.steps, ...clocks.filter((c) => c.startedAt).map((c): StepClock => ({ step: c.step.id, startTime: c.startedAt, dueTime: c.dueAt, completeTime: c.completedAt }))],
  };
}
