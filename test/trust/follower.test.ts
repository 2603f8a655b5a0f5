// Another service's in-process trust core follows the revocation feed: a revocation counts there within a second.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { TrustServiceClient } from '../../gen/ruqsat/trust/v1/trust.ts';
import { clientFor } from '../../services/kit/grpc/client.ts';
import { TrustFollower } from '../../services/kit/trust-follower.ts';
import { bind, call } from '../helpers/grpc.ts';
import { startTestMesh, type TestMesh } from '../helpers/mesh.ts';
import { issueCertificate, makeKey, provisionOperator, signAct } from './helpers.ts';

describe('trust: the revocation feed reaches other services\u2019 cores', function () {
  this.timeout(60_000);
  let t: TestMesh;
  let dir: string;
  let follower: TrustFollower | undefined;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ruqsat-follow-'));
    t = await startTestMesh(['trust']);
  });
  after(async () => {
    follower?.stop();
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('validates a fresh certificate, and sees its revocation in under a second', async () => {
    const client = clientFor(TrustServiceClient, t.address('trust'));
    const operator = await provisionOperator(t, dir);
    const key = makeKey(dir, 'holder', 'ed25519');
    const holder = await issueCertificate(client, operator, key, 'req-follow-1', '870601300126');

    follower = new TrustFollower(client, pino({ level: 'silent' }));
    await follower.start();
    const verify = () => follower!.core.verifyBytes(holder.der, { intermediates: follower!.intermediates(), crlCheck: 'all' });
    expect(verify()).to.include({ ok: true, code: 'OK' });

    const act = { act: 'revoke_certificate', certificate: holder.name, reason: 1 };
    await call(bind(client, 'revokeCertificate'), { name: holder.name, reason: 1, request: signAct(key, act, [holder.der]) });
    const acknowledged = Date.now();
    while (verify().ok && Date.now() - acknowledged < 1_000) await new Promise((r) => setTimeout(r, 10));
    const seenAfter = Date.now() - acknowledged;
    expect(verify()).to.include({ ok: false, code: 'REVOKED' });
    expect(seenAfter).to.be.lessThan(1_000);
  });
});
