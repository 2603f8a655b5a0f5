// `ruqsat deposit verify NAME DIR` as a user runs it, against a real deposit service.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { DepositServiceClient } from '../../gen/ruqsat/deposit/v1/deposit.ts';
import { clientFor } from '../../services/kit/grpc/client.ts';
import { startTestMesh, testEnv, type TestMesh } from '../helpers/mesh.ts';
import { chunksOf, manifestOf, project, upload } from './helpers.ts';

const exec = promisify(execFile);

async function ruqsat(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec('node', ['bin/ruqsat.js', ...args], { env: testEnv(), timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('ruqsat deposit verify', function () {
  this.timeout(60_000);
  let dir: string;
  let t: TestMesh;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ruqsat-deposit-cli-'));
    t = await startTestMesh(['deposit'], { DEPOSIT_BLOB_DIR: join(dir, 'blobs') });
    const files = project(7);
    await upload(clientFor(DepositServiceClient, t.address('deposit')), [manifestOf('cli-proj', files), ...chunksOf(files)]);
    for (const f of files) {
      mkdirSync(dirname(join(dir, 'tree', f.path)), { recursive: true });
      writeFileSync(join(dir, 'tree', f.path), f.data);
    }
  });
  after(async () => {
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exits 0 when the directory is the deposit, with the Merkle root', async () => {
    const r = await ruqsat(['deposit', 'verify', 'objects/cli-proj', join(dir, 'tree'), '--target', t.address('deposit')]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^matches objects\/cli-proj: 5 files, Merkle root [0-9a-f]{64}$/m);
  });

  it('exits 2 and names a modified file and an extra one', async () => {
    writeFileSync(join(dir, 'tree', 'src/main.c'), 'int main(void) { return 42; }\n');
    writeFileSync(join(dir, 'tree', 'notes.txt'), 'not deposited\n');
    const r = await ruqsat(['deposit', 'verify', 'objects/cli-proj', join(dir, 'tree'), '--target', t.address('deposit')]);
    expect(r.code, r.stderr).to.equal(2);
    expect(r.stdout).to.include('differs: src/main.c').and.include('extra:   notes.txt').and.include('does not match objects/cli-proj');
  });

  it('exits 1 on a usage error, and reports an unknown deposit', async () => {
    expect((await ruqsat(['deposit', 'verify', 'objects/cli-proj'])).code).to.equal(1);
    const r = await ruqsat(['deposit', 'verify', 'objects/nope', join(dir, 'tree'), '--target', t.address('deposit')]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include('NOT_FOUND');
  });
});
