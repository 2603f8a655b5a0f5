// Two trust instances on one database: a revocation made on one reaches the other's watchers (over Redis when set).
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { TrustServiceClient, type RevocationEvent } from '../../gen/ruqsat/trust/v1/trust.ts';
import { clientFor } from '../../services/kit/grpc/client.ts';
import { createRegistry } from '../../services/kit/metrics.ts';
import { openShared, type Shared } from '../../services/kit/redis.ts';
import { startService, type RunningService } from '../../services/kit/service.ts';
import { MODULES } from '../../services/mesh.ts';
import { bind, call } from '../helpers/grpc.ts';
import { startTestMesh, type TestMesh } from '../helpers/mesh.ts';
import { issueCertificate, makeKey, provisionOperator, signAct } from './helpers.ts';

describe('trust: several instances', function () {
  this.timeout(60_000);
  let t: TestMesh;
  let second: RunningService | undefined;
  let secondShared: Shared | undefined;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ruqsat-instances-'));
    t = await startTestMesh(['trust']);
    // Its own bus connection, as a second process would have (the in-process bus when REDIS_URL is unset).
    secondShared = t.config.redisUrl ? await openShared(t.config.redisUrl, `ruqsat:${t.config.schemaPrefix}`, pino({ level: 'silent' })) : t.mesh.shared;
    second = await startService(MODULES.trust, { config: t.config, database: t.mesh.database, shared: secondShared, logger: pino({ level: 'silent' }), registry: createRegistry() }, 0);
  });
  after(async () => {
    await second?.stop();
    if (secondShared !== t?.mesh.shared) await secondShared?.close();
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('streams a revocation made on the first instance to a watcher of the second', async () => {
    const first = clientFor(TrustServiceClient, t.address('trust'));
    const other = clientFor(TrustServiceClient, second!.address);
    const operator = await provisionOperator(t, dir);
    const key = makeKey(dir, 'holder', 'ed25519');
    const holder = await issueCertificate(first, operator, key, 'req-inst-1', '870601300126');
    const seen: RevocationEvent[] = [];
    const stream = other.watchRevocations({ afterSequence: 0 });
    stream.on('data', (e: RevocationEvent) => seen.push(e));
    stream.on('error', () => undefined);
    await new Promise((r) => setTimeout(r, 200));
    await call(bind(first, 'revokeCertificate'), { name: holder.name, reason: 4, request: signAct(key, { act: 'revoke_certificate', certificate: holder.name, reason: 4 }, [holder.der]) });
    const started = Date.now();
    while (seen.length === 0 && Date.now() - started < 2_000) await new Promise((r) => setTimeout(r, 10));
    stream.cancel();
    expect(seen.map((e) => e.certificate)).to.deep.equal([holder.name]);
    // The second instance's own core counts it too.
    const verdict = (await call(bind(other, 'verifyChain'), { certificate: Buffer.from(holder.der), intermediates: [], time: undefined, checkWholeChain: false, purpose: '', policies: [] })).response;
    expect(verdict).to.include({ ok: false, code: 'REVOKED' });
  });
});
