// Demo mode: on `npm start` with the embedded database, provision an RA operator (key and certificate under
// RUQSAT_DEMO_DIR) and the NSC officials in permit's staff table, so `npm run demo` can run against the running
// mesh. The embedded PGlite is held by `npm start`, so neither `ruqsat ca operator` nor `ruqsat staff` can
// reach it from a second process, and there is no gRPC API for them (an operator-only RPC under the access rights
// would be a deployment's way, not built); the process that owns the database does it, beside the demo CA
// passphrase. Idempotent: a start that finds a working operator and the staff rows changes nothing.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pino } from 'pino';
import { AuditLog } from '../../services/kit/audit.ts';
import { CaseStore } from '../../services/kit/cases/store.ts';
import { ConfigError, readEnum, readString, type MeshConfig } from '../../services/kit/config.ts';
import { ServiceDb } from '../../services/kit/db.ts';
import type { Mesh } from '../../services/mesh.ts';
import { Authorities } from '../../services/trust/authorities.ts';
import { caPassphrase, trustConfig } from '../../services/trust/config.ts';
import { toPem } from '../../services/trust/domain/pki/der.ts';
import { issueOperatorCertificate } from '../../services/trust/operators.ts';
import { RegistrationStore } from '../../services/trust/registration-store.ts';
import { TrustStore } from '../../services/trust/store.ts';
import { keyPem, newHolderKey } from './keys.ts';

type Env = Record<string, string | undefined>;

/** People of the demo reference registry (services/trust/fixtures/reference-registry.json). */
export const DEMO_OPERATOR = { iin: '900315400215', surname: 'Omarova', givenName: 'Dana' };
export const NSC_BIN = '050940002344'; // the provider's BIN the officials' certificates carry
export const DEMO_OFFICIALS = [
  { key: 'registrar', iin: '900315400215', role: 'registrar', profile: 'official_registrar', name: 'Omarova Dana' },
  { key: 'head', iin: '780103500569', role: 'head_of_licensing_department', profile: 'official_head', name: 'Kim Viktor' },
  { key: 'executor', iin: '851120300359', role: 'executor', profile: 'official_executor', name: 'Zhaksybekov Yerlan' },
  { key: 'signatory', iin: '920702400470', role: 'signatory', profile: 'official_signatory', name: 'Abenova Aigerim' },
] as const;

export interface DemoSettings {
  /** auto: with the embedded database on disk only; on: also in memory or on PostgreSQL; off: never. */
  mode: 'auto' | 'on' | 'off';
  dir: string;
}

/** The demo's files sit beside the embedded database by default (./data/demo beside ./data/pglite). */
export function demoSettings(env: Env = process.env, pgliteDir = './data/pglite'): DemoSettings {
  const beside = pgliteDir.startsWith('memory://') ? './data/demo' : join(dirname(pgliteDir), 'demo');
  const dir = readString(env, 'RUQSAT_DEMO_DIR', beside);
  if (dir.trim() === '') throw new ConfigError('RUQSAT_DEMO_DIR', 'must name a directory');
  return { mode: readEnum(env, 'RUQSAT_DEMO', 'auto', ['auto', 'on', 'off'] as const), dir };
}

/** What the demo reads from RUQSAT_DEMO_DIR: the RA operator's identity. */
export interface DemoOperatorFiles {
  id: string;
  keyPem: string;
  certificatePem: string;
}

export function readDemoOperator(dir: string): DemoOperatorFiles | undefined {
  const file = join(dir, 'ra-operator.json');
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as DemoOperatorFiles;
}

/** Whether this start provisions: trust and permit in this process, demo mode on (or auto with PGlite on disk). */
export function shouldProvision(settings: DemoSettings, mesh: Mesh, config: MeshConfig): boolean {
  const names = mesh.services.map((s) => s.name);
  if (!names.includes('trust') || !names.includes('permit')) return false;
  return settings.mode === 'on' || (settings.mode === 'auto' && mesh.database.kind === 'pglite' && !config.pgliteDir.startsWith('memory://'));
}

/** Provisions the RA operator and the officials; returns what it did, in words. */
export async function provisionDemo(mesh: Mesh, config: MeshConfig, settings: DemoSettings): Promise<string[]> {
  const done: string[] = [];
  const logger = pino({ level: 'silent' });
  const trustDb = new ServiceDb(mesh.database.knex, config.schemaPrefix + 'trust');
  const store = new TrustStore(trustDb);
  const registration = new RegistrationStore(trustDb);
  const existing = readDemoOperator(settings.dir);
  const current = existing && (await registration.operator(existing.id));
  if (current?.status !== 'active') {
    const tc = trustConfig(config.env);
    const authorities = new Authorities(store, caPassphrase(tc, false), { publicUrl: tc.publicUrl ?? `http://${config.host}:${tc.httpPort}` }, tc.policyArc);
    await authorities.open(logger);
    const key = newHolderKey('demo RA operator');
    const issued = await issueOperatorCertificate(store, registration, authorities, {
      person: DEMO_OPERATOR,
      office: { bin: '010440001231', name: 'Public Service Centre of Astana' },
      letterReference: 'demo mode: npm start provisioned this operator',
      csr: key.csrPem,
    });
    mkdirSync(settings.dir, { recursive: true, mode: 0o700 });
    const file = join(settings.dir, 'ra-operator.json');
    const files: DemoOperatorFiles = { id: issued.operator.id, keyPem: keyPem(key.privateKey), certificatePem: toPem(issued.certificateDer, 'CERTIFICATE') };
    writeFileSync(file, JSON.stringify(files, null, 2) + '\n', { mode: 0o600 });
    chmodSync(file, 0o600);
    done.push(`RA operator ${issued.operator.full_name} (operators/${issued.operator.id}), key and certificate in ${file}`);
  }
  const permitDb = new ServiceDb(mesh.database.knex, config.schemaPrefix + 'permit');
  const cases = new CaseStore(permitDb);
  const held = await cases.staff();
  const missing = DEMO_OFFICIALS.filter((o) => !held.some((s) => s.iin === o.iin && s.role === o.role));
  if (missing.length > 0) {
    const audit = new AuditLog(permitDb);
    await permitDb.transaction(async (trx) => {
      for (const o of missing) {
        await cases.addStaff(o.iin, o.role, o.name, trx);
        await audit.append(trx, { actor: 'provider (demo mode)', action: 'staff_add', resource: `staff/${o.iin}`, payload: { role: o.role } });
      }
    });
    done.push(`permit staff: ${missing.map((o) => `${o.name} (${o.role})`).join(', ')}`);
  }
  return done;
}
