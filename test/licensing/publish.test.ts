// Licences reach the registry through the outbox: issued while registry is down, delivered once it is up,
// and every status change follows in order, with the signed licence document kept in the entry.
import * as grpc from '@grpc/grpc-js';
import { expect } from 'chai';
import { EntryStatus, RegistryServiceClient } from '../../gen/ruqsat/registry/v1/registry.ts';
import { clientFor } from '../../services/kit/grpc/client.ts';
import { bind, call } from '../helpers/grpc.ts';
import { startTestMesh, type TestMesh } from '../helpers/mesh.ts';
import { eventually, freePort } from '../registry/helpers.ts';
import { signAct } from '../trust/helpers.ts';
import { APPLICANT_IIN, startBench, type Bench } from './fixture.ts';

describe('licensing: licences published to the registry', function () {
  this.timeout(120_000);
  let b: Bench;
  let registry: TestMesh | undefined;
  let port: number;
  before(async () => {
    port = await freePort();
    b = await startBench({ REGISTRY_ADDRESS: `127.0.0.1:${port}` });
  });
  after(async () => {
    await registry?.stop();
    await b?.stop();
  });

  it('delivers a licence issued while registry was down, then its suspension, with the signed document', async () => {
    const app = await b.submit('publish-1');
    const draft = await b.toSignature(app.name);
    await b.act(b.officials.signatory, app.name, { act: 'sign', document_signature: b.signDraft(b.officials.signatory, draft.draftDocument) });
    const license = (await call(bind(b.licensing, 'getApplication'), { name: app.name })).response.license;
    const pending = await b.store.db.table('outbox').whereNull('delivered_at').where('source_resource', license);
    expect(pending).to.have.length(1);

    registry = await startTestMesh(['registry'], { REGISTRY_PORT: String(port) });
    const client = clientFor(RegistryServiceClient, registry.address('registry'));
    // The client is the one the outbox relay shares (one per target): it may still be backing off from the refused connection.
    const search = () => call(bind(client, 'searchEntries'), { parent: 'registers/nsc-licenses', query: '', holder: APPLICANT_IIN, number: '', kind: '', status: 0, filter: '', pageSize: 10, pageToken: '' });
    const find = async () => (await search().catch((e: grpc.ServiceError) => (e.code === grpc.status.UNAVAILABLE ? undefined : Promise.reject(e))))?.response.entries.find((e) => e.sourceResource === license);
    const entry = await eventually(find, 30_000);
    const number = JSON.parse(Buffer.from(draft.draftDocument).toString()).number;
    expect(entry).to.include({ number, status: EntryStatus.ENTRY_STATUS_ACTIVE });
    expect(Buffer.from(entry.document!.payload).equals(Buffer.from(draft.draftDocument))).to.equal(true);
    expect(entry.attributes).to.include({ kind: 'license.crypto_dev', sub_kinds: 'development' });

    const head = b.officials.head;
    await call(bind(b.licensing, 'suspendLicense'), { name: license, act: signAct(head.key, { act: 'suspend_license', license, role: 'head_of_licensing_department', reason: 'breach found on inspection' }, [head.cert]) });
    const suspended = await eventually(async () => {
      const e = await find();
      return e?.status === EntryStatus.ENTRY_STATUS_SUSPENDED ? e : undefined;
    }, 30_000);
    expect(suspended.attributes).to.include({ status_reason: 'breach found on inspection' });
  });
});
