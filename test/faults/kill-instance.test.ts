// Three permit instances behind round_robin, a steady stream of customs and applicant calls, and one instance
// killed mid-run: no call fails for good, nothing acknowledged is lost or applied twice.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPermitInstances, type Instance } from './instances.ts';
import { auditBooks, startWorkload } from './workload.ts';
import { startFaultWorld, type FaultWorld } from './world.ts';

describe('faults: a permit instance killed under load', function () {
  this.timeout(180_000);
  let dir: string;
  let f: FaultWorld | undefined;
  let instances: Instance[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ruqsat-faults-kill-'));
    f = await startFaultWorld(dir);
    instances = await startPermitInstances(f.t, 3);
  });
  after(async () => {
    await Promise.all(instances.map((i) => i.stop()));
    await f?.t.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('spreads calls over three instances, and loses or doubles nothing when one dies', async () => {
    const client = f!.client(instances.map((i) => i.address).join(','));
    const load = startWorkload(f!, client, { runId: 'kill' });
    await load.progress(60);
    await instances[1]!.kill();
    await load.progress(120);
    const books = await load.stop();
    await auditBooks(f!, client, books);
    expect(books.consumed.size).to.be.greaterThan(10);
    expect(books.revokedAt.size).to.be.greaterThan(0);
    expect(books.applications.size).to.be.greaterThan(0);
    console.log('      ', JSON.stringify({ done: books.done, retried: books.retried }));
  });
});
