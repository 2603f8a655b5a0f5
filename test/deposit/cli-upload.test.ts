// `ruqsat deposit upload DIR` as a user runs it, against a real deposit service: the object's Merkle root is what
// `deposit verify` computes here; a run cut off or killed mid-way is resumed by the same command without sending
// again what the service acknowledged (bytes counted through a TCP proxy); bad input exits non-zero, clearly.
import * as grpc from '@grpc/grpc-js';
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DepositObject_State, DepositServiceClient } from '../../gen/ruqsat/deposit/v1/deposit.ts';
import { merkleRoot } from '../../services/deposit/domain/merkle.ts';
import { clientFor } from '../../services/kit/grpc/client.ts';
import { bind, call } from '../helpers/grpc.ts';
import { startTestMesh, testEnv, type TestMesh } from '../helpers/mesh.ts';
import { startProxy } from '../helpers/proxy.ts';
import { project, sha, type ProjectFile } from './helpers.ts';

const LIMIT = 2 * 1024 * 1024;

interface Run {
  child: ChildProcess;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

describe('ruqsat deposit upload', function () {
  this.timeout(90_000);
  let dir: string;
  let t: TestMesh;
  let client: DepositServiceClient;

  const env = () => testEnv({ XDG_STATE_HOME: join(dir, 'state') });
  const start = (args: string[]): Run => {
    const child = spawn('node', ['bin/ruqsat.js', 'deposit', 'upload', ...args], { env: env() });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    return { child, done: new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr }))) };
  };
  const ruqsat = (args: string[]) => start(args).done;
  const tree = (name: string, files: ProjectFile[]) => {
    for (const f of files) {
      mkdirSync(dirname(join(dir, name, f.path)), { recursive: true });
      writeFileSync(join(dir, name, f.path), f.data);
    }
    return join(dir, name);
  };
  const rootOf = (files: ProjectFile[]) => merkleRoot(files.map((f) => ({ path: f.path, size: f.data.length, sha256: sha(f.data) }))).toString('hex');
  const status = async (uploadId: string) => (await call(bind(client, 'getUploadStatus'), { uploadId })).response;
  const acked = async (uploadId: string) => (await status(uploadId).catch(() => undefined))?.files.reduce((n, f) => n + f.receivedBytes, 0) ?? 0;
  const stateFiles = () => (existsSync(join(dir, 'state/ruqsat/uploads')) ? readdirSync(join(dir, 'state/ruqsat/uploads')) : []);
  /** The upload id a run keeps in its state file, once it has written it. */
  const uploadIdOf = async () => {
    for (let i = 0; i < 300; i++) {
      const [file] = stateFiles().filter((f) => f.endsWith('.json'));
      if (file) return (JSON.parse(readFileSync(join(dir, 'state/ruqsat/uploads', file), 'utf8')) as { uploadId: string }).uploadId;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('the upload wrote no state file');
  };
  /** Waits until the service has acknowledged more than `above` bytes of the upload, and stops acknowledging more. */
  const settledAbove = async (uploadId: string, above: number) => {
    let last = -1;
    for (let i = 0; i < 300; i++) {
      const now = await acked(uploadId);
      if (now > above && now === last) return now;
      last = now;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`upload ${uploadId} never settled above ${above} acknowledged bytes`);
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ruqsat-deposit-upload-'));
    // Acknowledge every 64 KiB, so an upload stalled mid-way has bytes acknowledged; a small per-file limit to hit.
    t = await startTestMesh(['deposit'], { DEPOSIT_BLOB_DIR: join(dir, 'blobs'), DEPOSIT_MAX_FILE_BYTES: String(LIMIT), DEPOSIT_ACK_BYTES: String(64 * 1024) });
    client = clientFor(DepositServiceClient, t.address('deposit'));
  });
  after(async () => {
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('uploads a directory (a link inside it included) and prints the object, Merkle root, count and size; verify agrees', async () => {
    const files = project(1);
    const root = tree('proj', files);
    symlinkSync('README.md', join(root, 'docs/link.md'));
    const all = [...files, { path: 'docs/link.md', data: files.find((f) => f.path === 'docs/README.md')!.data }];
    const size = all.reduce((n, f) => n + f.data.length, 0);

    const r = await ruqsat([root, '--type', 'code', '--name', 'Test project', '--version', '1.0', '--target', t.address('deposit')]);
    expect(r.code, r.stderr).to.equal(0);
    const m = /^uploaded (objects\/(test-project-[0-9a-f]{8})): 6 files, (\d+) bytes, Merkle root ([0-9a-f]{64})$/m.exec(r.stdout);
    expect(m, r.stdout).to.not.equal(null);
    expect(Number(m![3])).to.equal(size);
    expect(m![4]).to.equal(rootOf(all));
    expect(r.stdout).to.include('check: complete, and conformant to the declared type (code)');
    const stored = await status(m![2]!);
    expect(stored).to.deep.include({ state: DepositObject_State.STATE_STORED, title: 'Test project', version: '1.0', fileCount: 6 });
    expect(stateFiles(), 'the state file is removed once stored').to.deep.equal([]);

    const v = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = spawn('node', ['bin/ruqsat.js', 'deposit', 'verify', m![1]!, root, '--target', t.address('deposit')], { env: env() });
      let stdout = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.on('close', (code) => resolve({ code, stdout }));
    });
    expect(v.code, v.stdout).to.equal(0);
    expect(v.stdout).to.include(`matches ${m![1]}: 6 files, Merkle root ${m![4]}`);

    const j = await ruqsat([root, '--json', '--target', t.address('deposit')]);
    expect(j.code, j.stderr).to.equal(0);
    const out = JSON.parse(j.stdout) as Record<string, unknown>;
    expect(out).to.deep.include({ merkle_root: rootOf(all), file_count: 6, total_size_bytes: size, sent_bytes: size, resumed_from_bytes: 0, complete: true, conformant: true });
    expect(out.object).to.match(/^objects\/proj-[0-9a-f]{8}$/);
  });

  it('a run cut off, then one killed, are resumed by the same command without re-sending acknowledged bytes', async () => {
    const big = Buffer.from(Array.from({ length: 1_500_000 }, (_, i) => (i * 131 + (i >> 9)) & 0xff));
    const files = [{ path: 'dist/app.bin', data: big }, { path: 'src/main.c', data: Buffer.from('int main(void) { return 0; }\n') }, { path: 'README.md', data: Buffer.from('# App\n') }];
    const root = tree('app', files);
    const total = files.reduce((n, f) => n + f.data.length, 0);
    const [host, port] = [t.address('deposit').split(':')[0]!, Number(t.address('deposit').split(':')[1])];
    const args = (p: number) => [root, '--chunk-bytes', '65536', '--target', `127.0.0.1:${p}`];

    // 1. The connection drops mid-stream: a clear status, and the advice to run it again.
    const stall1 = await startProxy(host, port, { holdAfterBytes: 300_000 });
    const run1 = start(args(stall1.port));
    const id = await uploadIdOf();
    const first = await settledAbove(id, 0);
    await stall1.cut();
    const r1 = await run1.done;
    expect(r1.code).to.equal(2);
    expect(r1.stderr).to.match(/UploadObject failed: [A-Z_]+: /).and.include('run the same command again to continue');
    const afterCut = await settledAbove(id, first - 1);

    // 2. Resumed, then killed outright while stalled further on.
    const stall2 = await startProxy(host, port, { holdAfterBytes: 500_000 });
    const run2 = start(args(stall2.port));
    const afterKill = await settledAbove(id, afterCut);
    run2.child.kill('SIGKILL');
    await run2.done;
    await stall2.close();
    const acknowledged = await settledAbove(id, afterCut);
    expect(acknowledged).to.be.at.least(afterKill).and.below(total);

    // 3. Run to the end: it sends only what was not acknowledged (plus the protocol's few bytes), and the object is whole.
    const counting = await startProxy(host, port);
    const r3 = await ruqsat([...args(counting.port), '--json']);
    await counting.close();
    expect(r3.code, r3.stderr).to.equal(0);
    expect(r3.stderr).to.include(`resuming objects/${id}: ${acknowledged} of ${total} bytes were acknowledged, sending the other ${total - acknowledged}`);
    const out = JSON.parse(r3.stdout) as Record<string, unknown>;
    expect(out).to.deep.include({ object: `objects/${id}`, merkle_root: rootOf(files), file_count: 3, total_size_bytes: total, sent_bytes: total - acknowledged, resumed_from_bytes: acknowledged });
    expect(counting.sent()).to.be.at.least(total - acknowledged).and.below(total - acknowledged + 16 * 1024);
    expect(acknowledged).to.be.above(16 * 1024);
    expect(stateFiles()).to.deep.equal([]);
  });

  it('refuses bad input with a clear message and a non-zero exit, storing nothing', async () => {
    const missing = await ruqsat([join(dir, 'no-such-dir'), '--target', t.address('deposit')]);
    expect(missing.code).to.equal(1);
    expect(missing.stderr).to.include('is not a directory');

    mkdirSync(join(dir, 'empty/sub'), { recursive: true });
    const empty = await ruqsat([join(dir, 'empty'), '--target', t.address('deposit')]);
    expect(empty.code).to.equal(1);
    expect(empty.stderr).to.include('holds no files to deposit');

    const leaky = tree('leaky', [{ path: 'a.c', data: Buffer.from('int a;\n') }]);
    writeFileSync(join(dir, 'secret.txt'), 'not for the depositary\n');
    symlinkSync(join(dir, 'secret.txt'), join(leaky, 'secret.txt'));
    const leak = await ruqsat([leaky, '--target', t.address('deposit')]);
    expect(leak.code).to.equal(1);
    expect(leak.stderr).to.match(/secret\.txt is a symbolic link to .*secret\.txt, outside .*: refused/);

    const badType = await ruqsat([leaky, '--type', 'firmware', '--target', t.address('deposit')]);
    expect(badType.code).to.equal(1);
    expect(badType.stderr).to.include('--type must be one of is, software, code, documentation');

    const huge = tree('huge', [{ path: 'small.c', data: Buffer.from('int s;\n') }, { path: 'big.bin', data: Buffer.alloc(0) }]);
    truncateSync(join(huge, 'big.bin'), LIMIT + 1); // sparse: costs no disk
    const over = await ruqsat([huge, '--target', t.address('deposit')]);
    expect(over.code).to.equal(2);
    expect(over.stderr).to.include('UploadObject failed: RESOURCE_EXHAUSTED: big.bin:').and.include('[FILE_TOO_LARGE]').and.not.include('run the same command again');
    const id = await uploadIdOf();
    const nothing = await call(bind(client, 'getUploadStatus'), { uploadId: id }).then(() => undefined, (e: grpc.ServiceError) => e);
    expect(nothing?.code).to.equal(grpc.status.NOT_FOUND);
  });
});
