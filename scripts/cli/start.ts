// ruqsat start — runs the mesh (all five services, or those named) until Ctrl-C.
import { parseArgs } from 'node:util';
import { UsageError, type Command } from '../cli.ts';
import { ConfigError, loadConfig, SERVICE_NAMES, type ServiceName } from '../../services/kit/config.ts';
import { DatabaseUnreachable } from '../../services/kit/db.ts';
import { createLogger } from '../../services/kit/logger.ts';
import { RedisUnreachable } from '../../services/kit/redis.ts';
import { startMesh } from '../../services/mesh.ts';
import { demoSettings, provisionDemo, shouldProvision } from '../demo/provision.ts';

export const command: Command = {
  name: 'start',
  summary: `Starts the named services (default: all of ${SERVICE_NAMES.join(', ')}) in this process and serves until SIGINT/SIGTERM.
Configuration comes from the environment (see README): DATABASE_URL, REDIS_URL, <SERVICE>_PORT, METRICS_PORT, LOG_LEVEL, ...`,
  usage: 'ruqsat start [--service NAME]...',
  async run(args) {
    const names = parseServices(args);
    let config, demo;
    try {
      config = loadConfig();
      demo = demoSettings(config.env, config.pgliteDir);
    } catch (err) {
      if (err instanceof ConfigError) {
        process.stderr.write(`ruqsat start: invalid configuration: ${err.message}\n`);
        return 1;
      }
      throw err;
    }
    const logger = createLogger(config.logLevel);
    let mesh;
    try {
      mesh = await startMesh(config, names, logger);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (err instanceof DatabaseUnreachable || err instanceof RedisUnreachable || e.code === 'EADDRINUSE' || /No address added|EADDRINUSE/.test(e.message)) {
        process.stderr.write(`ruqsat start: cannot start: ${e.message}\n`);
        return 1;
      }
      throw err;
    }
    const lines = mesh.services.map((s) => `  ${s.name.padEnd(10)} grpc://${s.address}`);
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
    const stopped = new Promise<string>((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'));
      process.once('SIGTERM', () => resolve('SIGTERM'));
    });
    const signal = await stopped;
    logger.info({ signal }, 'shutting down: NOT_SERVING, draining, stopping');
    // A second signal means "now": skip the drain.
    const force = () => process.exit(130);
    process.once('SIGINT', force);
    process.once('SIGTERM', force);
    await mesh.stop();
    logger.info('stopped');
    return 0;
  },
};

function parseServices(args: string[]): ServiceName[] {
  let values;
  try {
    ({ values } = parseArgs({ args, options: { service: { type: 'string', multiple: true } }, strict: true }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const requested = values.service?.flatMap((s) => s.split(',')) ?? [...SERVICE_NAMES];
  for (const name of requested) {
    if (!SERVICE_NAMES.includes(name as ServiceName)) throw new UsageError(`unknown service "${name}"; expected one of ${SERVICE_NAMES.join(', ')}`);
  }
  return [...new Set(requested)] as ServiceName[];
}
