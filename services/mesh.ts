// Starts any set of the five services in one process, sharing one database, cache, bus and /metrics.
import type { Logger } from 'pino';
import type { MeshConfig, ServiceName } from './kit/config.ts';
import { openDatabase, type Database } from './kit/db.ts';
import { createRegistry, serveMetrics, type MetricsEndpoint } from './kit/metrics.ts';
import { openShared, type Shared } from './kit/redis.ts';
import { startService, type RunningService, type ServiceModule } from './kit/service.ts';
import { MeshSecurity } from './kit/tls/security.ts';
import { deposit } from './deposit/server.ts';
import { licensing } from './licensing/server.ts';
import { permit } from './permit/server.ts';
import { registry } from './registry/server.ts';
import { trust } from './trust/server.ts';
import { tuneGarbageCollector } from './kit/runtime.ts';

export const MODULES: Record<ServiceName, ServiceModule> = { trust, licensing, permit, deposit, registry };

export interface Mesh {
  services: RunningService[];
  database: Database;
  shared: Shared;
  metrics?: MetricsEndpoint;
  security?: MeshSecurity;
  stop(): Promise<void>;
}

export async function startMesh(config: MeshConfig, names: readonly ServiceName[], logger: Logger): Promise<Mesh> {
  if (config.gcTuning) logger.info({ flags: tuneGarbageCollector() }, 'garbage collector set for short pauses');
  const registry = createRegistry();
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const close of closers.reverse()) await close().catch((err: Error) => logger.error({ err: err.message }, 'error while closing'));
    closers.length = 0;
  };
  try {
    const database = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: config.pgliteDir, poolMax: config.dbPoolMax, acquireTimeoutMs: config.dbAcquireTimeoutMs, logger });
    closers.push(database.close);
    logger.info({ database: database.location }, 'database open');
    const shared = await openShared(config.redisUrl, `ruqsat:${config.schemaPrefix}`, logger);
    closers.push(shared.close);
    logger.info({ shared: shared.kind }, shared.kind === 'redis' ? 'redis connected' : 'in-process cache and bus (no REDIS_URL)');
    const metrics = config.metricsPort >= 0 ? await serveMetrics(registry, config.host, config.metricsPort) : undefined;
    if (metrics) closers.push(metrics.close);

    let security: MeshSecurity | undefined;
    if (config.meshTls.enabled) {
      // One identity per process: a service's own when it runs alone, the mesh's when several share it.
      config.meshTls.identity ||= names.length === 1 ? `ruqsat-${names[0]}` : 'ruqsat-mesh';
      security = new MeshSecurity(config, shared.counters, registry, logger);
      closers.push(async () => security?.stop());
    } else {
      logger.warn('MESH_TLS=off: plaintext ports, no caller authentication, no access rights (tests and local development only)');
    }

    // One at a time: on PGlite the migrations of all services share one connection.
    const services: RunningService[] = [];
    for (const name of names) {
      const service = await startService(MODULES[name], { config, database, shared, logger, registry, security });
      services.push(service);
      // A service on a port picked at start is reached where it really listens by the ones after it.
      if (config.ports[name] === 0) config.addresses[name] = service.address;
      closers.push(service.stop);
    }
    security?.start();
    // Services stop together (they drain in parallel), then the shared resources close.
    const serviceStops = closers.splice(closers.length - services.length);
    return {
      services,
      database,
      shared,
      metrics,
      security,
      stop: async () => {
        // Its revocation stream is a call into trust, which would otherwise wait out its grace period.
        security?.stopFollowing();
        await Promise.all(serviceStops.map((stop) => stop()));
        await closeAll();
      },
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
