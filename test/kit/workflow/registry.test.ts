// Versioning: new cases take the version in force on receipt; a case started under v1 keeps v1's deadlines after v2.
import { expect } from 'chai';
import * as grpc from '@grpc/grpc-js';
import { RuqsatError } from '../../../services/kit/errors.ts';
import { apply, DefinitionRegistry, LICENSE_CRYPTO_DEV, NSC_LICENCES, start, type ServiceDefinition } from '../../../services/kit/workflow/index.ts';
import { at, dueOf, ok, refused, run } from './helpers.ts';

// A hypothetical v2 (new rules from 1 April 2026): 8 WD review, 10 WD in all.
const V2: ServiceDefinition = {
  ...LICENSE_CRYPTO_DEV,
  version: 2,
  inForce: { from: at('2026-04-01T00:00') },
  deadline: { unit: 'working_days', amount: 10 },
  steps: LICENSE_CRYPTO_DEV.steps.map((s) => (s.id === 'review' ? { ...s, limit: { unit: 'working_days', amount: 8 } } : s)),
};

function thrown(fn: () => unknown): RuqsatError {
  try {
    fn();
  } catch (e) {
    return e as RuqsatError;
  }
  throw new Error('expected an error');
}

describe('kit/workflow: definition registry and versions', () => {
  const registry = new DefinitionRegistry([...NSC_LICENCES, V2]);

  it('resolves the version in force at an instant and gets an exact version', () => {
    expect(registry.resolve('license.crypto_dev', at('2026-03-31T23:59')).version).to.equal(1);
    expect(registry.resolve('license.crypto_dev', at('2026-04-01T00:00')).version).to.equal(2);
    expect(registry.resolve('license.sts_ors', at('2026-04-01T00:00')).version).to.equal(1);
    expect(registry.get('license.crypto_dev', 1)).to.equal(LICENSE_CRYPTO_DEV);
    expect(thrown(() => registry.get('license.crypto_dev', 3)).code).to.equal(grpc.status.NOT_FOUND);
    expect(thrown(() => registry.resolve('license.crypto_dev', at('2019-01-01T00:00'))).reason).to.equal('NO_DEFINITION_IN_FORCE');
    expect(registry.ids()).to.deep.equal(['license.sts_ors', 'license.crypto_dev', 'license.leak_detection']);
  });

  it('a case started under v1 keeps v1\'s deadlines after v2 comes into force', () => {
    const v1 = registry.resolve('license.crypto_dev', at('2026-03-19T10:00'));
    const s0 = start(v1, at('2026-03-19T10:00'));
    expect(s0.dueAt).to.deep.equal(at('2026-04-14T18:30')); // 15 WD across Nauryz
    let s = run(v1, s0, [['2026-03-19T11:00', { type: 'register', actor: 'registrar', registrationNo: 'V-1' }]]).state;
    expect(dueOf(s, 'review')).to.deep.equal(at('2026-04-10T18:30')); // 13 WD

    // 2 April: v2 is in force; the service loads the case's own version, not the current one.
    const own = registry.get(s.definition.id, s.definition.version);
    s = ok(apply(own, s, { type: 'record_finding', actor: 'executor', complies: true }, at('2026-04-02T10:00'))).state;
    expect(s.definition.version).to.equal(1);
    expect(s.dueAt).to.deep.equal(at('2026-04-14T18:30'));
    expect(dueOf(s, 'drafting')).to.deep.equal(at('2026-04-03T18:30'));
    const mismatch = refused(apply(registry.resolve('license.crypto_dev', at('2026-04-02T10:00')), s, { type: 'draft_result', actor: 'executor' }, at('2026-04-02T11:00')));
    expect(mismatch.reason).to.equal('DEFINITION_MISMATCH');

    // A case received the same day starts under v2: 10 WD.
    const fresh = start(registry.resolve('license.crypto_dev', at('2026-04-02T10:00')), at('2026-04-02T10:00'));
    expect(fresh.definition.version).to.equal(2);
    expect(fresh.dueAt).to.deep.equal(at('2026-04-16T18:30'));
    // A version cannot take a case received before it came into force.
    expect(thrown(() => start(V2, at('2026-03-20T10:00'))).reason).to.equal('DEFINITION_NOT_IN_FORCE');
  });

  it('rejects a duplicate version, a version that does not come after the last, and an invalid definition', () => {
    expect(thrown(() => new DefinitionRegistry([LICENSE_CRYPTO_DEV, LICENSE_CRYPTO_DEV])).reason).to.equal('DEFINITION_EXISTS');
    const early = { ...V2, version: 3, inForce: { from: at('2025-01-01T00:00') } };
    expect(thrown(() => new DefinitionRegistry([LICENSE_CRYPTO_DEV, V2, early])).reason).to.equal('VERSION_ORDER');
    const broken = { ...V2, version: 3, inForce: { from: at('2027-01-01T00:00') }, participants: [] };
    expect(thrown(() => new DefinitionRegistry([LICENSE_CRYPTO_DEV, broken])).code).to.equal(grpc.status.INVALID_ARGUMENT);
  });
});
