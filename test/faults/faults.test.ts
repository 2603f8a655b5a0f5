// The fault suite: under a steady stream of customs and applicant calls over three permit instances behind
// round_robin, Redis stops, PostgreSQL restarts, an instance is killed. Afterwards nothing acknowledged
// (application, revocation, consumption) is lost or applied twice, and every call got a clear status and
// a retry, never a wrong answer.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { TrustServiceClient } from '../../gen/ruqsat/trust/v1/trust.ts';
import { clientFor } from '../../services/kit/grpc/client.ts';
import { createRegistry } from '../../services/kit/metrics.ts';
import { openShared, type Shared } from '../../services/kit/redis.ts';
import { startService, type RunningService } from '../../services/kit/service.ts';
import { MODULES } from '../../services/mesh.ts';
import { bind, call } from '../helpers/grpc.ts';
import { makeSigner } from '../permit/helpers.ts';
import { signAct } from '../trust/helpers.ts';
import { postgresOutage, redisOutage, type Outage } from './outages.ts';
import { auditBooks, startWorkload } from './workload.ts';
import { startFaultWorld, type FaultWorld } from './world.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('faults: under load', function () {
  this.timeout(180_000);
  let dir: string;
  let f: FaultWorld | undefined;
  let redis: Outage | undefined;
  let postgres: Outage | undefined;
  const client = () => f!.client();

  before(async () => {
    redis = await redisOutage(process.env.REDIS_URL);
    postgres = await postgresOutage(process.env.DATABASE_URL);
    dir = mkdtempSync(join(tmpdir(), 'ruqsat-faults-'));
    f = await startFaultWorld(dir);
  });
  after(async () => {
    // Whatever happened, the servers other tests need are running again.
    await redis?.up();
    await postgres?.up();
    await Promise.all((f?.instances ?? []).map((i) => i.stop()));
    await f?.t.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('Redis stops', () => {
    let secondTrust: RunningService | undefined;
    let secondShared: Shared | undefined;
    before(async function () {
      if (!redis || !f?.t.config.redisUrl) this.skip();
      // A second trust instance with its own Redis connections, as another process has.
      secondShared = await openShared(f.t.config.redisUrl, `ruqsat:${f.t.config.schemaPrefix}`, pino({ level: 'silent' }));
      secondTrust = await startService(MODULES.trust, { config: f.t.config, database: f.t.mesh.database, shared: secondShared, logger: pino({ level: 'silent' }), registry: createRegistry() }, 0);
    });
    after(async () => {
      await redis?.up();
      await secondTrust?.stop();
      await secondShared?.close();
    });

    it('checks, consumptions, revocations and applications go on; a revocation reaches the other trust instance', async () => {
      const holder = await makeSigner(f!.w, dir, '851120300359', 'official_executor');
      const other = clientFor(TrustServiceClient, secondTrust!.address);
      const load = startWorkload(f!, client(), { runId: 'redis' });
      await load.progress(20);
      await redis!.down();
      try {
        // Made on the first trust instance while the bus is gone: the second learns it from the feed's table.
        await call(bind(f!.w.trust, 'revokeCertificate'), { name: holder.name, reason: 4, request: signAct(holder.key, { act: 'revoke_certificate', certificate: holder.name, reason: 4 }, holder.chain) });
        const revokedAt = Date.now();
        let verdict;
        do {
          verdict = (await call(bind(other, 'verifyChain'), { certificate: Buffer.from(holder.chain[0]!), intermediates: [], time: undefined, checkWholeChain: false, purpose: '', policies: [] })).response;
          if (verdict.code !== 'REVOKED') await sleep(100);
        } while (verdict.code !== 'REVOKED' && Date.now() - revokedAt < 5_000);
        expect(verdict, 'the second trust instance, within 5 s, without Redis').to.include({ ok: false, code: 'REVOKED' });
        await load.progress(30);
      } finally {
        await redis!.up();
      }
      await load.progress(20);
      const books = await load.stop();
      await auditBooks(f!, client(), books);
    });
  });

  describe('PostgreSQL restarts', () => {
    before(function () {
      if (!postgres) this.skip();
    });

    it('calls get UNAVAILABLE while it is down and succeed on retry; nothing is lost or doubled', async () => {
      const load = startWorkload(f!, client(), { runId: 'pg' });
      await load.progress(20);
      await postgres!.down();
      try {
        await sleep(2_000);
      } finally {
        await postgres!.up();
      }
      await load.progress(30);
      const books = await load.stop();
      await auditBooks(f!, client(), books);
      expect(books.retried.UNAVAILABLE ?? 0, 'calls refused while the database was down').to.be.greaterThan(0);
    });
  });

  describe('an instance is killed', () => {
    it('spreads calls over three instances, and loses or doubles nothing when one dies', async () => {
      const load = startWorkload(f!, client(), { runId: 'kill' });
      await load.progress(40);
      await f!.instances[1]!.kill();
      await load.progress(80);
      const books = await load.stop();
      await auditBooks(f!, client(), books);
      expect(books.consumed.size).to.be.greaterThan(10);
      expect(books.revokedAt.size).to.be.greaterThan(0);
      expect(books.applications.size).to.be.greaterThan(0);
    });
  });
});
