// ruqsat audit verify — recomputes a service's hash-chained audit log and reports the first broken link.
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { UsageError, type Command } from '../cli.ts';
import { verifyChain } from '../../services/kit/audit.ts';
import { loadConfig, SERVICE_NAMES, type ServiceName } from '../../services/kit/config.ts';
import { openDatabase, ServiceDb } from '../../services/kit/db.ts';
import { createLogger } from '../../services/kit/logger.ts';

const USAGE = `ruqsat audit verify --service ${SERVICE_NAMES.join('|')} [--from N] [--batch N]`;

export const command: Command = {
  name: 'audit',
  summary: `Verify a service's hash-chained audit log and report the first broken link.
Recomputes every entry's SHA-256 and its link to the one before, in position order, a batch at a time. Exits 0 when the chain is intact, 2 at the first broken link
(HASH_MISMATCH, PREV_MISMATCH or SEQ_GAP) or when the service has no audit log, 1 on a usage error.
Reads the database the mesh uses (DATABASE_URL, or the embedded one at PGLITE_DIR: stop the mesh first),
in the schema DB_SCHEMA_PREFIX + service.`,
  usage: USAGE,
  async run(args) {
    const [verb, ...rest] = args;
    if (verb !== 'verify') throw new UsageError(`expected "verify"\n${USAGE}`);
    const o = options(rest);
    const config = loadConfig();
    // Opening a missing embedded directory would create an empty database and hide a wrong PGLITE_DIR.
    if (!config.databaseUrl && config.pgliteDir !== 'memory://' && !existsSync(config.pgliteDir)) {
      throw new Error(`no embedded database at ${config.pgliteDir} (set PGLITE_DIR or DATABASE_URL)`);
    }
    const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
    const database = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: config.pgliteDir, poolMax: 2, logger });
    try {
      const db = new ServiceDb(database.knex, config.schemaPrefix + o.service);
      const tables = await database.knex('information_schema.tables').where({ table_schema: db.schema }).whereIn('table_name', ['audit_log', 'audit_head']).count({ n: '*' });
      if (Number(tables[0].n) < 2) {
        process.stdout.write(`${o.service}: no audit log yet (schema "${db.schema}" on ${database.location} has no audit_log table)\n`);
        return 2;
      }
      const result = await verifyChain(db, { from: o.from, batch: o.batch });
      if (result.ok) {
        process.stdout.write(`${o.service}: ${result.entries} entries, chain intact\n`);
        return 0;
      }
      process.stdout.write(`${o.service}: chain broken at entry ${result.brokenAt} (${result.reason})\n`);
      return 2;
    } finally {
      await database.close();
    }
  },
};

function options(args: string[]): { service: ServiceName; from?: number; batch?: number } {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({ args, options: { service: { type: 'string' }, from: { type: 'string' }, batch: { type: 'string' } } }));
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${USAGE}`);
  }
  if (!values.service) throw new UsageError(`--service is required\n${USAGE}`);
  if (!(SERVICE_NAMES as readonly string[]).includes(values.service)) throw new UsageError(`--service must be one of ${SERVICE_NAMES.join(', ')}, got "${values.service}"`);
  return { service: values.service as ServiceName, from: positive(values.from, 'from'), batch: positive(values.batch, 'batch') };
}

function positive(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^[1-9]\d{0,15}$/.test(raw)) throw new UsageError(`--${name} must be a positive integer, got "${raw}"`);
  return Number(raw);
}
