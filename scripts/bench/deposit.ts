// npm run bench:deposit — UploadObject ingest rate of a 1 GiB deposit over loopback against sha256sum
// of the same files, in one run. The service runs in a child process (one core), the client here (the other).
// The service records on PostgreSQL, as deployed, when one answers at DATABASE_URL (default: the local test database,
// as bench:registry) in a scratch schema dropped after; else, or with BENCH_DEPOSIT_DB=embedded, on the embedded one.
import * as grpc from '@grpc/grpc-js';
import { execFileSync, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { sha256 } from '../../core-wasm/src/index.ts';
import { DepositObject_State, ObjectType, type DepositServiceClient, type UploadObjectResponse } from '../../gen/ruqsat/deposit/v1/deposit.ts';
import { depositConfig } from '../../services/deposit/config.ts';
import { sendFiles } from '../../services/deposit/send-files.ts';
import { FastDepositServiceClient } from '../../services/deposit/wire.ts';
import { clientFor, closeClients } from '../../services/kit/grpc/client.ts';
import { loadConfig, SERVICE_NAMES } from '../../services/kit/config.ts';
import { createLogger } from '../../services/kit/logger.ts';
import { startMesh } from '../../services/mesh.ts';

const MIB = 1024 * 1024;
const cpuMs = (u = process.cpuUsage()) => (u.user + u.system) / 1000;
const sysMs = () => process.cpuUsage().system / 1000;
const TOTAL_MIB = Number(process.env.BENCH_DEPOSIT_MIB ?? 1024);
const FILES = Number(process.env.BENCH_DEPOSIT_FILES ?? 8);
const CHUNK = Number(process.env.BENCH_DEPOSIT_CHUNK_KIB ?? 2048) * 1024;
// BENCH_DEPOSIT_CHUNK_DIGESTS=1: the client sends each chunk's SHA-256 and the service checks it (a second hash pass on each side).
const CHUNK_DIGESTS = process.env.BENCH_DEPOSIT_CHUNK_DIGESTS === '1';

/** Child: the deposit service alone, blobs in `dir`; on PostgreSQL when the parent passes DATABASE_URL. */
async function serve(dir: string): Promise<void> {
  const env: Record<string, string | undefined> = { ...process.env, LOG_LEVEL: 'warn', PGLITE_DIR: join(dir, 'pglite'), DB_SCHEMA_PREFIX: `bench${randomBytes(4).toString('hex')}_`, METRICS_PORT: '-1', DEPOSIT_BLOB_DIR: join(dir, 'blobs'), GRPC_MAX_CALL_MS: '3600000', MESH_TLS: 'off' };
  for (const n of SERVICE_NAMES) env[`${n.toUpperCase()}_PORT`] = '0';
  const config = loadConfig(env);
  const mesh = await startMesh(config, ['deposit'], createLogger('warn'));
  process.once('SIGTERM', async () => {
    if (mesh.database.kind === 'postgres') await mesh.database.knex.raw('drop schema if exists ?? cascade', [config.schemaPrefix + 'deposit']).catch(() => undefined);
    await mesh.stop();
    process.exit(0);
  });
  // The parent asks for this process's CPU time around the upload: wall time alone hides which side is the bottleneck.
  process.on('message', (m) => {
    if (m === 'cpu') process.send!({ cpuMs: cpuMs(), sysMs: sysMs() });
  });
  process.send!({ address: mesh.services[0]!.address });
}

function uploadFiles(client: DepositServiceClient, paths: string[], root: string): Promise<UploadObjectResponse> {
  return new Promise((resolve, reject) => {
    const call = client.uploadObject(new grpc.Metadata(), { deadline: Date.now() + 3_600_000 }, (err, res) => (err ? reject(err) : resolve(res!)));
    const size = (TOTAL_MIB * MIB) / FILES;
    call.write({ manifest: { uploadId: `bench-${Date.now()}`, objectType: ObjectType.OBJECT_TYPE_SOFTWARE_PRODUCT, title: 'Benchmark deposit', version: '1', files: paths.map((path) => ({ path, sizeBytes: size })) } });
    (async () => {
      if (CHUNK_DIGESTS) {
        for (const path of paths) {
          let offset = 0;
          for await (const data of createReadStream(join(root, path), { highWaterMark: CHUNK }) as AsyncIterable<Buffer>) {
            if (!call.write({ chunk: { path, offset, data, sha256: Buffer.from(sha256(data)) } })) await new Promise((r) => call.once('drain', r));
            offset += data.length;
          }
        }
      } else {
        // What a depositor's client does: chunks read into reused message buffers (services/deposit/send-files.ts).
        await sendFiles(call, paths.map((path) => ({ path, file: join(root, path), size })), CHUNK);
      }
      call.end();
    })().catch(reject);
  });
}

/** The PostgreSQL to record on, if one answers (the embedded database otherwise). */
async function postgresUrl(): Promise<string | undefined> {
  if (process.env.BENCH_DEPOSIT_DB === 'embedded') return undefined;
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return url;
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function main(): Promise<void> {
  const databaseUrl = await postgresUrl();
  const dir = mkdtempSync(join(tmpdir(), 'ruqsat-bench-deposit-'));
  try {
    const root = join(dir, 'files');
    execFileSync('mkdir', ['-p', join(root, 'dist')]);
    const paths = Array.from({ length: FILES }, (_, i) => `dist/part-${String(i).padStart(2, '0')}.bin`);
    const size = (TOTAL_MIB * MIB) / FILES;
    for (const p of paths) writeFileSync(join(root, p), randomBytes(size));
    const total = TOTAL_MIB * MIB;
    const mbps = (bytes: number, ms: number) => bytes / 1e6 / (ms / 1000);

    // Reference: sha256sum over the same files (they are in the page cache, as they are for the upload).
    let t = performance.now();
    execFileSync('sha256sum', paths, { cwd: root });
    const sha256sumMs = performance.now() - t;

    // Context: the core's one-shot SHA-256 over the same bytes, 1 MiB at a time.
    const block = randomBytes(MIB);
    t = performance.now();
    for (let i = 0; i < TOTAL_MIB; i++) sha256(block);
    const coreMs = performance.now() - t;

    const child = fork(new URL(import.meta.url).pathname, ['--serve', join(dir, 'service')], { env: { ...process.env, DATABASE_URL: databaseUrl }, execArgv: ['--import', 'tsx', ...(process.env.BENCH_NODE_FLAGS ? process.env.BENCH_NODE_FLAGS.split(' ') : []), ...(process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.BENCH_PROF] : [])], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const ready = await new Promise<{ address: string }>((resolve, reject) => {
      child.once('message', (m) => resolve(m as { address: string }));
      child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
    });
    // The client's codec writes a chunk with one copy of its bytes (the generated encoder makes several).
    const client = clientFor(FastDepositServiceClient, ready.address);
    const serviceCpu = () => new Promise<{ cpuMs: number; sysMs: number }>((resolve) => {
      child.once('message', (m) => resolve(m as { cpuMs: number; sysMs: number }));
      child.send('cpu');
    });
    const serviceCpu0 = await serviceCpu();
    const clientCpu0 = cpuMs();
    const clientSys0 = sysMs();
    t = performance.now();
    const res = await uploadFiles(client, paths, root);
    const ingestMs = performance.now() - t;
    const clientCpuMs = cpuMs() - clientCpu0;
    const clientSysMs = sysMs() - clientSys0;
    const serviceCpu1 = await serviceCpu();
    const serviceCpuMs = serviceCpu1.cpuMs - serviceCpu0.cpuMs;
    const serviceSysMs = serviceCpu1.sysMs - serviceCpu0.sysMs;
    closeClients();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    if (res.object?.state !== DepositObject_State.STATE_STORED || res.object.totalSizeBytes !== total) throw new Error('the benchmark deposit was not stored whole');

    const ingest = mbps(total, ingestMs);
    const reference = mbps(total, sha256sumMs);
    const lines = [
      `Deposit ingest over loopback (${new Date().toISOString().slice(0, 10)}, ${TOTAL_MIB} MiB in ${FILES} files, ${CHUNK / 1024} KiB chunks, ${databaseUrl ? 'PostgreSQL' : 'embedded database'}, blobs on local disk):`,
      '',
      '| measurement | MB/s | time | ratio | target |',
      '|---|---|---|---|---|',
      `| \`sha256sum\` of the same files | ${reference.toFixed(0)} | ${(sha256sumMs / 1000).toFixed(2)} s | 1.00× | |`,
      `| UploadObject ingest (stream; SHA-256 of every file${CHUNK_DIGESTS ? ' and chunk' : ''} in the core; fsync + DB record every ${depositConfig().ackBytes / MIB} MiB and per file, behind the stream; Merkle root) | ${ingest.toFixed(0)} | ${(ingestMs / 1000).toFixed(2)} s | ${(ingest / reference).toFixed(2)}× | ≥ 0.50× |`,
      `| context: CPU time during the upload — service ${(serviceCpuMs / 1000).toFixed(2)} s (${(serviceSysMs / 1000).toFixed(2)} s in the kernel), client ${(clientCpuMs / 1000).toFixed(2)} s (${(clientSysMs / 1000).toFixed(2)} s in the kernel) (${os.cpus().length} cores) | | | | |`,
      `| context: the core's one-shot SHA-256, 1 MiB messages, one pass | ${mbps(total, coreMs).toFixed(0)} | ${(coreMs / 1000).toFixed(2)} s | ${(mbps(total, coreMs) / reference).toFixed(2)}× | |`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv.includes('--serve')) await serve(process.argv[process.argv.indexOf('--serve') + 1]!);
else await main();
