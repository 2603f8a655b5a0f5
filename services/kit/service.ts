// What a service module declares, and how the runtime starts one: schema, server, health probe.
import type * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { MeshConfig, ServiceName } from './config.ts';
import { ServiceDb, type Database, type Migration } from './db.ts';
import { startGrpcServer, type ServedService } from './grpc/server.ts';
import type { Shared } from './redis.ts';
import type { MeshSecurity } from './tls/security.ts';

export interface ServiceDeps {
  db: ServiceDb;
  shared: Shared;
  logger: Logger;
  config: MeshConfig;
  /** The process's Prometheus registry, for a service's own metrics (e.g. its outbox's lag). */
  metrics: Registry;
}

export interface ServiceModule {
  name: ServiceName;
  /** "ruqsat.trust.v1.TrustService". */
  serviceName: string;
  definition: grpc.ServiceDefinition;
  migrations: Migration[];
  /** Builds the handlers, and starts whatever else the service runs (schedulers, HTTP endpoints). */
  implement(deps: ServiceDeps): Promise<Implementation>;
}

export interface Implementation {
  handlers: grpc.UntypedServiceImplementation;
  /** Shared APIs this service also serves for its own data, such as the officials' CaseService. */
  also?: ServedService[];
  /** Stops what `implement` started, after the gRPC server has drained. */
  stop?(): Promise<void>;
}

export interface RunningService {
  name: ServiceName;
  port: number;
  address: string;
  /** The plaintext health-only port, when `<SERVICE>_HEALTH_PORT` asked for one. */
  healthPort?: number;
  stop(): Promise<void>;
}

export interface Runtime {
  config: MeshConfig;
  database: Database;
  shared: Shared;
  logger: Logger;
  registry: Registry;
  /** Mutual TLS, caller identity and access rights (MESH_TLS=on). */
  security?: MeshSecurity;
}

export async function startService(module: ServiceModule, rt: Runtime, port = rt.config.ports[module.name]): Promise<RunningService> {
  const { config } = rt;
  const logger = rt.logger.child({ service: module.name });
  const db = new ServiceDb(rt.database.knex, config.schemaPrefix + module.name, rt.database.kind === 'pglite');
  await db.migrate(module.migrations);
  const implementation = await module.implement({ db, shared: rt.shared, logger, config, metrics: rt.registry });
  const server = await startGrpcServer({
    services: [{ serviceName: module.serviceName, definition: module.definition, implementation: implementation.handlers }, ...(implementation.also ?? [])],
    host: config.host,
    port,
    maxMessageBytes: config.maxMessageBytes,
    maxCallMs: config.maxCallMs,
    maxConnectionAgeMs: config.maxConnectionAgeMs,
    logger,
    registry: rt.registry,
    credentials: await rt.security?.serverCredentials(),
    access: rt.security?.access(),
    healthPort: config.healthPorts[module.name],
  });

  // Health follows the database: a balancer stops sending calls this instance cannot serve.
  let healthy = true;
  const probe = setInterval(() => {
    db.ping().then(
      () => {
        if (!healthy) logger.info('database reachable again: SERVING');
        healthy = true;
        server.setServing(true);
      },
      (err: Error) => {
        if (healthy) logger.error({ err: err.message }, 'database unreachable: NOT_SERVING');
        healthy = false;
        server.setServing(false);
      },
    );
  }, config.healthProbeMs);
  probe.unref();

  const address = `${config.host}:${server.port}`;
  logger.info({ address }, `${module.name} listening`);
  return {
    name: module.name,
    port: server.port,
    healthPort: server.healthPort,
    address,
    stop: async () => {
      clearInterval(probe);
      await server.stop(config.drainMs, config.shutdownGraceMs);
      await implementation.stop?.();
      logger.info(`${module.name} stopped`);
    },
  };
}
