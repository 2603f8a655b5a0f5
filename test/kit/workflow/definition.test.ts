// validateDefinition: a definition the machine could not run is rejected with every reason, field by field.
import { expect } from 'chai';
import * as grpc from '@grpc/grpc-js';
import { RuqsatError } from '../../../services/kit/errors.ts';
import {
  APPC_HEARING, defineService, definitionViolations, LICENSE_STS_ORS, resolveVariant, validateDefinition, type ServiceDefinition,
} from '../../../services/kit/workflow/index.ts';

const base = LICENSE_STS_ORS;
const withStep = (id: string, change: object): ServiceDefinition => ({ ...base, steps: base.steps.map((s) => (s.id === id ? { ...s, ...change } : s)) });
const described = (def: ServiceDefinition) => definitionViolations(def).map((v) => `${v.field}: ${v.description}`);

describe('kit/workflow: validateDefinition', () => {
  it('accepts the licences and returns them', () => {
    expect(validateDefinition(base)).to.equal(base);
  });

  it('rejects an unknown step in a transition', () => {
    expect(described(withStep('review', { next: 'draftnig' }))).to.include("steps[1].next: unknown step 'draftnig' in the transition from 'review'");
  });

  it('rejects a refusal signed by a role that is not a participant, and a step acted by one', () => {
    const refusal = described({ ...base, refusalPoints: [{ step: 'signature', role: 'head', grounds: ['x'] }] });
    expect(refusal).to.deep.equal([
      "refusal_points[0].role: role 'head' is not a participant of this service (registrar, executor, head_of_licensing_department, signatory)",
    ]);
    expect(described(withStep('signature', { role: 'commission_member' }))[0]).to.match(/^steps\[3\]\.role: role 'commission_member' is not a participant/);
  });

  it('rejects refusal and pause points at unknown steps or steps that do not allow them', () => {
    expect(described({ ...base, refusalPoints: [{ step: 'review', role: 'head_of_licensing_department', grounds: ['x'] }] })).to.deep.equal([
      "steps[3].actions: step 'signature' allows 'refuse' but no refusal point names it",
      "refusal_points[0].step: step 'review' does not allow 'refuse'",
    ]);
    const pause = { step: 'sampling', action: 'request_samples' as const, max: { unit: 'calendar_days' as const, amount: 5 }, stopsClock: true, onExpiry: { outcome: 'resume' as const, note: '' } };
    expect(described({ ...base, pausePoints: [pause] })).to.deep.equal(["pause_points[0].step: unknown step 'sampling'"]);
    expect(described({ ...base, pausePoints: [{ ...pause, step: 'review' }] })).to.deep.equal(["pause_points[0].action: step 'review' does not allow 'request_samples'"]);
    expect(described(withStep('review', { actions: ['record_finding', 'preliminary_refusal', 'request_documents'] }))).to.deep.equal([
      "steps[1].actions: step 'review' allows 'request_documents' but no pause point says how long it may last",
    ]);
  });

  it('rejects steps without exactly one finishing act, a dead end, an unreachable step and bad limits', () => {
    expect(described(withStep('drafting', { actions: ['draft_result', 'record_finding'] }))[0]).to.match(/step 'drafting' must have exactly one act that finishes it/);
    expect(described(withStep('signature', { next: 'review' }))).to.include("steps[3].next: step 'signature' ends the case and cannot lead to 'review'");
    expect(described(withStep('review', { next: 'signature' }))).to.include("steps: step 'drafting' cannot be reached from 'registration'");
    expect(described(withStep('review', { limit: { unit: 'working_days', amount: 1.5 } }))).to.deep.equal(['steps[1].limit: days must be a whole number > 0']);
    expect(described({ ...base, deadline: { unit: 'weeks', amount: 3 } as never })[0]).to.match(/^deadline: unit must be one of/);
  });

  it('ties the hearing to the steps, and variants to existing steps', () => {
    expect(described({ ...base, hearing: { ...APPC_HEARING, enabled: false } })).to.deep.equal([
      "steps[1].actions: step 'review' allows 'preliminary_refusal' but the hearing is disabled",
    ]);
    const noNotice = withStep('review', { actions: ['record_finding'] });
    expect(described(noNotice)).to.deep.equal(['hearing: the hearing is enabled but no step allows a preliminary refusal']);
    expect(described({ ...base, variants: { reissue: { title: 'r', deadline: { unit: 'working_days', amount: 3 }, limits: { check: { unit: 'working_days', amount: 1 } } } } }))
      .to.deep.equal(["variants.reissue.limits: unknown step 'check'"]);
    expect(resolveVariant(base, 'reissue').steps[1].limit).to.deep.equal({ unit: 'working_days', amount: 1 });
  });

  it('rejects after-result steps that reuse a step id, name a non-participant, have no limit or follow no outcome', () => {
    const after = { id: 'dispatch', title: 'office sends it', role: 'registrar' as const, limit: { unit: 'hours' as const, amount: 4 }, outputs: ['sent'], after: ['issued' as const] };
    expect(described({ ...base, afterResult: [after] })).to.deep.equal([]);
    expect(described({ ...base, afterResult: [{ ...after, id: 'signature' }, { ...after, role: 'head', limit: { unit: 'hours', amount: 0 }, after: [] }] })).to.deep.equal([
      "after_result[0].id: 'signature' must be set and differ from every step",
      "after_result[1].role: role 'head' is not a participant of this service (registrar, executor, head_of_licensing_department, signatory)",
      'after_result[1].limit: hours must be > 0',
      "after_result[1].after: names 'issued' and/or 'refused'",
    ]);
  });

  it('throws INVALID_ARGUMENT with all violations as field violations', () => {
    const broken = { ...withStep('review', { next: 'nowhere' }), id: 'Licence 1', title: { en: 'x', kk: '' } };
    let err: unknown;
    try {
      validateDefinition(broken);
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(RuqsatError);
    const r = err as RuqsatError;
    expect(r.code).to.equal(grpc.status.INVALID_ARGUMENT);
    expect(r.violations.map((v) => v.field)).to.deep.equal(['id', 'title.kk', 'steps[1].next', 'steps', 'steps']); // drafting and signature cut off
    expect(r.message).to.match(/^id: 'Licence 1' is not a dotted lower-case id/);
  });

  it('gives a new definition the APPC hearing and the appeal terms unless it states its own', () => {
    const { hearing: _h, appeals: _a, ...rest } = base;
    const fresh = defineService({ ...rest, id: 'license.example', version: 1 });
    expect(fresh.hearing).to.deep.equal(APPC_HEARING);
    expect(fresh.appeals.map((a) => [a.to, a.limit.amount])).to.deep.equal([['head_of_provider', 5], ['quality_body', 15]]);
    const off = defineService({ ...rest, id: 'license.example', version: 1, hearing: { ...APPC_HEARING, enabled: false }, steps: withStep('review', { actions: ['record_finding'] }).steps });
    expect(off.hearing.enabled).to.equal(false);
  });
});
