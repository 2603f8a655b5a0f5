// Shared test helpers: Almaty wall time written out with its offset, and unwrapping transitions.
import { expect } from 'chai';
import type { RuqsatError } from '../../../services/kit/errors.ts';
import { apply, type AuditEvent, type CaseState, type ServiceDefinition, type Transition, type WorkflowEvent } from '../../../services/kit/workflow/index.ts';

/** Almaty wall time → instant; the offset is written out so the tests do not reuse the zone code. */
export const at = (local: string) => new Date(`${local}:00+05:00`);

export function ok(t: Transition): { state: CaseState; audit: AuditEvent } {
  if (!t.ok) throw new Error(`expected a transition, got ${t.error.reason}: ${t.error.message}`);
  return t;
}

export function refused(t: Transition): RuqsatError {
  if (t.ok) throw new Error(`expected an error, the case moved to ${t.state.step ?? t.state.outcome}`);
  return t.error;
}

/** Applies events in order, each at its own time; returns the final state and every audit record. */
export function run(def: ServiceDefinition, state: CaseState, events: [string, WorkflowEvent][]): { state: CaseState; audits: AuditEvent[] } {
  const audits: AuditEvent[] = [];
  for (const [when, e] of events) {
    const t = ok(apply(def, state, e, at(when)));
    state = t.state;
    audits.push(t.audit);
  }
  return { state, audits };
}

export function dueOf(state: CaseState, step: string): Date {
  const r = state.steps.filter((x) => x.step === step).at(-1);
  expect(r, `no record of step ${step}`).to.not.equal(undefined);
  return r!.dueAt;
}
