// `ruqsat commission` as an operator runs it: the provider's order puts members on the commission, by body and position.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { testEnv } from '../helpers/mesh.ts';

const exec = promisify(execFile);

describe('licensing: ruqsat commission', function () {
  this.timeout(180_000);
  let dir: string;
  let env: Record<string, string | undefined>;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ruqsat-commission-'));
    env = testEnv({ PGLITE_DIR: join(dir, 'pglite') });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const ruqsat = async (args: string[]) => {
    try {
      const { stdout, stderr } = await exec('node', ['bin/ruqsat.js', 'commission', ...args], { env, timeout: 60_000 });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };

  it('adds a member with body and position, lists them, and refuses a wrong body or an unknown member', async () => {
    const bad = await ruqsat(['add', '--iin', '900315400215', '--body', 'nsc', '--position', 'member']);
    expect(bad.code).to.equal(1);
    expect(bad.stderr).to.include('--body must be one of');
    expect((await ruqsat(['add', '--iin', '900315400215', '--body', 'national_security', '--position', 'member', '--full-name', 'Omarova Dana'])).code).to.equal(0);
    const list = await ruqsat(['list']);
    expect(list.stdout).to.match(/900315400215 national_security\s+member\s+Omarova Dana/);
    const unknown = await ruqsat(['remove', '--iin', '851120300359']);
    expect([unknown.code, unknown.stderr]).to.satisfy(([code, err]: [number, string]) => code === 2 && err.includes('is not on the commission'));
  });
});
