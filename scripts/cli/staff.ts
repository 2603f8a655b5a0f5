// ruqsat staff — a provider's staff table: which official (by IIN) acts in which workflow role, per service.
import { parseArgs } from 'node:util';
import { UsageError, type Command } from '../cli.ts';
import { AuditLog } from '../../services/kit/audit.ts';
import { CaseStore } from '../../services/kit/cases/store.ts';
import { loadConfig, SERVICE_NAMES, type ServiceName } from '../../services/kit/config.ts';
import { openDatabase, ServiceDb } from '../../services/kit/db.ts';
import { createLogger } from '../../services/kit/logger.ts';
import { isValidIinBin } from '../../services/kit/party.ts';
import { ROLES } from '../../services/kit/workflow/index.ts';
import { MODULES } from '../../services/mesh.ts';

const USAGE = `ruqsat staff list --service NAME
       ruqsat staff add --service NAME --iin IIN --role ROLE [--full-name NAME]
       ruqsat staff remove --service NAME --iin IIN [--role ROLE]`;

export const command: Command = {
  name: 'staff',
  summary: `The staff table of a service that runs state services: officials by IIN and the workflow roles they hold
(${ROLES.join(', ')}). An official's act is accepted only in a role held here and carried by the certificate.
Works on the database the mesh uses (DATABASE_URL, or the embedded one: stop the mesh first).`,
  usage: USAGE,
  async run(args) {
    const [verb, ...rest] = args;
    let values: Record<string, string | undefined>;
    try {
      ({ values } = parseArgs({ args: rest, options: { service: { type: 'string' }, iin: { type: 'string' }, role: { type: 'string' }, 'full-name': { type: 'string' } } }));
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const service = values.service as ServiceName | undefined;
    if (!service || !SERVICE_NAMES.includes(service) || service === 'trust') throw new UsageError(`--service must be one of ${SERVICE_NAMES.filter((s) => s !== 'trust').join(', ')}\n${USAGE}`);
    if (verb !== 'list' && (!values.iin || !isValidIinBin(values.iin))) throw new UsageError('--iin must be a valid 12-digit IIN');
    if (values.role !== undefined && !(ROLES as readonly string[]).includes(values.role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
    if (verb === 'add' && !values.role) throw new UsageError('--role is required');
    if (verb !== 'list' && verb !== 'add' && verb !== 'remove') throw new UsageError(USAGE);

    const config = loadConfig();
    const database = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: config.pgliteDir, poolMax: 2, logger: createLogger('warn') });
    try {
      const db = new ServiceDb(database.knex, config.schemaPrefix + service);
      await db.migrate(MODULES[service].migrations);
      if (!(await db.knex.schema.withSchema(db.schema).hasTable('staff'))) throw new Error(`${service} keeps no staff table yet`);
      const store = new CaseStore(db);
      if (verb === 'list') {
        for (const s of await store.staff()) process.stdout.write(`${s.iin} ${s.role.padEnd(30)} ${s.full_name}\n`);
        return 0;
      }
      const audit = new AuditLog(db);
      await db.transaction(async (trx) => {
        if (verb === 'add') await store.addStaff(values.iin!, values.role!, values['full-name'] ?? '', trx);
        else if (!(await store.removeStaff(values.iin!, values.role, trx))) throw new Error(`${values.iin} holds no ${values.role ?? 'role'} in ${service}`);
        await audit.append(trx, { actor: 'provider (staff administration)', action: `staff_${verb}`, resource: `staff/${values.iin}`, payload: { role: values.role ?? '*' } });
      });
      process.stdout.write(`${service}: ${values.iin} ${verb === 'add' ? `holds ${values.role}` : `no longer holds ${values.role ?? 'any role'}`}\n`);
      return 0;
    } finally {
      await database.close();
    }
  },
};
