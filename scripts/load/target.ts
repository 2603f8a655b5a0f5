// The mesh under load: one the tool starts itself (embedded defaults in a temp dir), or a running one (--target).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { loadConfig, SERVICE_NAMES, type ServiceName } from '../../services/kit/config.ts';
import { openDatabase } from '../../services/kit/db.ts';
import { closeClients, useProcessCredentials } from '../../services/kit/grpc/client.ts';
import { createLogger } from '../../services/kit/logger.ts';
import { startMesh } from '../../services/mesh.ts';
import { caPassphrase, trustConfig } from '../../services/trust/config.ts';
import type { Scenario } from './scenarios.ts';

/** What setup and the workers need to know about the mesh. */
export interface MeshAccess {
  addresses: Partial<Record<ServiceName, string>>;
  knex?: Knex;
  schemaPrefix: string;
  caPassphrase?: string;
  own: boolean;
  /** For the report: what was loaded. */
  description: string;
}

export interface OpenMesh extends MeshAccess {
  close(): Promise<void>;
}

/** The scenario's services on embedded PGlite in a temp dir, in-process cache and bus, free ports, quiet logs. */
export async function ownMesh(scenario: Scenario): Promise<OpenMesh> {
  const dir = mkdtempSync(join(tmpdir(), 'ruqsat-load-'));
  const passphrase = randomBytes(24).toString('base64url');
  const env: Record<string, string | undefined> = {
    ...process.env,
    DATABASE_URL: undefined,
    REDIS_URL: undefined,
    PGLITE_DIR: join(dir, 'pglite'),
    DB_SCHEMA_PREFIX: '',
    LOG_LEVEL: 'error',
    METRICS_PORT: '-1',
    TRUST_HTTP_PORT: '0',
    REGISTRY_HTTP_PORT: '-1',
    SLA_SCAN_MS: '0',
    SHUTDOWN_DRAIN_MS: '0',
    RUQSAT_CA_PASSPHRASE: passphrase,
    // Plaintext like the echo baseline (and the benches): the workers are other processes without a mesh identity.
    MESH_TLS: 'off',
  };
  for (const n of SERVICE_NAMES) (env[`${n.toUpperCase()}_PORT`] = '0'), (env[`${n.toUpperCase()}_ADDRESS`] = undefined);
  const config = loadConfig(env);
  // The CLI set the operator's TLS identity for a running mesh; this one is plaintext.
  useProcessCredentials(undefined);
  // Errors only: the first start's ceremony notice is not news to a load test.
  const mesh = await startMesh(config, scenario.starts, createLogger('error'));
  const addresses = Object.fromEntries(mesh.services.map((s) => [s.name, s.address]));
  return {
    addresses,
    knex: mesh.database.knex,
    schemaPrefix: '',
    caPassphrase: passphrase,
    own: true,
    description: `its own ${scenario.starts.join(' + ')} on embedded PGlite (${dir}), in-process cache and bus, in the coordinator process`,
    async close() {
      closeClients();
      await mesh.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A running mesh: the service under load at `target` (comma-separated for round_robin), the others where
 * the environment says (TRUST_ADDRESS …), and its database from DATABASE_URL for setup's administrative steps.
 */
export async function targetMesh(scenario: Scenario, target: string): Promise<OpenMesh> {
  const config = loadConfig();
  const addresses: Partial<Record<ServiceName, string>> = { ...config.addresses, [scenario.service]: target };
  // The embedded database belongs to the running mesh (PGlite is single-process): only PostgreSQL is shared.
  const database = config.databaseUrl ? await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: config.pgliteDir, poolMax: 2 }) : undefined;
  let passphrase: string | undefined;
  try {
    passphrase = caPassphrase(trustConfig(config.env), false);
  } catch {
    passphrase = undefined;
  }
  return {
    addresses,
    knex: database?.knex,
    schemaPrefix: config.schemaPrefix,
    caPassphrase: passphrase,
    own: false,
    description: `${scenario.service} at ${target}${database ? ` (setup on ${database.location})` : ''}`,
    async close() {
      closeClients();
      await database?.close();
    },
  };
}
