// A database that goes away under a running service: UNAVAILABLE and NOT_SERVING, never a crash.
import * as grpc from '@grpc/grpc-js';
import { expect } from 'chai';
import { service as healthService } from 'grpc-health-check';
import { RegistryServiceClient } from '../../gen/ruqsat/registry/v1/registry.ts';
import { clientFor } from '../../services/kit/grpc/client.ts';
import { bind, call, callFails } from '../helpers/grpc.ts';
import { startTestMesh, type TestMesh } from '../helpers/mesh.ts';
import { startProxy, type Proxy } from '../helpers/proxy.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const HealthClient = grpc.makeGenericClientConstructor(healthService, 'Health');

function healthOf(address: string): Promise<string> {
  const client = new HealthClient(address, grpc.credentials.createInsecure()) as unknown as {
    check(req: object, options: object, cb: (err: Error | null, res: { status: string }) => void): void;
    close(): void;
  };
  return new Promise<string>((resolve, reject) =>
    client.check({ service: 'ruqsat.registry.v1.RegistryService' }, { deadline: Date.now() + 3000 }, (err, res) => {
      client.close();
      return err ? reject(err) : resolve(res.status);
    }),
  ).finally(() => client.close());
}

async function eventually(what: () => Promise<boolean>, ms = 3_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await sleep(50);
  }
}

const listRegisters = (client: InstanceType<typeof RegistryServiceClient>) => bind(client, 'listRegisters');

describe('kit: the database goes away while running', function () {
  this.timeout(30_000);
  let t: TestMesh | undefined;
  let proxy: Proxy | undefined;
  afterEach(async () => {
    await t?.stop().catch(() => undefined);
    await proxy?.close();
    t = proxy = undefined;
  });

  const url = process.env.DATABASE_URL;
  (url ? it : it.skip)('PostgreSQL: calls get UNAVAILABLE, health NOT_SERVING, and both recover when it is back', async () => {
    const target = new URL(url!);
    proxy = await startProxy(target.hostname, Number(target.port || 5432));
    const viaProxy = new URL(url!);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    t = await startTestMesh(['registry'], { DATABASE_URL: viaProxy.toString(), DB_ACQUIRE_TIMEOUT_MS: '1000', HEALTH_PROBE_MS: '100' });
    const client = clientFor(RegistryServiceClient, t.address('registry'));
    expect((await call(listRegisters(client), { pageSize: 1, pageToken: '' })).response.registers).to.have.length(1);

    await proxy.cut();
    const { status } = await callFails(listRegisters(client), { pageSize: 1, pageToken: '' }, grpc.status.UNAVAILABLE);
    expect(status.errorInfo?.reason).to.equal('DATABASE_UNAVAILABLE');
    await eventually(async () => (await healthOf(t!.address('registry'))) === 'NOT_SERVING');

    await proxy.restore();
    await eventually(async () => (await healthOf(t!.address('registry'))) === 'SERVING', 5_000);
    expect((await call(listRegisters(client), { pageSize: 1, pageToken: '' })).response.registers).to.have.length(1);
  });

  it('embedded: a closed database turns calls into UNAVAILABLE and the server keeps answering', async () => {
    t = await startTestMesh(['registry'], { DATABASE_URL: '', HEALTH_PROBE_MS: '100' });
    const client = clientFor(RegistryServiceClient, t.address('registry'));
    await call(listRegisters(client), { pageSize: 1, pageToken: '' });
    await t.mesh.database.close();
    const { status } = await callFails(listRegisters(client), { pageSize: 1, pageToken: '' }, grpc.status.UNAVAILABLE);
    expect(status.errorInfo?.reason).to.equal('DATABASE_UNAVAILABLE');
    await eventually(async () => (await healthOf(t!.address('registry'))) === 'NOT_SERVING');
  });
});
