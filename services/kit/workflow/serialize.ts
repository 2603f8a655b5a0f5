// A case as JSON for the database and back: the engine's dates survive the round trip.
import type { CaseState } from './state.ts';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function caseToJson(state: CaseState): string {
  return JSON.stringify(state);
}

/** Every string that is exactly a JSON-written instant becomes a Date again (the engine writes no other such text). */
export function caseFromJson(json: string | object): CaseState {
  const text = typeof json === 'string' ? json : JSON.stringify(json);
  return JSON.parse(text, (_key, value: unknown) => (typeof value === 'string' && ISO.test(value) ? new Date(value) : value)) as CaseState;
}
