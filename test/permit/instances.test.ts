// Two permit instances on one database (and one Redis when set): a consumption or suspension made through one
// is never answered "valid" by the other, not even a moment later, whatever either had cached.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { CheckReason, MovementType, PermitServiceClient } from '../../gen/ruqsat/permit/v1/permit.ts';
import { clientFor } from '../../services/kit/grpc/client.ts';
import { createRegistry } from '../../services/kit/metrics.ts';
import { openShared, type Shared } from '../../services/kit/redis.ts';
import { startService, type RunningService } from '../../services/kit/service.ts';
import { MODULES } from '../../services/mesh.ts';
import { bind, call } from '../helpers/grpc.ts';
import { startTestMesh, type TestMesh } from '../helpers/mesh.ts';
import { checkRequest, HS, IMPORTER, issue, makeSigner, permitDocument, permitWorld, signDocument, trustReady } from './helpers.ts';

describe('permit: several instances', function () {
  this.timeout(120_000);
  let t: TestMesh;
  let second: RunningService | undefined;
  let secondShared: Shared | undefined;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ruqsat-permit-inst-'));
    t = await startTestMesh(['trust', 'permit']);
    // Its own Redis connections, as a second process would have (the in-process bus when REDIS_URL is unset).
    secondShared = t.config.redisUrl ? await openShared(t.config.redisUrl, `ruqsat:${t.config.schemaPrefix}`, pino({ level: 'silent' })) : t.mesh.shared;
    second = await startService(MODULES.permit, { config: t.config, database: t.mesh.database, shared: secondShared, logger: pino({ level: 'silent' }), registry: createRegistry() }, 0);
  });
  after(async () => {
    await second?.stop();
    if (secondShared !== t?.mesh.shared) await secondShared?.close();
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers on the second instance what a consumption or suspension on the first just did', async () => {
    const w = await permitWorld(t, dir);
    const signatory = await makeSigner(w, dir, '920702400470');
    const doc = permitDocument('KZ-INST-0001', signatory);
    await issue(w, doc, signDocument(doc, signatory));
    await trustReady(w);
    const other = clientFor(PermitServiceClient, second!.address);
    const checkOther = async (over = {}) => (await call(bind(other, 'checkPermit'), checkRequest('KZ-INST-0001', over))).response;
    for (let i = 0; i < 200 && (await call(bind(other, 'checkPermit'), checkRequest('KZ-INST-0001')).catch(() => undefined)) === undefined; i++) await new Promise((r) => setTimeout(r, 50));
    // Both instances have answered (and cached whatever they cache) before the change.
    expect(await checkOther({ quantity: 10 })).to.include({ valid: true, remainingQuantity: 10 });
    expect((await call(bind(w.permits, 'checkPermit'), checkRequest('KZ-INST-0001', { quantity: 10 }))).response.valid).to.equal(true);

    await call(bind(w.permits, 'consumePermit'), { number: 'KZ-INST-0001', declarationId: 'D-INST-1', declarantIdentifier: IMPORTER, movementType: MovementType.MOVEMENT_TYPE_IMPORT, lines: [{ hsCode: HS, quantity: 10, line: 0 }] });
    const used = await checkOther();
    expect(used).to.include({ valid: false, remainingQuantity: 0 });
    expect(used.reasons).to.deep.equal([CheckReason.CHECK_REASON_QUANTITY_EXCEEDS_REMAINDER]);

    await call(bind(other, 'releaseConsumption'), { number: 'KZ-INST-0001', declarationId: 'D-INST-1' });
    expect((await call(bind(w.permits, 'checkPermit'), checkRequest('KZ-INST-0001', { quantity: 10 }))).response.valid).to.equal(true);
    await w.consumptions.setStatus('KZ-INST-0001', 'suspended', 'test', 'inspection');
    expect((await checkOther()).reasons).to.deep.equal([CheckReason.CHECK_REASON_SUSPENDED]);
    expect((await call(bind(w.permits, 'checkPermit'), checkRequest('KZ-INST-0001'))).response.reasons).to.deep.equal([CheckReason.CHECK_REASON_SUSPENDED]);
  });
});
