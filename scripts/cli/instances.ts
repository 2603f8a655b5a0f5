// N instances of the started services on one machine: every port of instance i is the configured one + 100·i.
// On PostgreSQL each instance is its own process (a supervisor restarts one that dies); on the embedded
// PGlite, which one process owns, the N instances share this process and its database.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Logger } from 'pino';
import { loadConfig, type MeshConfig, type ServiceName } from '../../services/kit/config.ts';
import { createRegistry } from '../../services/kit/metrics.ts';
import { startService, type RunningService } from '../../services/kit/service.ts';
import { MODULES, type Mesh } from '../../services/mesh.ts';

export const PORT_STEP = 100;
type Env = Record<string, string | undefined>;

const shifted = (env: Env, name: string, fallback: number, i: number): string => {
  const port = Number(env[name] ?? fallback);
  return String(port > 0 ? port + PORT_STEP * i : port);
};

/** The environment of instance `i`: its ports moved by 100·i, and the started services' addresses listing all N. */
export function instanceEnv(env: Env, names: readonly ServiceName[], count: number, i: number): Env {
  const base = loadConfig(env);
  const out: Env = { ...env, RUQSAT_INSTANCE: String(i) };
  for (const name of names) {
    const upper = name.toUpperCase();
    out[`${upper}_PORT`] = shifted(env, `${upper}_PORT`, base.ports[name], i);
    out[`${upper}_HEALTH_PORT`] = shifted(env, `${upper}_HEALTH_PORT`, base.healthPorts[name], i);
    // Clients in every instance spread their calls over all N (round_robin), unless told otherwise.
    if (env[`${upper}_ADDRESS`] === undefined && base.ports[name] > 0) {
      out[`${upper}_ADDRESS`] = Array.from({ length: count }, (_, k) => `${base.host}:${base.ports[name] + PORT_STEP * k}`).join(',');
    }
  }
  out.METRICS_PORT = shifted(env, 'METRICS_PORT', base.metricsPort, i);
  out.TRUST_HTTP_PORT = shifted(env, 'TRUST_HTTP_PORT', 50080, i);
  out.REGISTRY_HTTP_PORT = shifted(env, 'REGISTRY_HTTP_PORT', 50081, i);
  return out;
}

/** Embedded: instances 1…N-1 of each service in this process, beside the mesh that is instance 0. */
export async function startInProcess(mesh: Mesh, env: Env, names: readonly ServiceName[], count: number, logger: Logger): Promise<RunningService[]> {
  const started: RunningService[] = [];
  for (let i = 1; i < count; i++) {
    const config: MeshConfig = loadConfig(instanceEnv(env, names, count, i));
    // Each instance counts its own calls; /metrics serves instance 0's.
    const registry = createRegistry();
    for (const name of names) {
      const rt = { config, database: mesh.database, shared: mesh.shared, logger: logger.child({ instance: i }), registry };
      started.push(await startService(MODULES[name], rt, config.ports[name]));
    }
  }
  return started;
}

export interface Supervisor {
  /** True once every instance is up; false if instance 0 exited before it was. */
  ready: Promise<boolean>;
  stop(): Promise<void>;
}

/**
 * PostgreSQL: one child process per instance, restarted a second after it dies, until stop(). Instance 0
 * starts first (migrations, trust's key ceremony on a fresh database), the others once it is up.
 */
export function superviseProcesses(env: Env, args: readonly string[], names: readonly ServiceName[], count: number, logger: Logger): Supervisor {
  const children = new Map<number, ChildProcess>();
  let stopping = false;
  /** Resolves true once the instance says it is up, false if it exits first. */
  const launch = (i: number) =>
    new Promise<boolean>((resolve) => {
      const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, 'start', ...args], { env: instanceEnv(env, names, count, i), stdio: ['ignore', 'pipe', 'inherit'] });
      children.set(i, child);
      let up = false;
      child.stdout!.on('data', (chunk: Buffer) => {
        process.stdout.write(chunk);
        if (chunk.toString().includes('Ruqsat mesh is up')) resolve((up = true));
      });
      child.once('exit', (code, signal) => {
        children.delete(i);
        resolve(false);
        // One that never came up would fail the same way again; one that died after is restarted.
        if (stopping || !up) return;
        logger.warn({ instance: i, code, signal }, 'instance exited; starting it again in 1 s');
        setTimeout(() => !stopping && void launch(i), 1_000);
      });
    });
  const stop = async () => {
    stopping = true;
    await Promise.all(
      [...children.values()].map(
        (c) =>
          new Promise((resolve) => {
            c.once('exit', resolve);
            c.kill('SIGTERM');
          }),
      ),
    );
  };
  // An instance 0 that cannot start (configuration, database, port) would fail the same way N times.
  const ready = (async () => {
    if (!(await launch(0))) return false;
    if (stopping) return false;
    await Promise.all(Array.from({ length: count - 1 }, (_, k) => launch(k + 1)));
    return true;
  })();
  return { ready, stop };
}
