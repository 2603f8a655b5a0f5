// npm run bench:permit — CheckPermit calls per second over gRPC against a bare grpc-js echo, in one run,
// then CheckPermit's latency at half the echo's rate (paced, open loop, through the lean caller in h2-unary.ts).
// BENCH_STALLS=1 prints both processes' event-loop stalls and collector pauses, to tell a tail's causes apart.
// The servers (trust + permit, embedded database; PostgreSQL and Redis with DATABASE_URL and REDIS_URL) run in a
// child process, the load comes from this one.
import * as grpc from '@grpc/grpc-js';
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { frame, H2Unary } from './h2-unary.ts';
import { tmpdir } from 'node:os';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { join } from 'node:path';
import { MovementType, PermitServiceClient, type CheckPermitRequest } from '../../gen/ruqsat/permit/v1/permit.ts';
import { loadConfig, SERVICE_NAMES } from '../../services/kit/config.ts';
import { createLogger } from '../../services/kit/logger.ts';
import { startMesh } from '../../services/mesh.ts';
// The tests' way to a real signatory certificate (flow A through trust) and a signed permit, reused as is.
import { HS, IMPORTER, issue, makeSigner, permitDocument, permitWorld, signDocument, trustReady } from '../../test/permit/helpers.ts';
import type { TestMesh } from '../../test/helpers/mesh.ts';

const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 5_000);
// The paced phases' length; a long one (BENCH_PACED_MS=60000) takes in the service's full collections at that rate.
const PACED_MS = Number(process.env.BENCH_PACED_MS ?? DURATION_MS);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 100);
const NUMBER = 'KZ-BENCH-0001';
const raw = (b: Buffer) => b;
const ECHO = { echo: { path: '/bench.Echo/Echo', requestStream: false, responseStream: false, requestSerialize: raw, requestDeserialize: raw, responseSerialize: raw, responseDeserialize: raw } };

interface Ready {
  permit: string;
  echo: string;
}

/** Child: trust and permit (embedded database, in-process cache and bus) and the echo server, side by side. */
async function serve(): Promise<void> {
  const env: Record<string, string | undefined> = { ...process.env, LOG_LEVEL: 'warn', PGLITE_DIR: 'memory://', DB_SCHEMA_PREFIX: `bench${randomBytes(4).toString('hex')}_`, METRICS_PORT: '-1', TRUST_HTTP_PORT: '0', RUQSAT_CA_PASSPHRASE: 'bench-only-passphrase-0123456789', MESH_TLS: 'off' };
  for (const n of SERVICE_NAMES) env[`${n.toUpperCase()}_PORT`] = '0';
  const config = loadConfig(env);
  const mesh = await startMesh(config, ['trust', 'permit'], createLogger('warn'));
  const t = { mesh, config, address: (name: string) => mesh.services.find((s) => s.name === name)!.address } as unknown as TestMesh;
  const dir = mkdtempSync(join(tmpdir(), 'ruqsat-bench-permit-'));
  const w = await permitWorld(t, dir);
  const signatory = await makeSigner(w, dir, '920702400470');
  rmSync(dir, { recursive: true, force: true });
  const doc = permitDocument(NUMBER, signatory);
  await issue(w, doc, signDocument(doc, signatory));
  await trustReady(w);
  const echo = new grpc.Server();
  echo.addService(ECHO, { echo: (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => cb(null, call.request) });
  const echoPort = await new Promise<number>((resolve, reject) => echo.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
  // A normal exit on SIGTERM, so --cpu-prof (BENCH_CPU_PROF) writes its profile; on PostgreSQL (DATABASE_URL) nothing is left behind.
  // Before a paced phase the parent has the service collect what the saturating rounds left in its old generation,
  // so each phase starts from the same heap, as a service does that was not just driven at 100 calls in flight.
  // BENCH_HEAP_PROF=file: a sampling heap profile of what the paced CheckPermit phase allocates, collected or not.
  const heap = process.env.BENCH_HEAP_PROF ? await heapSampler() : undefined;
  // BENCH_STALLS=1: the service's event-loop stalls and collector pauses, printed at the end, to tell them apart.
  const stalls = process.env.BENCH_STALLS ? stallRecorder() : undefined;
  let collections = 0;
  process.on('message', async (m) => {
    if (m !== 'gc') return;
    stalls?.push(`phase starts at ${Math.round(performance.now())} ms`);
    globalThis.gc!();
    if (++collections === 2) await heap?.start();
    process.send!('collected');
  });
  process.once('SIGTERM', async () => {
    if (stalls) process.stderr.write(stalls.join('\n') + '\n');
    if (heap && collections === 2) writeFileSync(process.env.BENCH_HEAP_PROF!, JSON.stringify(await heap.stop()));
    if (mesh.database.kind === 'postgres') for (const n of ['trust', 'permit']) await mesh.database.knex.raw('drop schema if exists ?? cascade', [config.schemaPrefix + n]).catch(() => undefined);
    process.exit(0);
  });
  process.send!({ permit: t.address('permit'), echo: `127.0.0.1:${echoPort}` } satisfies Ready);
}

/** Event-loop stalls over 8 ms (a 1-ms timer that fired late) and collector pauses over 4 ms, each with its start. */
function stallRecorder(): string[] {
  const lines: string[] = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.duration > 4) lines.push(`gc at ${Math.round(e.startTime)} ms: ${e.duration.toFixed(1)} ms (${(e as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR ? 'full' : 'other'})`);
  }).observe({ entryTypes: ['gc'] });
  let last = performance.now();
  setInterval(() => {
    const now = performance.now();
    if (now - last > 8) lines.push(`stall at ${Math.round(last)} ms: ${(now - last).toFixed(1)} ms`);
    last = now;
  }, 1).unref();
  return lines;
}

/** V8's sampling heap profiler through the inspector, every 1 KiB allocated, keeping what collections freed. */
async function heapSampler(): Promise<{ start(): Promise<unknown>; stop(): Promise<unknown> }> {
  const { Session } = await import('node:inspector');
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) => new Promise<{ profile?: unknown }>((resolve, reject) => session.post(method, params, (e, r) => (e ? reject(e) : resolve(r ?? {}))));
  return {
    start: () => post('HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true }),
    stop: async () => (await post('HeapProfiler.stopSampling')).profile,
  };
}

interface Result {
  rate: number;
  p50: number;
  p99: number;
  errors: number;
}

function summarize(name: string, latencies: number[], errors: number, seconds: number): Result {
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? NaN;
  process.stderr.write(`${name}: ${Math.round(latencies.length / seconds)} calls/s\n`);
  return { rate: latencies.length / seconds, p50: pct(0.5), p99: pct(0.99), errors };
}

/** Closed loop: CONCURRENCY calls always in flight for `ms`; the latencies and errors are added to `into`. */
async function load(ms: number, once: (done: (err: Error | null) => void) => void, into: { latencies: number[]; errors: number; seconds: number }, record = true): Promise<void> {
  const until = Date.now() + ms;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < until) {
        const start = performance.now();
        await new Promise<void>((resolve) => once((err) => {
          if (record) err ? into.errors++ : into.latencies.push(performance.now() - start);
          resolve();
        }));
      }
    }),
  );
  if (record) into.seconds += (Date.now() - started) / 1000;
}

/** Echo and CheckPermit in alternating 1-s rounds, so a neighbour's load on the shared machine hits both alike. */
async function interleaved(a: (done: (err: Error | null) => void) => void, b: (done: (err: Error | null) => void) => void): Promise<[Result, Result]> {
  const ra = { latencies: [] as number[], errors: 0, seconds: 0 };
  const rb = { latencies: [] as number[], errors: 0, seconds: 0 };
  await load(1_000, a, ra, false);
  await load(1_000, b, rb, false);
  for (let i = 0; i < Math.max(1, Math.round(DURATION_MS / 1_000)); i++) {
    await load(1_000, a, ra);
    await load(1_000, b, rb);
  }
  return [summarize('echo', ra.latencies, ra.errors, ra.seconds), summarize('CheckPermit', rb.latencies, rb.errors, rb.seconds)];
}

/** Open loop: calls start on a fixed schedule whatever the answers do, so queueing shows in the latency. */
async function paced(name: string, rate: number, once: (done: (err: Error | null) => void) => void, ms = PACED_MS): Promise<Result> {
  const latencies: number[] = [];
  let errors = 0;
  let inFlight = 0;
  const started = performance.now();
  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const due = Math.floor(((performance.now() - started) / 1000) * rate);
      for (; sent < due; sent++) {
        const start = performance.now();
        inFlight++;
        once((err) => {
          err ? errors++ : latencies.push(performance.now() - start);
          inFlight--;
        });
      }
      if (performance.now() - started >= ms) {
        clearInterval(tick);
        const wait = setInterval(() => inFlight === 0 && (clearInterval(wait), resolve()), 5);
      }
    }, 2);
  });
  return summarize(name, latencies, errors, ms / 1000);
}

async function main(): Promise<void> {
  const child = fork(new URL(import.meta.url).pathname, ['--serve'], { execArgv: ['--import', 'tsx', '--expose-gc', ...(process.env.BENCH_NODE_FLAGS ? process.env.BENCH_NODE_FLAGS.split(' ') : []), ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [])], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.once('message', (m) => resolve(m as Ready));
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  const EchoClient = grpc.makeGenericClientConstructor(ECHO, 'Echo');
  const echo = new EchoClient(ready.echo, grpc.credentials.createInsecure()) as unknown as { echo(req: Buffer, options: grpc.CallOptions, cb: (e: Error | null) => void): void; close(): void };
  const permits = new PermitServiceClient(ready.permit, grpc.credentials.createInsecure());
  const request: CheckPermitRequest = { number: NUMBER, declarantIdentifier: IMPORTER, hsCode: HS, quantity: 1, movementType: MovementType.MOVEMENT_TYPE_IMPORT, date: undefined };
  // Same call shape, same payload size: only what the service does differs. Both with a deadline, as the mesh's calls carry one.
  const { CheckPermitRequest: Codec, CheckPermitResponse } = await import('../../gen/ruqsat/permit/v1/permit.ts');
  const payload = Buffer.alloc(Codec.encode(request).finish().length, 0x61);
  const deadline = () => ({ deadline: Date.now() + 10_000 });
  let invalid = 0;
  const checkOnce = (done: (err: Error | null) => void) => permits.checkPermit(request, new grpc.Metadata(), deadline(), (err, res) => {
    if (!err && !res.valid) invalid++;
    done(err);
  });
  const [e, c] = await interleaved((done) => echo.echo(payload, deadline(), (err) => done(err)), checkOnce);
  const half = e.rate / 2;
  // Paced, both go through the lean HTTP/2 caller: grpc-js's client, a garbage-collected stack of its own, would
  // put the load generator's pauses into the tail being measured.
  const leanEcho = new H2Unary(ready.echo);
  const leanPermit = new H2Unary(ready.permit);
  const echoFrame = frame(payload);
  const checkFrame = frame(Codec.encode(request).finish());
  // The echo paced at the same rate: the tail the machine and the client add by themselves.
  // Both processes start each paced phase from a collected heap (this one's is full of the grpc-js clients'
  // garbage), then run one unrecorded second at the rate: connections, compiled code and heap sizes settle first.
  v8.setFlagsFromString('--expose-gc');
  const collectHere = runInNewContext('gc') as () => void;
  const collected = async () => {
    await new Promise((resolve) => (child.once('message', resolve), child.send('gc')));
    collectHere();
  };
  const settle = (once: (done: (err: Error | null) => void) => void) => paced('settling', half, once, 1_000);
  const stalls = process.env.BENCH_STALLS ? stallRecorder() : undefined;
  stalls?.push(`load process: paced phases start at ${Math.round(performance.now())} ms`);
  await collected();
  const echoOnce = (done: (err: Error | null) => void) => leanEcho.call(ECHO.echo.path, echoFrame, (err) => done(err));
  await settle(echoOnce);
  const he = await paced('echo paced', half, echoOnce);
  await collected();
  const checkLean = (done: (err: Error | null) => void) =>
    leanPermit.call('/ruqsat.permit.v1.PermitService/CheckPermit', checkFrame, (err, reply) => {
      if (!err && !CheckPermitResponse.decode(reply!).valid) invalid++;
      done(err);
    });
  await settle(checkLean);
  const h = await paced('CheckPermit paced', half, checkLean);
  leanEcho.close();
  leanPermit.close();
  if (stalls) process.stderr.write(stalls.join('\n') + '\n');
  child.kill('SIGTERM');
  echo.close();
  permits.close();
  if (invalid > 0) throw new Error(`CheckPermit said not valid ${invalid} times: the benchmark permit is wrong`);
  const ms = (x: number) => `${x.toFixed(2)} ms`;
  const lines = [
    `CheckPermit over gRPC (${new Date().toISOString().slice(0, 10)}; echo and CheckPermit in alternating 1-s rounds, ${DURATION_MS / 1000} s each; then ${PACED_MS / 1000} s each paced through a lean HTTP/2 caller, from collected heaps after 1 s unrecorded; trust + permit on the embedded database in one child process, load from another):`,
    '',
    '| target | load | calls/s | p50 | p99 | errors | ratio to echo | goal |',
    '|---|---|---|---|---|---|---|---|',
    `| bare grpc-js echo (${payload.length} B) | ${CONCURRENCY} in flight | ${Math.round(e.rate)} | ${ms(e.p50)} | ${ms(e.p99)} | ${e.errors} | 1.00× | |`,
    `| permit CheckPermit (valid; state and signature verdict cached) | ${CONCURRENCY} in flight | ${Math.round(c.rate)} | ${ms(c.p50)} | ${ms(c.p99)} | ${c.errors} | ${(c.rate / e.rate).toFixed(2)}× | ≥ 0.80× |`,
    `| bare grpc-js echo, paced at half its rate | ${Math.round(half)}/s open loop | ${Math.round(he.rate)} | ${ms(he.p50)} | ${ms(he.p99)} | ${he.errors} | | |`,
    `| permit CheckPermit, paced at half the echo rate | ${Math.round(half)}/s open loop | ${Math.round(h.rate)} | ${ms(h.p50)} | ${ms(h.p99)} | ${h.errors} | | p99 < 10 ms |`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

if (process.argv.includes('--serve')) await serve();
else await main();
