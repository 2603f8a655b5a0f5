// ruqsat start — runs the mesh (all five services, or those named) until Ctrl-C; --instances N runs N of each.
import { parseArgs } from 'node:util';
import type { Logger } from 'pino';
import { UsageError, type Command } from '../cli.ts';
import { ConfigError, loadConfig, SERVICE_NAMES, type MeshConfig, type ServiceName } from '../../services/kit/config.ts';
import { DatabaseUnreachable } from '../../services/kit/db.ts';
import { createLogger } from '../../services/kit/logger.ts';
import { RedisUnreachable } from '../../services/kit/redis.ts';
import type { RunningService } from '../../services/kit/service.ts';
import { startMesh } from '../../services/mesh.ts';
import { demoSettings, provisionDemo, shouldProvision, type DemoSettings } from '../demo/provision.ts';
import { instanceEnv, startInProcess, superviseProcesses } from './instances.ts';

export const command: Command = {
  name: 'start',
  summary: `Starts the named services (default: all of ${SERVICE_NAMES.join(', ')}) in this process and serves until SIGINT/SIGTERM.
Configuration comes from the environment (see README): DATABASE_URL, REDIS_URL, <SERVICE>_PORT, METRICS_PORT, LOG_LEVEL, ...
--instances N runs N instances of each, instance i on every configured port + 100·i: N processes on PostgreSQL
(each restarted if it dies), N servers in this one process on the embedded database.`,
  usage: 'ruqsat start [--service NAME]... [--instances N]',
  async run(args) {
    const { names, instances } = parseStart(args);
    let config, demo;
    try {
      config = loadConfig(instanceEnv(process.env, names, instances, 0));
      demo = demoSettings(config.env, config.pgliteDir);
    } catch (err) {
      if (err instanceof ConfigError) {
        process.stderr.write(`ruqsat start: invalid configuration: ${err.message}\n`);
        return 1;
      }
      throw err;
    }
    const logger = createLogger(config.logLevel);
    if (instances > 1 && config.databaseUrl) {
      const childArgs = names.flatMap((n) => ['--service', n]);
      const supervisor = superviseProcesses(process.env, childArgs, names, instances, logger);
      // Listening from the start: a signal while the instances start stops them too, leaving no orphan.
      const signalled = untilSignal(logger);
      const up = await Promise.race([supervisor.ready, signalled.then(() => undefined)]);
      if (up === false) {
        await supervisor.stop();
        process.stderr.write('ruqsat start: cannot start: instance 0 exited before it was up (its error is above)\n');
        return 1;
      }
      if (up) {
        process.stdout.write(`${instances} instances of ${names.join(', ')} are up, one process each:\n${addressLines(config, names)}\n`);
        await signalled;
      }
      await supervisor.stop();
      return 0;
    }
    return runInProcess(config, names, instances, logger, demo);
  },
};

async function runInProcess(config: MeshConfig, names: ServiceName[], instances: number, logger: Logger, demo: DemoSettings): Promise<number> {
  let mesh;
  let extra: RunningService[] = [];
  try {
    mesh = await startMesh(config, names, logger);
    if (instances > 1) extra = await startInProcess(mesh, process.env, names, instances, logger);
  } catch (err) {
    await mesh?.stop();
    const e = err as NodeJS.ErrnoException;
    if (err instanceof DatabaseUnreachable || err instanceof RedisUnreachable || e.code === 'EADDRINUSE' || /No address added|EADDRINUSE/.test(e.message)) {
      process.stderr.write(`ruqsat start: cannot start: ${e.message}\n`);
      return 1;
    }
    throw err;
  }
  const lines = [...mesh.services, ...extra].map((s) => `  ${s.name.padEnd(10)} grpc://${s.address}`);
  if (mesh.metrics) lines.push(`  ${'metrics'.padEnd(10)} http://${config.host}:${mesh.metrics.port}/metrics`);
  process.stdout.write(`Ruqsat mesh is up (database: ${mesh.database.location}; cache/bus: ${mesh.shared.kind}):\n${lines.join('\n')}\n`);
  if (shouldProvision(demo, mesh, config)) {
    // Before the ready line, so no caller meets its work (PGlite and the CA key unlock hold the event loop);
    // a failure only means `npm run demo` cannot run.
    try {
      const done = await provisionDemo(mesh, config, demo);
      process.stdout.write(`Demo mode (RUQSAT_DEMO=${demo.mode}): ${done.length > 0 ? `provisioned ${done.join('; ')}` : `RA operator and officials ready (${demo.dir})`}; try \`npm run demo\`.\n`);
    } catch (err) {
      process.stderr.write(`ruqsat start: demo provisioning failed, \`npm run demo\` will not work: ${(err as Error).message}\n`);
    }
  }
  process.stdout.write('Press Ctrl-C to stop.\n');
  await untilSignal(logger);
  await Promise.all(extra.map((s) => s.stop()));
  await mesh.stop();
  logger.info('stopped');
  return 0;
}

// With ports picked at start (0) each instance prints where it listens; with fixed ports this is the list for clients.
const addressLines = (config: MeshConfig, names: ServiceName[]) =>
  names.filter((n) => config.ports[n] > 0).map((n) => `  ${`${n.toUpperCase()}_ADDRESS`.padEnd(18)} ${config.addresses[n]}`).join('\n');

async function untilSignal(logger: Logger): Promise<void> {
  const signal = await new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  logger.info({ signal }, 'shutting down: NOT_SERVING, draining, stopping');
  // A second signal means "now": skip the drain.
  const force = () => process.exit(130);
  process.once('SIGINT', force);
  process.once('SIGTERM', force);
}

function parseStart(args: string[]): { names: ServiceName[]; instances: number } {
  let values;
  try {
    ({ values } = parseArgs({ args, options: { service: { type: 'string', multiple: true }, instances: { type: 'string' } }, strict: true }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const requested = values.service?.flatMap((s) => s.split(',')) ?? [...SERVICE_NAMES];
  for (const name of requested) {
    if (!SERVICE_NAMES.includes(name as ServiceName)) throw new UsageError(`unknown service "${name}"; expected one of ${SERVICE_NAMES.join(', ')}`);
  }
  const instances = Number(values.instances ?? '1');
  if (!Number.isInteger(instances) || instances < 1 || instances > 64) throw new UsageError('--instances must be a whole number from 1 to 64');
  return { names: [...new Set(requested)] as ServiceName[], instances };
}
