// Configuration from the environment, validated once at start: a wrong value names its variable.
import { fileURLToPath } from 'node:url';

export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`${variable}: ${message}`);
  }
}

type Env = Record<string, string | undefined>;

export function readString(env: Env, name: string, fallback: string): string {
  const raw = env[name];
  return raw === undefined || raw === '' ? fallback : raw;
}

export function readInt(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(name, `expected an integer, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `expected ${min}..${max}, got ${value}`);
  return value;
}

export function readEnum<T extends string>(env: Env, name: string, fallback: T, allowed: readonly T[]): T {
  const raw = readString(env, name, fallback);
  if (!allowed.includes(raw as T)) throw new ConfigError(name, `expected one of ${allowed.join(', ')}, got "${raw}"`);
  return raw as T;
}

export function readUrl(env: Env, name: string, protocols: readonly string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, `not a URL: "${redact(raw)}"`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(name, `expected a ${protocols.join(' or ')} URL, got "${url.protocol}"`);
  }
  return raw;
}

/** Hides the password of a connection URL, for messages and logs. */
export function redact(raw: string): string {
  return raw.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
}

export const SERVICE_NAMES = ['trust', 'licensing', 'permit', 'deposit', 'registry'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

const DEFAULT_PORTS: Record<ServiceName, number> = {
  trust: 50051,
  licensing: 50052,
  permit: 50053,
  deposit: 50054,
  registry: 50055,
};

export interface MeshConfig {
  /** The environment it was read from, for the settings of one service (e.g. trust's TRUST_HTTP_PORT). */
  env: Env;
  host: string;
  ports: Record<ServiceName, number>;
  /** A plaintext port serving only grpc.health.v1, for probes that cannot present a certificate (kubelet); -1 off. */
  healthPorts: Record<ServiceName, number>;
  /** Comma-separated addresses per service, for clients; round_robin over several. */
  addresses: Record<ServiceName, string>;
  /** Prometheus /metrics on this port; 0 picks a free one, -1 turns it off. */
  metricsPort: number;
  logLevel: string;
  databaseUrl?: string;
  /** Embedded PostgreSQL (PGlite) data directory, or "memory://" for a throwaway one. */
  pgliteDir: string;
  /** Prefix for each service's schema, so test runs on a shared server do not collide. */
  schemaPrefix: string;
  dbPoolMax: number;
  /** How long a call waits for a pooled connection before it fails UNAVAILABLE. */
  dbAcquireTimeoutMs: number;
  redisUrl?: string;
  maxMessageBytes: number;
  /** Cap on a unary call's time when the caller set no shorter deadline. */
  maxCallMs: number;
  /** The garbage collector set for a latency-bound server (runtime.ts); off keeps V8's defaults. */
  gcTuning: boolean;
  /** Connections older than this are asked to reconnect (GOAWAY), so clients re-resolve and reach new instances; 0 never. */
  maxConnectionAgeMs: number;
  /** Time between health NOT_SERVING and closing the listeners, so balancers stop sending. */
  drainMs: number;
  /** Time in-flight calls get to finish before they are cancelled. */
  shutdownGraceMs: number;
  healthProbeMs: number;
  /** How often the SLA monitor looks for cases whose deadline has come; 0 turns it off. */
  slaScanMs: number;
  /** Outbox rows delivered to registry are kept this long, then deleted. */
  outboxRetentionMs: number;
  /** Mutual TLS between services and callers, with certificates from trust's mesh CA. */
  meshTls: MeshTlsConfig;
}

export interface MeshTlsConfig {
  enabled: boolean;
  /** Holds ca.pem (the mesh trust bundle) and <system>.crt.pem / <system>.key.pem identities. */
  dir: string;
  /** The system name this process presents; empty: "ruqsat-<service>" for one service, "ruqsat-mesh" for several. */
  identity: string;
  /** How often identity files are re-read, so a rotated certificate is used without a restart. */
  refreshMs: number;
  /** A trust process issues missing identities for the access-rights file's demo systems (demo mode). */
  provision: boolean;
  /** Per service and method, which caller groups may call; rate limits per caller. */
  accessRightsFile: string;
}

export function loadConfig(env: Env = process.env): MeshConfig {
  const host = readString(env, 'HOST', '127.0.0.1');
  const ports = {} as Record<ServiceName, number>;
  const addresses = {} as Record<ServiceName, string>;
  const healthPorts = {} as Record<ServiceName, number>;
  for (const name of SERVICE_NAMES) {
    const upper = name.toUpperCase();
    ports[name] = readInt(env, `${upper}_PORT`, DEFAULT_PORTS[name], 0, 65535);
    healthPorts[name] = readInt(env, `${upper}_HEALTH_PORT`, -1, -1, 65535);
    addresses[name] = readString(env, `${upper}_ADDRESS`, `${host}:${ports[name]}`);
  }
  const schemaPrefix = readString(env, 'DB_SCHEMA_PREFIX', '');
  if (!/^[a-z0-9_]*$/.test(schemaPrefix)) throw new ConfigError('DB_SCHEMA_PREFIX', 'only a-z, 0-9 and _ are allowed');
  return {
    env,
    host,
    ports,
    healthPorts,
    addresses,
    metricsPort: readInt(env, 'METRICS_PORT', 9464, -1, 65535),
    logLevel: readEnum(env, 'LOG_LEVEL', 'info', ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']),
    databaseUrl: readUrl(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    pgliteDir: readString(env, 'PGLITE_DIR', './data/pglite'),
    schemaPrefix,
    dbPoolMax: readInt(env, 'DB_POOL_MAX', 10, 1, 1000),
    dbAcquireTimeoutMs: readInt(env, 'DB_ACQUIRE_TIMEOUT_MS', 5_000, 100, 600_000),
    redisUrl: readUrl(env, 'REDIS_URL', ['redis:', 'rediss:']),
    maxMessageBytes: readInt(env, 'GRPC_MAX_MESSAGE_BYTES', 4 * 1024 * 1024, 1024, 512 * 1024 * 1024),
    maxCallMs: readInt(env, 'GRPC_MAX_CALL_MS', 30_000, 1, 3_600_000),
    gcTuning: readEnum(env, 'GC_TUNING', 'on', ['on', 'off']) === 'on',
    maxConnectionAgeMs: readInt(env, 'GRPC_MAX_CONNECTION_AGE_MS', 0, 0, 86_400_000),
    drainMs: readInt(env, 'SHUTDOWN_DRAIN_MS', 500, 0, 600_000),
    shutdownGraceMs: readInt(env, 'SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
    healthProbeMs: readInt(env, 'HEALTH_PROBE_MS', 5_000, 100, 600_000),
    slaScanMs: readInt(env, 'SLA_SCAN_MS', 60_000, 0, 86_400_000),
    outboxRetentionMs: readInt(env, 'OUTBOX_RETENTION_S', 7 * 86_400, 60, 10 * 365 * 86_400) * 1000,
    meshTls: {
      enabled: readEnum(env, 'MESH_TLS', 'on', ['on', 'off']) === 'on',
      dir: readString(env, 'MESH_TLS_DIR', './data/mesh'),
      identity: readSystem(env),
      refreshMs: readInt(env, 'MESH_TLS_REFRESH_MS', 60_000, 50, 86_400_000),
      provision: readEnum(env, 'MESH_TLS_PROVISION', 'demo', ['demo', 'off']) === 'demo',
      accessRightsFile: readString(env, 'ACCESS_RIGHTS_FILE', fileURLToPath(new URL('../../config/access-rights.json', import.meta.url))),
    },
  };
}

function readSystem(env: Env): string {
  const system = readString(env, 'MESH_IDENTITY', '');
  if (system && !/^[a-z0-9][a-z0-9-]{0,62}$/.test(system)) throw new ConfigError('MESH_IDENTITY', `expected a system name (a-z, 0-9, -), got "${system}"`);
  return system;
}
