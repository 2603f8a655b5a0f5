// The client factory: one client per target, round_robin over instances, retries when one dies.
import { expect } from 'chai';
import { pino } from 'pino';
import type { Counter } from 'prom-client';
import { RegistryServiceClient } from '../../gen/ruqsat/registry/v1/registry.ts';
import { clientFor, closeClients, serviceConfigFor, targetOf } from '../../services/kit/grpc/client.ts';
import { createRegistry } from '../../services/kit/metrics.ts';
import { startService, type RunningService } from '../../services/kit/service.ts';
import { MODULES } from '../../services/mesh.ts';
import { bind, call } from '../helpers/grpc.ts';
import { startTestMesh, type TestMesh } from '../helpers/mesh.ts';

async function handled(registry: ReturnType<typeof createRegistry>): Promise<number> {
  const metric = registry.getSingleMetric('grpc_server_handled_total') as Counter | undefined;
  const values = (await metric?.get())?.values ?? [];
  return values.filter((v) => v.labels.grpc_method === 'ListRegisters').reduce((sum, v) => sum + v.value, 0);
}

describe('kit: client factory', () => {
  it('turns address lists into resolver targets', () => {
    expect(targetOf('127.0.0.1:1')).to.equal('dns:127.0.0.1:1');
    expect(targetOf('127.0.0.1:1,127.0.0.1:2')).to.equal('ipv4:127.0.0.1:1,127.0.0.1:2');
    expect(targetOf('[::1]:1,[::1]:2')).to.equal('ipv6:[::1]:1,[::1]:2');
    expect(targetOf('dns:registry.ruqsat.svc:50055')).to.equal('dns:registry.ruqsat.svc:50055');
  });

  it('retries only the idempotent methods, over round_robin', () => {
    const config = JSON.parse(serviceConfigFor(RegistryServiceClient.service));
    expect(config.loadBalancingConfig).to.deep.equal([{ round_robin: {} }]);
    const names = config.methodConfig[0].name.map((n: { method: string }) => n.method);
    expect(names).to.have.members(['GetRegister', 'ListRegisters', 'GetEntry', 'ListEntries', 'SearchEntries', 'WatchRegister', 'GetApplication', 'ListApplications', 'WatchApplication']);
    // Writes are retried by their callers with the same request_id, never blindly by the channel.
    for (const write of ['PublishEntry', 'SubmitApplication', 'WithdrawApplication', 'SubmitDocuments', 'FileAppeal']) expect(names).to.not.include(write);
    expect(config.methodConfig[0].retryPolicy.retryableStatusCodes).to.deep.equal(['UNAVAILABLE']);
  });

  it('reuses one client per target', () => {
    expect(clientFor(RegistryServiceClient, '127.0.0.1:9')).to.equal(clientFor(RegistryServiceClient, '127.0.0.1:9'));
    closeClients();
  });

  describe('two instances of a service', () => {
    let t: TestMesh;
    let first: RunningService | undefined;
    let second: RunningService;
    const firstMetrics = createRegistry();
    const secondMetrics = createRegistry();

    before(async () => {
      t = await startTestMesh([]);
      const runtime = { config: t.config, database: t.mesh.database, shared: t.mesh.shared, logger: pino({ level: 'silent' }) };
      first = await startService(MODULES.registry, { ...runtime, registry: firstMetrics }, 0);
      second = await startService(MODULES.registry, { ...runtime, registry: secondMetrics }, 0);
    });
    after(async () => {
      await first?.stop();
      await second?.stop();
      await t?.stop();
    });

    it('spreads calls over both, and keeps every call succeeding when one stops', async () => {
      const client = clientFor(RegistryServiceClient, `${first!.address},${second.address}`);
      for (let i = 0; i < 20; i++) await call(bind(client, 'listRegisters'), { pageSize: 1, pageToken: '' });
      expect(await handled(firstMetrics)).to.be.greaterThan(0);
      expect(await handled(secondMetrics)).to.be.greaterThan(0);

      await first!.stop();
      first = undefined;
      const before = await handled(secondMetrics);
      for (let i = 0; i < 20; i++) {
        const { response } = await call(bind(client, 'listRegisters'), { pageSize: 1, pageToken: '' });
        expect(response.registers).to.have.length(1);
      }
      expect((await handled(secondMetrics)) - before).to.equal(20);
    });
  });

  it('keeps calling through connections the server ages out (GRPC_MAX_CONNECTION_AGE_MS)', async function () {
    this.timeout(60_000);
    const t = await startTestMesh(['registry'], { GRPC_MAX_CONNECTION_AGE_MS: '300' });
    try {
      const client = clientFor(RegistryServiceClient, t.address('registry'));
      // Over two seconds the connection is replaced several times; no call may fail for it.
      for (let i = 0; i < 20; i++) {
        await call(bind(client, 'listRegisters'), { pageSize: 10, pageToken: '' });
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await t.stop();
    }
  });
});
