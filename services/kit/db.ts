// PostgreSQL through knex, one schema per service; an embedded PGlite when no DATABASE_URL is set.
import knexFactory, { type Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import { PGlite } from '@electric-sql/pglite';
import { mkdirSync } from 'node:fs';
import pg from 'pg';
import type { Logger } from 'pino';
import { redact } from './config.ts';

export interface DatabaseOptions {
  databaseUrl?: string;
  pgliteDir: string;
  poolMax: number;
  acquireTimeoutMs?: number;
  logger?: Logger;
}

/** The database could not be reached at start; the process reports it and exits non-zero. */
export class DatabaseUnreachable extends Error {}

export interface Database {
  knex: Knex;
  kind: 'postgres' | 'pglite';
  /** Where it is, with any password hidden. */
  location: string;
  close(): Promise<void>;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options) : openPglite(options.pgliteDir, options.logger);
}

// knex writes pool and connection trouble to the console unless given a logger.
function knexLog(logger: Logger | undefined): Knex.Config['log'] {
  const log = logger?.child({ component: 'knex' });
  return {
    warn: (m: unknown) => log?.warn(String(m)),
    error: (m: unknown) => log?.error(String(m)),
    deprecate: (m: unknown) => log?.warn(String(m)),
    debug: (m: unknown) => log?.debug(String(m)),
  };
}

async function openPostgres(url: string, options: DatabaseOptions): Promise<Database> {
  const location = redact(url);
  // A direct probe gives the real cause at once; the pool would retry until its timeout.
  const probe = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await probe.connect();
    await probe.query('select 1');
  } catch (err) {
    throw new DatabaseUnreachable(`database unreachable at ${location}: ${(err as Error).message || (err as { code?: string }).code}`);
  } finally {
    await probe.end().catch(() => undefined);
  }
  const knex = knexFactory({
    client: 'pg',
    connection: { connectionString: url, connectionTimeoutMillis: 5_000 },
    pool: { min: 0, max: options.poolMax },
    acquireConnectionTimeout: options.acquireTimeoutMs ?? 5_000,
    log: knexLog(options.logger),
  });
  return { knex, kind: 'postgres', location, close: () => knex.destroy() };
}

async function openPglite(dir: string, logger?: Logger): Promise<Database> {
  const inMemory = dir === 'memory://' || dir === '';
  if (!inMemory) mkdirSync(dir, { recursive: true });
  let pglite: PGlite;
  try {
    pglite = inMemory ? new PGlite() : new PGlite(dir);
    await pglite.waitReady;
  } catch (err) {
    throw new DatabaseUnreachable(`embedded database at ${dir} could not start: ${(err as Error).message}`);
  }
  // PGlite has one connection: knex-pglite pins the pool to one, so every service shares it.
  const knex = knexFactory({ client: ClientPgLite as unknown as typeof knexFactory.Client, connection: () => ({ pglite }) as object, log: knexLog(logger) });
  return {
    knex,
    kind: 'pglite',
    location: inMemory ? 'embedded (in memory)' : `embedded (${dir})`,
    close: async () => {
      await knex.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}

export interface Migration {
  name: string;
  up(knex: Knex, schema: string): Promise<void>;
}

/** One service's view of the database: its own schema, its own migrations. */
export class ServiceDb {
  constructor(
    readonly knex: Knex,
    readonly schema: string,
    /** The embedded database: only this process writes it, so what it wrote it already knows without polling. */
    readonly embedded = false,
  ) {}

  /** A query builder on one of this service's tables, inside `trx` when given. */
  table<Row extends object = Record<string, unknown>>(name: string, trx?: Knex.Transaction): Knex.QueryBuilder<Row> {
    return (trx ?? this.knex).withSchema(this.schema).table<Row>(name) as Knex.QueryBuilder<Row>;
  }

  transaction<T>(fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
    return this.knex.transaction(fn);
  }

  /** The next value of one of this schema's sequences (document numbers: gaps allowed, repeats never). */
  async nextval(trx: Knex.Transaction, sequence: string): Promise<number> {
    const result = await trx.raw<{ rows: { n: string }[] }>('select nextval(?::regclass) as n', [`${this.schema}.${sequence}`]);
    return Number(result.rows[0]!.n);
  }

  async migrate(migrations: Migration[]): Promise<void> {
    const schema = this.schema;
    await this.knex.raw('create schema if not exists ??', [schema]);
    await this.knex.migrate.latest({
      schemaName: schema,
      tableName: 'knex_migrations',
      migrationSource: {
        getMigrations: async () => migrations,
        getMigrationName: (m: Migration) => m.name,
        getMigration: async (m: Migration) => ({ up: (knex: Knex) => m.up(knex, schema), down: async () => undefined }),
      },
    });
  }

  async ping(): Promise<void> {
    await this.knex.raw('select 1');
  }
}
