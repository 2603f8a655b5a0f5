// Starts real services on loopback for a test: embedded PGlite, or PostgreSQL/Redis when the env names them.
import { randomBytes } from 'node:crypto';
import { loadConfig, SERVICE_NAMES, type MeshConfig, type ServiceName } from '../../services/kit/config.ts';
import { closeClients } from '../../services/kit/grpc/client.ts';
import { createLogger } from '../../services/kit/logger.ts';
import { startMesh, type Mesh } from '../../services/mesh.ts';

export interface TestMesh {
  mesh: Mesh;
  config: MeshConfig;
  address(name: ServiceName): string;
  /** Stops the services; `keepData` leaves their schemas for a restart on the same database. */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

/** Environment for a test mesh: free ports, quiet logs, its own schemas and Redis prefix. */
export function testEnv(overrides: Record<string, string> = {}): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    METRICS_PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    PGLITE_DIR: 'memory://',
    DB_SCHEMA_PREFIX: `t${randomBytes(4).toString('hex')}_`,
    SHUTDOWN_DRAIN_MS: '0',
    SHUTDOWN_GRACE_MS: '2000',
    RUQSAT_CA_PASSPHRASE: 'test-only-passphrase-0123456789',
    TRUST_HTTP_PORT: '0',
    REGISTRY_HTTP_PORT: '0',
    // Plaintext by default; test/kit/mtls.test.ts runs the mesh with mutual TLS and access rights.
    MESH_TLS: 'off',
  };
  for (const name of SERVICE_NAMES) env[`${name.toUpperCase()}_PORT`] = '0';
  return { ...env, ...overrides };
}

export async function startTestMesh(services: readonly ServiceName[] = SERVICE_NAMES, overrides: Record<string, string> = {}): Promise<TestMesh> {
  const config = loadConfig(testEnv(overrides));
  const mesh = await startMesh(config, services, createLogger(config.logLevel));
  return {
    mesh,
    config,
    address(name) {
      const service = mesh.services.find((s) => s.name === name);
      if (!service) throw new Error(`${name} is not running in this test mesh`);
      return service.address;
    },
    async stop({ keepData = false } = {}) {
      closeClients();
      // On a shared PostgreSQL, leave nothing behind.
      if (mesh.database.kind === 'postgres' && !keepData) {
        for (const name of services) await mesh.database.knex.raw('drop schema if exists ?? cascade', [config.schemaPrefix + name]).catch(() => undefined);
      }
      await mesh.stop();
    },
  };
}
