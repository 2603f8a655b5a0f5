// npm run bench:trust — VerifyChain calls per second over gRPC against a bare grpc-js echo, in one run.
// The servers run in a child process (one core), the load comes from this one (the other core).
import * as grpc from '@grpc/grpc-js';
import { execFileSync, fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { TrustServiceClient } from '../../gen/ruqsat/trust/v1/trust.ts';
import { loadConfig, SERVICE_NAMES } from '../../services/kit/config.ts';
import { ServiceDb } from '../../services/kit/db.ts';
import { createLogger } from '../../services/kit/logger.ts';
import { startMesh } from '../../services/mesh.ts';
import { Authorities } from '../../services/trust/authorities.ts';
import { issueOperatorCertificate } from '../../services/trust/operators.ts';
import { RegistrationStore } from '../../services/trust/registration-store.ts';
import { TrustStore } from '../../services/trust/store.ts';

const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 5_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const raw = (b: Buffer) => b;
const ECHO = { echo: { path: '/bench.Echo/Echo', requestStream: false, responseStream: false, requestSerialize: raw, requestDeserialize: raw, responseSerialize: raw, responseDeserialize: raw } };

interface Ready {
  trust: string;
  echo: string;
  leaf: string;
}

/** Child: the trust service (embedded database) and the echo server, side by side. */
async function serve(): Promise<void> {
  const env: Record<string, string | undefined> = { ...process.env, LOG_LEVEL: 'warn', PGLITE_DIR: 'memory://', METRICS_PORT: '-1', TRUST_HTTP_PORT: '0', RUQSAT_CA_PASSPHRASE: 'bench-only-passphrase-0123456789', MESH_TLS: 'off' };
  for (const n of SERVICE_NAMES) env[`${n.toUpperCase()}_PORT`] = '0';
  const config = loadConfig(env);
  const mesh = await startMesh(config, ['trust'], createLogger('warn'));
  // A real NCA-issued leaf: an RA operator's certificate, made from an openssl key and CSR.
  const dir = mkdtempSync(join(tmpdir(), 'ruqsat-bench-trust-'));
  execFileSync('openssl', ['genpkey', '-algorithm', 'ed25519', '-out', join(dir, 'k.pem')]);
  const csr = execFileSync('openssl', ['req', '-new', '-key', join(dir, 'k.pem'), '-subj', '/CN=bench']).toString();
  rmSync(dir, { recursive: true, force: true });
  const db = new ServiceDb(mesh.database.knex, 'trust');
  const authorities = new Authorities(new TrustStore(db), env.RUQSAT_CA_PASSPHRASE!, { publicUrl: 'http://127.0.0.1:1' });
  await authorities.open(pino({ level: 'silent' }));
  const { certificateDer } = await issueOperatorCertificate(new TrustStore(db), new RegistrationStore(db), authorities, {
    person: { iin: '900315400215', surname: 'Bench', givenName: 'Mark' },
    office: { bin: '010440001231', name: 'Bench office' },
    letterReference: 'bench',
    csr,
  });
  const echo = new grpc.Server();
  echo.addService(ECHO, { echo: (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => cb(null, call.request) });
  const echoPort = await new Promise<number>((resolve, reject) => echo.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
  const ready: Ready = { trust: mesh.services[0]!.address, echo: `127.0.0.1:${echoPort}`, leaf: Buffer.from(certificateDer).toString('base64') };
  process.send!(ready);
}

async function load(name: string, once: (done: (err: Error | null) => void) => void): Promise<{ rate: number; p50: number; p99: number; errors: number }> {
  const latencies: number[] = [];
  let errors = 0;
  const run = (until: number, record: boolean) =>
    Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (Date.now() < until) {
          const start = performance.now();
          await new Promise<void>((resolve) => once((err) => {
            if (record) err ? errors++ : latencies.push(performance.now() - start);
            resolve();
          }));
        }
      }),
    );
  await run(Date.now() + 1_000, false);
  const started = Date.now();
  await run(started + DURATION_MS, true);
  const seconds = (Date.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? NaN;
  process.stderr.write(`${name}: ${Math.round(latencies.length / seconds)} calls/s\n`);
  return { rate: latencies.length / seconds, p50: pct(0.5), p99: pct(0.99), errors };
}

async function main(): Promise<void> {
  const child = fork(new URL(import.meta.url).pathname, ['--serve'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.once('message', (m) => resolve(m as Ready));
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  const leaf = Buffer.from(ready.leaf, 'base64');
  const EchoClient = grpc.makeGenericClientConstructor(ECHO, 'Echo');
  const echo = new EchoClient(ready.echo, grpc.credentials.createInsecure()) as unknown as { echo(req: Buffer, options: grpc.CallOptions, cb: (e: Error | null) => void): void; close(): void };
  const trust = new TrustServiceClient(ready.trust, grpc.credentials.createInsecure());
  const request = { certificate: leaf, intermediates: [], time: undefined, checkWholeChain: true, purpose: '', policies: [] };
  const payload = Buffer.from(JSON.stringify(request)).subarray(0, leaf.length + 16);

  // Same call shape, same payload size: only what the service does differs.
  // Both with a deadline, as every call the mesh makes carries one.
  const deadline = () => ({ deadline: Date.now() + 10_000 });
  const e = await load('echo', (done) => echo.echo(payload, deadline(), (err) => done(err)));
  let notOk = 0;
  const v = await load('VerifyChain', (done) => trust.verifyChain(request, new grpc.Metadata(), deadline(), (err, res) => {
    if (!err && !res.ok) notOk++;
    done(err);
  }));
  child.kill('SIGTERM');
  echo.close();
  trust.close();
  if (notOk > 0) throw new Error(`VerifyChain said not OK ${notOk} times: the benchmark chain is wrong`);
  const ms = (x: number) => `${x.toFixed(2)} ms`;
  const lines = [
    `VerifyChain over gRPC (${new Date().toISOString().slice(0, 10)}, ${CONCURRENCY} calls in flight, ${DURATION_MS / 1000} s, Ed25519 chain root → NCA → leaf, whole chain CRL-checked, cached):`,
    '',
    '| target | calls/s | p50 | p99 | errors | ratio to echo | goal |',
    '|---|---|---|---|---|---|---|',
    `| bare grpc-js echo (${payload.length} B) | ${Math.round(e.rate)} | ${ms(e.p50)} | ${ms(e.p99)} | ${e.errors} | 1.00× | |`,
    `| trust VerifyChain (${leaf.length} B leaf) | ${Math.round(v.rate)} | ${ms(v.p50)} | ${ms(v.p99)} | ${v.errors} | ${(v.rate / e.rate).toFixed(2)}× | ≥ 0.70× |`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

if (process.argv.includes('--serve')) await serve();
else await main();
