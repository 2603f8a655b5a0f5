// PublishEntry over a real registry: validation, idempotence, order, and the signed document kept.
import * as grpc from '@grpc/grpc-js';
import { expect } from 'chai';
import { EntryStatus, RegistryServiceClient } from '../../gen/ruqsat/registry/v1/registry.ts';
import { clientFor } from '../../services/kit/grpc/client.ts';
import { bind, call, callFails } from '../helpers/grpc.ts';
import { startTestMesh, type TestMesh } from '../helpers/mesh.ts';
import { licence, PERSON } from './helpers.ts';

describe('registry: PublishEntry', () => {
  let t: TestMesh;
  let client: InstanceType<typeof RegistryServiceClient>;
  before(async () => {
    t = await startTestMesh(['registry']);
    client = clientFor(RegistryServiceClient, t.address('registry'));
  });
  after(async () => t?.stop());

  const publish = (req: ReturnType<typeof licence>) => call(bind(client, 'publishEntry'), req).then((r) => r.response);

  it('creates an entry with its document and attributes, named after its source record', async () => {
    const entry = await publish(licence('p1', 1));
    expect(entry).to.include({ name: 'registers/nsc-licenses/entries/licenses.p1', number: 'KZ-L-2026-p1', sourceResource: 'licenses/p1', sourceService: 'licensing', sourceSequence: 1, status: EntryStatus.ENTRY_STATUS_ACTIVE });
    expect(entry.attributes).to.deep.equal({ kind: 'crypto_development', sub_kinds: 'development,production' });
    expect(Buffer.from(entry.document!.payload).toString()).to.equal('{"licence":"p1","v":1}');
    expect(entry.effectiveTime?.toISOString()).to.equal('2026-03-02T04:00:00.000Z');
    expect(entry.expireTime).to.equal(undefined);
    const got = (await call(bind(client, 'getEntry'), { name: entry.name })).response;
    expect(got).to.deep.equal(entry);
  });

  it('is idempotent: the same sequence again changes nothing', async () => {
    const first = await publish(licence('p2', 3));
    const again = await publish(licence('p2', 3, { title: 'changed title' }));
    expect(again.title).to.equal(first.title);
    expect(again.updateTime?.getTime()).to.equal(first.updateTime?.getTime());
  });

  it('is ordered: an older sequence after a newer one changes nothing', async () => {
    await publish(licence('p3', 1));
    const suspended = await publish(licence('p3', 5, { status: EntryStatus.ENTRY_STATUS_SUSPENDED }));
    expect(suspended).to.include({ status: EntryStatus.ENTRY_STATUS_SUSPENDED, sourceSequence: 5 });
    const late = await publish(licence('p3', 4, { status: EntryStatus.ENTRY_STATUS_ACTIVE }));
    expect(late).to.include({ status: EntryStatus.ENTRY_STATUS_SUSPENDED, sourceSequence: 5 });
    const revoked = await publish(licence('p3', 6, { status: EntryStatus.ENTRY_STATUS_REVOKED, expireTime: new Date('2027-01-01T00:00:00Z') }));
    expect(revoked).to.include({ status: EntryStatus.ENTRY_STATUS_REVOKED, sourceSequence: 6 });
    expect(revoked.expireTime?.toISOString()).to.equal('2027-01-01T00:00:00.000Z');
  });

  it('refuses bad fields with every violation at once, and writes nothing', async () => {
    const bad = licence('p4', 0, {
      sourceResource: 'Licenses/ bad',
      number: '',
      holder: { type: 0, identifier: '123456789012', displayName: '' },
      status: EntryStatus.ENTRY_STATUS_UNSPECIFIED,
      effectiveTime: undefined,
      attributes: { 'Bad Key': 'x' },
    });
    const { status } = await callFails(bind(client, 'publishEntry'), bad, grpc.status.INVALID_ARGUMENT);
    expect(status.fieldViolations.map((v) => v.field)).to.have.members([
      'source_resource', 'sequence', 'number', 'holder.type', 'holder.identifier', 'holder.display_name', 'status', 'effective_time', 'attributes["Bad Key"]',
    ]);
    const half = licence('p5', 1, { document: { payload: Buffer.from('x'), signature: Buffer.alloc(0), certificateChain: [] } });
    const doc = await callFails(bind(client, 'publishEntry'), half, grpc.status.INVALID_ARGUMENT);
    expect(doc.status.fieldViolations.map((v) => v.field)).to.deep.equal(['document.signature', 'document.certificate_chain']);
    const expiry = await callFails(bind(client, 'publishEntry'), licence('p5', 1, { expireTime: new Date('2026-01-01T00:00:00Z') }), grpc.status.INVALID_ARGUMENT);
    expect(expiry.status.fieldViolations[0]?.field).to.equal('expire_time');
    await callFails(bind(client, 'getEntry'), { name: 'registers/nsc-licenses/entries/licenses.p5' }, grpc.status.NOT_FOUND);
  });

  it('refuses an unknown register (NOT_FOUND), a malformed one, and a publisher that does not feed it', async () => {
    const unknown = await callFails(bind(client, 'publishEntry'), licence('p6', 1, { register: 'registers/nope' }), grpc.status.NOT_FOUND);
    expect(unknown.status.errorInfo?.reason).to.equal('NOT_FOUND');
    const malformed = await callFails(bind(client, 'publishEntry'), licence('p6', 1, { register: 'nsc-licenses' }), grpc.status.INVALID_ARGUMENT);
    expect(malformed.status.fieldViolations[0]?.field).to.equal('register');
    const wrong = await callFails(bind(client, 'publishEntry'), licence('p6', 1, { sourceService: 'permit' }), grpc.status.INVALID_ARGUMENT);
    expect(wrong.status.fieldViolations[0]?.field).to.equal('source_service');
  });

  it('takes an individual holder and a long source resource name', async () => {
    const long = `authorities/nca/certificates/${'a'.repeat(60)}`;
    const entry = await publish(licence('x', 1, {
      register: 'registers/registration-certificates', sourceService: 'trust', sourceResource: long,
      holder: { type: 1, identifier: PERSON, displayName: 'Әлия Нұрланқызы Өмірбекова' },
    }));
    expect(entry.name).to.match(/^registers\/registration-certificates\/entries\/h[0-9a-f]{40}$/);
    expect(entry.sourceResource).to.equal(long);
  });
});
