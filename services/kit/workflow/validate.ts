// Rejects a definition the machine could not run, before it reaches the registry.
import { invalidArgument, type FieldViolation } from '../errors.ts';
import type { ServiceDefinition, StepAction, TimeLimit } from './definition.ts';
import { COMPLETING_ACTIONS, FINAL_ACTIONS, ROLES, STEP_ACTIONS } from './definition.ts';

const ID_RE = /^[a-z]+(\.[a-z][a-z0-9_]*)+$/;
const UNITS = ['same_day', 'working_days', 'calendar_days', 'hours'];

function limitProblem(limit: TimeLimit | undefined): string | undefined {
  if (!limit || !UNITS.includes(limit.unit)) return `unit must be one of ${UNITS.join(', ')}`;
  if (limit.unit === 'same_day') return limit.amount === 0 ? undefined : 'a same-day limit has amount 0';
  if (limit.unit === 'hours') return limit.amount > 0 && Number.isFinite(limit.amount) ? undefined : 'hours must be > 0';
  return Number.isInteger(limit.amount) && limit.amount > 0 ? undefined : 'days must be a whole number > 0';
}

/** Every inconsistency, with the field it is in; empty when the definition is sound. */
export function definitionViolations(def: ServiceDefinition): FieldViolation[] {
  const out: FieldViolation[] = [];
  const bad = (field: string, description: string) => out.push({ field, description });
  const limit = (field: string, l: TimeLimit | undefined) => {
    const p = limitProblem(l);
    if (p) bad(field, p);
  };

  if (!ID_RE.test(def.id ?? '')) bad('id', `'${def.id}' is not a dotted lower-case id like 'license.crypto_dev'`);
  if (!Number.isInteger(def.version) || def.version < 1) bad('version', 'must be a whole number ≥ 1');
  if (!def.title?.en?.trim()) bad('title.en', 'is required');
  if (!def.title?.kk?.trim()) bad('title.kk', 'is required');
  if (!def.legalBasis?.length) bad('legal_basis', 'names at least one act');
  if (!(def.inForce?.from instanceof Date) || Number.isNaN(def.inForce.from.getTime())) bad('in_force.from', 'must be a valid instant');
  else if (def.inForce.until && !(def.inForce.until.getTime() > def.inForce.from.getTime())) bad('in_force.until', 'must be after in_force.from');
  if (!def.applicantKinds?.length) bad('applicant_kinds', 'allows at least one kind of applicant');
  limit('deadline', def.deadline);

  const participants = new Set(def.participants ?? []);
  for (const [i, r] of (def.participants ?? []).entries()) if (!ROLES.includes(r)) bad(`participants[${i}]`, `unknown role '${r}'`);
  const knowsRole = (field: string, role: string) => {
    if (!participants.has(role as never)) bad(field, `role '${role}' is not a participant of this service (${[...participants].join(', ')})`);
  };

  const steps = def.steps ?? [];
  if (steps.length === 0) bad('steps', 'at least one step is required');
  const ids = new Set<string>();
  steps.forEach((s, i) => {
    const f = `steps[${i}]`;
    if (!s.id) bad(`${f}.id`, 'is required');
    else if (ids.has(s.id)) bad(`${f}.id`, `duplicate step '${s.id}'`);
    ids.add(s.id);
  });
  const hasStep = (id: string) => ids.has(id);
  steps.forEach((s, i) => {
    const f = `steps[${i}]`;
    knowsRole(`${f}.role`, s.role);
    limit(`${f}.limit`, s.limit);
    for (const a of s.actions ?? []) if (!STEP_ACTIONS.includes(a)) bad(`${f}.actions`, `unknown action '${a}'`);
    const finishing = (s.actions ?? []).filter((a) => COMPLETING_ACTIONS.includes(a));
    const final = (s.actions ?? []).some((a) => FINAL_ACTIONS.includes(a));
    // An early refusal: the step leads on by its one completing act, or ends the case with 'refuse'.
    const early = finishing.length === 1 && s.actions.includes('refuse') && !s.actions.includes('sign');
    if (!early && finishing.length + (final ? 1 : 0) !== 1) bad(`${f}.actions`, `step '${s.id}' must have exactly one act that finishes it (${[...COMPLETING_ACTIONS, 'sign/refuse'].join(', ')})`);
    if (final && !early && s.next !== undefined) bad(`${f}.next`, `step '${s.id}' ends the case and cannot lead to '${s.next}'`);
    if ((!final || early) && s.next === undefined) bad(`${f}.next`, `step '${s.id}' does not end the case, so it needs a next step`);
    if (s.actions?.includes('vote') !== (s.quorum !== undefined)) bad(`${f}.quorum`, `step '${s.id}': a step takes votes exactly when it has a quorum rule`);
    if (s.quorum && !s.actions.includes('record_finding')) bad(`${f}.quorum`, `step '${s.id}' has a quorum but no 'record_finding' that adopts the act`);
    if (s.quorum && !s.quorum.share && s.quorum.minSignatures === undefined) bad(`${f}.quorum`, 'a quorum needs a share or a minimum of signatures');
    if (s.quorum?.share && !(s.quorum.share[0] > 0 && s.quorum.share[0] <= s.quorum.share[1])) bad(`${f}.quorum.share`, 'must be a fraction in (0, 1]');
    if (s.next !== undefined && !hasStep(s.next)) bad(`${f}.next`, `unknown step '${s.next}' in the transition from '${s.id}'`);
    if (s.actions?.includes('refuse') && !def.refusalPoints?.some((r) => r.step === s.id)) bad(`${f}.actions`, `step '${s.id}' allows 'refuse' but no refusal point names it`);
    if (s.actions?.includes('preliminary_refusal') && !def.hearing?.enabled) bad(`${f}.actions`, `step '${s.id}' allows 'preliminary_refusal' but the hearing is disabled`);
    if ((s.exits?.length || s.awaitsDeadline) && !s.actions.includes('record_finding')) bad(`${f}.exits`, `step '${s.id}' branches or waits on 'record_finding' but does not allow it`);
    const exitIds = new Set<string>();
    (s.exits ?? []).forEach((x, j) => {
      if (!x.id || exitIds.has(x.id)) bad(`${f}.exits[${j}].id`, `missing or duplicate exit '${x.id}'`);
      exitIds.add(x.id);
      if (!hasStep(x.to)) bad(`${f}.exits[${j}].to`, `unknown step '${x.to}' in the exit from '${s.id}'`);
    });
  });

  // Every step must be reachable from the first (by `next` or an exit), so no act is ever out of reach.
  const seen = new Set<string>();
  const queue = steps[0] ? [steps[0].id] : [];
  while (queue.length > 0) {
    const id = queue.shift()!;
    const s = steps.find((x) => x.id === id);
    if (!s || seen.has(id)) continue;
    seen.add(id);
    queue.push(...(s.next !== undefined ? [s.next] : []), ...(s.exits ?? []).map((x) => x.to));
  }
  for (const s of steps) if (!seen.has(s.id)) bad('steps', `step '${s.id}' cannot be reached from '${steps[0]?.id}'`);
  if (seen.size === steps.length && steps.length > 0 && !steps.some((s) => s.actions?.includes('sign'))) bad('steps', "no step issues the result ('sign')");

  (def.refusalPoints ?? []).forEach((r, i) => {
    const f = `refusal_points[${i}]`;
    if (!hasStep(r.step)) bad(`${f}.step`, `unknown step '${r.step}'`);
    else if (!steps.find((s) => s.id === r.step)!.actions.includes('refuse')) bad(`${f}.step`, `step '${r.step}' does not allow 'refuse'`);
    knowsRole(`${f}.role`, r.role);
    if (!r.grounds?.length) bad(`${f}.grounds`, 'a refusal needs at least one ground');
  });

  (def.pausePoints ?? []).forEach((p, i) => {
    const f = `pause_points[${i}]`;
    const step = steps.find((s) => s.id === p.step);
    if (!step) bad(`${f}.step`, `unknown step '${p.step}'`);
    else if (!step.actions.includes(p.action as StepAction)) bad(`${f}.action`, `step '${p.step}' does not allow '${p.action}'`);
    limit(`${f}.max`, p.max);
    if (p.onExpiry?.outcome !== 'resume' && p.onExpiry?.outcome !== 'refusal_ground') bad(`${f}.on_expiry`, "outcome must be 'resume' or 'refusal_ground'");
  });
  steps.forEach((s, i) => {
    for (const a of s.actions ?? []) {
      if ((a === 'request_documents' || a === 'request_samples') && !def.pausePoints?.some((p) => p.step === s.id && p.action === a)) {
        bad(`steps[${i}].actions`, `step '${s.id}' allows '${a}' but no pause point says how long it may last`);
      }
    }
  });

  if (def.hearing?.enabled) {
    limit('hearing.objection_window', def.hearing.objectionWindow);
    if (!steps.some((s) => s.actions?.includes('preliminary_refusal'))) bad('hearing', 'the hearing is enabled but no step allows a preliminary refusal');
  }
  (def.appeals ?? []).forEach((a, i) => limit(`appeals[${i}].limit`, a.limit));
  if (def.fees?.paymentReferenceRequired && !def.fees.licenceFee) bad('fees.payment_reference_required', 'a payment reference is required but no fee is due');

  const kinds = new Set<string>();
  (def.subKinds ?? []).forEach((k, i) => {
    if (kinds.has(k.id)) bad(`sub_kinds[${i}].id`, `duplicate sub-kind '${k.id}'`);
    kinds.add(k.id);
  });
  const atts = new Set<string>();
  (def.requiredAttachments ?? []).forEach((a, i) => {
    if (atts.has(a.id)) bad(`required_attachments[${i}].id`, `duplicate attachment '${a.id}'`);
    atts.add(a.id);
  });

  const after = new Set<string>();
  (def.afterResult ?? []).forEach((a, i) => {
    const f = `after_result[${i}]`;
    if (!a.id || ids.has(a.id) || after.has(a.id)) bad(`${f}.id`, `'${a.id}' must be set and differ from every step`);
    after.add(a.id);
    knowsRole(`${f}.role`, a.role);
    limit(`${f}.limit`, a.limit);
    if (!a.after?.length || a.after.some((o) => o !== 'issued' && o !== 'refused')) bad(`${f}.after`, "names 'issued' and/or 'refused'");
  });

  if (!def.baseVariant) bad('base_variant', 'is required');
  for (const [name, v] of Object.entries(def.variants ?? {})) {
    if (name === def.baseVariant) bad(`variants.${name}`, 'repeats the base variant');
    limit(`variants.${name}.deadline`, v.deadline);
    for (const [step, l] of Object.entries(v.limits ?? {})) {
      if (!hasStep(step)) bad(`variants.${name}.limits`, `unknown step '${step}'`);
      limit(`variants.${name}.limits.${step}`, l);
    }
  }
  return out;
}

/** Throws INVALID_ARGUMENT with every violation when the definition is inconsistent. */
export function validateDefinition(def: ServiceDefinition): ServiceDefinition {
  const violations = definitionViolations(def);
  if (violations.length > 0) throw invalidArgument(violations);
  return def;
}
