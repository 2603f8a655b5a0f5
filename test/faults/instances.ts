// N permit instances for the fault suite: child processes (`ruqsat start --service permit`) on PostgreSQL,
// where one is killed with SIGKILL; servers in the test process on PGlite (one process owns it), each behind
// a TCP proxy, where a kill drops every connection at once (as a crash does) and then stops the server.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { createRegistry } from '../../services/kit/metrics.ts';
import { startService, type RunningService } from '../../services/kit/service.ts';
import { MODULES } from '../../services/mesh.ts';
import type { TestMesh } from '../helpers/mesh.ts';
import { startProxy } from '../helpers/proxy.ts';

const BIN = fileURLToPath(new URL('../../bin/ruqsat.js', import.meta.url));

export interface Instance {
  address: string;
  /** Ends it at once: SIGKILL for a process, a stop with no drain and no grace in-process. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

export async function startPermitInstances(t: TestMesh, count: number): Promise<Instance[]> {
  const starts = Array.from({ length: count }, () => (t.config.databaseUrl ? spawnInstance(t) : inProcess(t)));
  const settled = await Promise.allSettled(starts);
  const up = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) {
    await Promise.all(up.map((i) => i.stop()));
    throw (failed as PromiseRejectedResult).reason;
  }
  return up;
}

async function inProcess(t: TestMesh): Promise<Instance> {
  const config = { ...t.config, drainMs: 0, shutdownGraceMs: 0 };
  let running: RunningService | undefined = await startService(MODULES.permit, { config, database: t.mesh.database, shared: t.mesh.shared, logger: pino({ level: 'silent' }), registry: createRegistry() }, 0);
  const proxy = await startProxy(config.host, running.port);
  const stop = async () => {
    // A server stopped with calls under way cancels them (CANCELLED); a crash just drops the connections.
    await proxy.close();
    const r = running;
    running = undefined;
    await r?.stop();
  };
  return { address: `127.0.0.1:${proxy.port}`, kill: stop, stop };
}

/** A real process on the test's database, schemas and Redis, following the test's trust. */
function spawnInstance(t: TestMesh): Promise<Instance> {
  const env = {
    ...t.config.env,
    PERMIT_PORT: '0',
    TRUST_ADDRESS: t.address('trust'),
    METRICS_PORT: '-1',
    LOG_LEVEL: 'silent',
    SHUTDOWN_GRACE_MS: '0',
  };
  const child: ChildProcess = spawn(process.execPath, [BIN, 'start', '--service', 'permit'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`permit instance did not start in 90 s:\n${out}`));
    }, 90_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /permit\s+grpc:\/\/(\S+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      resolve({ address: m[1]!, kill: () => end('SIGKILL'), stop: () => end('SIGTERM') });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`permit instance exited with ${code}:\n${out}`));
    });
  });
}
