// ruqsat commission — the commission for accreditation of certifying centres (para 3), set up by the provider's
// order: each member by IIN, the body that delegated them and their position. The letter of a case names members
// from here; each also needs the commission_member role (`ruqsat staff`) and a certificate carrying it.
import { parseArgs } from 'node:util';
import { UsageError, type Command } from '../cli.ts';
import { AuditLog } from '../../services/kit/audit.ts';
import { loadConfig } from '../../services/kit/config.ts';
import { openDatabase, ServiceDb } from '../../services/kit/db.ts';
import { createLogger } from '../../services/kit/logger.ts';
import { isValidIinBin } from '../../services/kit/party.ts';
import { AccreditationStore } from '../../services/licensing/accreditation/store.ts';
import { MODULES } from '../../services/mesh.ts';

const BODIES = ['provider', 'technical_regulation', 'national_security'];
const POSITIONS = ['chair', 'secretary', 'member'];
const USAGE = `ruqsat commission list
       ruqsat commission add --iin IIN --body ${BODIES.join('|')} --position ${POSITIONS.join('|')} [--full-name NAME]
       ruqsat commission remove --iin IIN`;

export const command: Command = {
  name: 'commission',
  summary: `The commission for accreditation of certifying centres (licensing): members by IIN, body and position.
Works on the database the mesh uses (DATABASE_URL, or the embedded one: stop the mesh first).`,
  usage: USAGE,
  async run(args) {
    const [verb, ...rest] = args;
    let values: Record<string, string | undefined>;
    try {
      ({ values } = parseArgs({ args: rest, options: { iin: { type: 'string' }, body: { type: 'string' }, position: { type: 'string' }, 'full-name': { type: 'string' } } }));
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    if (verb !== 'list' && verb !== 'add' && verb !== 'remove') throw new UsageError(USAGE);
    if (verb !== 'list' && (!values.iin || !isValidIinBin(values.iin))) throw new UsageError('--iin must be a valid 12-digit IIN');
    if (verb === 'add' && (!values.body || !BODIES.includes(values.body))) throw new UsageError(`--body must be one of ${BODIES.join(', ')}`);
    if (verb === 'add' && (!values.position || !POSITIONS.includes(values.position))) throw new UsageError(`--position must be one of ${POSITIONS.join(', ')}`);

    const config = loadConfig();
    const database = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: config.pgliteDir, poolMax: 2, logger: createLogger('warn') });
    try {
      const db = new ServiceDb(database.knex, config.schemaPrefix + 'licensing');
      await db.migrate(MODULES.licensing.migrations);
      const store = new AccreditationStore(db);
      if (verb === 'list') {
        for (const m of await store.commission()) process.stdout.write(`${m.iin} ${m.body.padEnd(22)} ${m.position.padEnd(10)} ${m.full_name}\n`);
        return 0;
      }
      const audit = new AuditLog(db);
      await db.transaction(async (trx) => {
        if (verb === 'add') await store.addCommissionMember({ iin: values.iin!, body: values.body!, position: values.position!, full_name: values['full-name'] ?? '' }, trx);
        else if (!(await store.removeCommissionMember(values.iin!, trx))) throw new Error(`${values.iin} is not on the commission`);
        await audit.append(trx, { actor: 'provider (order on the commission)', action: `commission_${verb}`, resource: `commission/${values.iin}`, payload: { body: values.body ?? '', position: values.position ?? '' } });
      });
      process.stdout.write(`licensing: ${values.iin} ${verb === 'add' ? `sits on the commission for ${values.body} as ${values.position}` : 'no longer sits on the commission'}\n`);
      return 0;
    } finally {
      await database.close();
    }
  },
};
