// `npm run demo` against a mesh: the demo mode provisions an RA operator and the officials as `npm start` does,
// then the whole story runs twice on the same mesh (fresh identities and ids each run) with no failed step.
import { expect } from 'chai';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { provisionDemo } from '../scripts/demo/provision.ts';
import { main } from '../scripts/demo.ts';
import { startTestMesh, type TestMesh } from './helpers/mesh.ts';

describe('npm run demo', function () {
  this.timeout(180_000);
  let t: TestMesh;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ruqsat-demo-test-'));
    t = await startTestMesh(['trust', 'permit', 'registry']);
  });
  after(async () => {
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('provisions once: a second start changes nothing', async () => {
    const settings = { mode: 'on' as const, dir: join(dir, 'demo') };
    const first = await provisionDemo(t.mesh, t.config, settings);
    expect(first.join('\n')).to.match(/RA operator Omarova Dana/).and.match(/signatory/);
    expect(statSync(join(settings.dir, 'ra-operator.json')).mode & 0o777).to.equal(0o600);
    expect(await provisionDemo(t.mesh, t.config, settings)).to.deep.equal([]);
  });

  it('tells the whole story, twice on the same mesh, with no failed step', async () => {
    for (const round of [1, 2]) {
      const lines: string[] = [];
      // The entry point itself, with the environment `npm start` and `npm run demo` would share.
      const env = { ...process.env, TRUST_ADDRESS: t.address('trust'), PERMIT_ADDRESS: t.address('permit'), REGISTRY_ADDRESS: t.address('registry'), RUQSAT_DEMO_DIR: join(dir, 'demo'), TMPDIR: join(dir, 'tmp') };
      const failures = await main(env, (line) => lines.push(line));
      const text = lines.join('\n');
      expect(failures, `round ${round}:\n${text}`).to.equal(0);
      expect(text).to.include('QUANTITY_EXCEEDS_REMAINDER').and.include('FAIL SIGNATORY_REVOKED').and.include('The whole story went as told');
      expect(text).to.not.include('FAILED:');
      if (process.env.DEMO_PRINT) console.log(text);
    }
    expect(existsSync(join(dir, 'tmp', 'ruqsat-demo'))).to.equal(true);
  });
});
