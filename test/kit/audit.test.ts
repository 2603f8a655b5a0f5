// The hash-chained audit log on a real database (PGlite, or PostgreSQL when DATABASE_URL is set) and its CLI.
import { expect } from 'chai';
import { createHash, randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AuditLog, auditLogMigration, canonicalText, entryHash, GENESIS_HASH, verifyChain, type AuditEntry, type AuditInput } from '../../services/kit/audit.ts';
import { openDatabase, ServiceDb, type Database } from '../../services/kit/db.ts';

const url = process.env.DATABASE_URL;
const mode = url ? 'postgres' : 'embedded';
const exec = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const transition = (i: number): AuditInput => ({
  actor: 'SERIALNUMBER=IIN900315400215,CN=Omarova Dana',
  action: 'license.register',
  resource: `licenses/${i}`,
  payload: { status: 'REGISTERED', kind: 'special_technical_means', sub_kinds: ['a', 'b'], nested: { z: 1, a: [true, null, 1.5] } },
});

describe(`kit: audit log (${mode})`, function () {
  let database: Database;
  const prefix = `t${randomBytes(4).toString('hex')}_`;
  const schemas: string[] = [];

  before(async () => {
    database = await openDatabase({ databaseUrl: url, pgliteDir: 'memory://', poolMax: 25 });
  });
  after(async () => {
    // On a shared PostgreSQL, leave nothing behind.
    if (database?.kind === 'postgres') for (const s of schemas) await database.knex.raw('drop schema if exists ?? cascade', [s]);
    await database?.close();
  });

  async function freshLog(): Promise<{ db: ServiceDb; log: AuditLog }> {
    const db = new ServiceDb(database.knex, `${prefix}a${schemas.length}`);
    schemas.push(db.schema);
    await db.migrate([auditLogMigration]);
    return { db, log: new AuditLog(db) };
  }

  async function appendMany(db: ServiceDb, log: AuditLog, n: number): Promise<AuditEntry[]> {
    const out: AuditEntry[] = [];
    for (let i = 1; i <= n; i++) out.push(await db.transaction((trx) => log.append(trx, transition(i))));
    return out;
  }

  it('appends entries whose hashes are SHA-256 of the documented text, linked from 64 zeros', async () => {
    const { db, log } = await freshLog();
    const entries = await appendMany(db, log, 3);
    expect(entries.map((e) => e.position)).to.deep.equal([1, 2, 3]);
    expect(entries[0].prevHash).to.equal(GENESIS_HASH).and.to.equal('0'.repeat(64));
    expect(entries[1].prevHash).to.equal(entries[0].hash);
    expect(entries[2].prevHash).to.equal(entries[1].hash);
    // The core's hash agrees with OpenSSL's over the exact bytes the comment documents.
    const e = entries[1];
    const text = ['ruqsat.audit.v1', e.prevHash, '2', e.at.toISOString(), e.actor, e.action, 'licenses/2',
      '{"kind":"special_technical_means","nested":{"a":[true,null,1.5],"z":1},"status":"REGISTERED","sub_kinds":["a","b"]}'].join('\n');
    expect(canonicalText(e)).to.equal(text);
    expect(e.hash).to.equal(createHash('sha256').update(text, 'utf8').digest('hex'));
    const rows: { hash: string; payload: unknown }[] = await db.table('audit_log').orderBy('position').select('hash', 'payload');
    expect(rows.map((r) => r.hash)).to.deep.equal(entries.map((x) => x.hash));
    expect(rows[0].payload).to.deep.equal(transition(1).payload);
    expect(await verifyChain(db)).to.deep.equal({ ok: true, entries: 3 });
    expect(await verifyChain(db, { from: 2, batch: 1 })).to.deep.equal({ ok: true, entries: 2 });
  });

  it('reports a tampered payload as HASH_MISMATCH at that entry', async () => {
    const { db, log } = await freshLog();
    await appendMany(db, log, 3);
    await db.table('audit_log').where('position', 2).update({ payload: JSON.stringify({ status: 'ISSUED' }) });
    expect(await verifyChain(db)).to.deep.equal({ ok: false, brokenAt: 2, reason: 'HASH_MISMATCH' });
    expect(await verifyChain(db, { batch: 1 })).to.deep.equal({ ok: false, brokenAt: 2, reason: 'HASH_MISMATCH' });
  });

  it('reports a rewritten link (its own hash recomputed) as PREV_MISMATCH at that entry', async () => {
    const { db, log } = await freshLog();
    const [, second] = await appendMany(db, log, 3);
    const forged = { ...second, prevHash: 'f'.repeat(64) };
    await db.table('audit_log').where('position', 2).update({ prev_hash: forged.prevHash, hash: entryHash(forged) });
    expect(await verifyChain(db)).to.deep.equal({ ok: false, brokenAt: 2, reason: 'PREV_MISMATCH' });
  });

  it('reports a deleted middle entry as SEQ_GAP at its position, and a deleted last entry too', async () => {
    const { db, log } = await freshLog();
    await appendMany(db, log, 4);
    await db.table('audit_log').where('position', 2).delete();
    expect(await verifyChain(db)).to.deep.equal({ ok: false, brokenAt: 2, reason: 'SEQ_GAP' });
    const other = await freshLog();
    await appendMany(other.db, other.log, 3);
    await other.db.table('audit_log').where('position', 3).delete();
    expect(await verifyChain(other.db)).to.deep.equal({ ok: false, brokenAt: 3, reason: 'SEQ_GAP' });
  });

  it('reports a last entry rewritten with a fresh hash, which the head still disagrees with', async () => {
    const { db, log } = await freshLog();
    const [, , third] = await appendMany(db, log, 3);
    const forged = { ...third, payload: { status: 'REFUSED' } };
    await db.table('audit_log').where('position', 3).update({ payload: JSON.stringify(forged.payload), hash: entryHash(forged) });
    expect(await verifyChain(db)).to.deep.equal({ ok: false, brokenAt: 3, reason: 'HASH_MISMATCH' });
  });

  it('a rolled-back transition leaves no entry and no break, though bigserial skipped a value', async () => {
    const { db, log } = await freshLog();
    const [first] = await appendMany(db, log, 1);
    const err = await db
      .transaction(async (trx) => {
        await log.append(trx, transition(2));
        throw new Error('the transition was refused');
      })
      .catch((e: Error) => e);
    expect((err as Error).message).to.equal('the transition was refused');
    const next = await db.transaction((trx) => log.append(trx, transition(3)));
    expect(next.position).to.equal(2);
    expect(next.prevHash).to.equal(first.hash);
    expect(next.seq).to.equal(first.seq + 2);
    expect(await verifyChain(db)).to.deep.equal({ ok: true, entries: 2 });
  });

  it(`20 concurrent appends, each in its own transaction, make one unbroken chain${url ? '' : ' (PGlite serializes them)'}`, async () => {
    const { db, log } = await freshLog();
    // On PostgreSQL all 20 transactions are open at once before any appends; PGlite runs them one at a time.
    let open = 0;
    let allOpen: () => void = () => undefined;
    const barrier = new Promise<void>((resolve) => (allOpen = resolve));
    const entries = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        db.transaction(async (trx) => {
          await trx.raw('select 1');
          if (++open === 20) allOpen();
          if (url) await barrier;
          await sleep(i % 3);
          return log.append(trx, transition(i));
        }),
      ),
    );
    expect(open).to.equal(20);
    expect(entries.map((e) => e.position).sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(new Set(entries.map((e) => e.prevHash)).size).to.equal(20);
    expect(await verifyChain(db, { batch: 7 })).to.deep.equal({ ok: true, entries: 20 });
  });

  it('refuses actor, action or resource with control characters (they would blur the hashed fields)', async () => {
    const { db, log } = await freshLog();
    const err = await db.transaction((trx) => log.append(trx, { ...transition(1), actor: 'a\nb' })).catch((e: Error) => e);
    expect(err).to.be.instanceOf(TypeError);
    expect(await verifyChain(db)).to.deep.equal({ ok: true, entries: 0 });
  });

  it('verifies 100,000 entries reading at most one batch of rows per query', async function () {
    this.timeout(300_000);
    const { db } = await freshLog();
    const n = 100_000;
    let prevHash = GENESIS_HASH;
    const at = new Date('2026-11-22T07:00:00.000Z');
    for (let start = 1; start <= n; start += 10_000) {
      const rows = [];
      for (let position = start; position < start + 10_000; position++) {
        const e = { position, prevHash, at, actor: 'licensing', action: 'sla.tick', resource: `licenses/${position}`, payload: { n: position } };
        const hash = entryHash(e);
        rows.push({ position, at: at.toISOString(), actor: e.actor, action: e.action, resource: e.resource, payload: e.payload, prev_hash: prevHash, hash });
        prevHash = hash;
      }
      await database.knex.raw(
        `insert into ??.audit_log (position, at, actor, action, resource, payload, prev_hash, hash)
         select * from jsonb_to_recordset(?::jsonb) as x(position bigint, at timestamptz, actor text, action text, resource text, payload jsonb, prev_hash text, hash text)`,
        [db.schema, JSON.stringify(rows)],
      );
    }
    await db.table('audit_head').update({ position: n, hash: prevHash });

    let largest = 0;
    const watch = (response: unknown, query: { sql: string }) => {
      if (query.sql.includes('audit_log') && Array.isArray(response)) largest = Math.max(largest, response.length);
    };
    database.knex.on('query-response', watch);
    try {
      const started = Date.now();
      expect(await verifyChain(db, { batch: 2_000 })).to.deep.equal({ ok: true, entries: n });
      console.log(`      verified ${n} entries in ${Date.now() - started} ms`);
    } finally {
      database.knex.off('query-response', watch);
    }
    expect(largest).to.equal(2_000);
    await db.table('audit_log').where('position', 99_999).update({ actor: 'someone else' });
    expect(await verifyChain(db, { from: 99_000 })).to.deep.equal({ ok: false, brokenAt: 99_999, reason: 'HASH_MISMATCH' });
  });
});

describe(`ruqsat audit verify (${mode})`, function () {
  const prefix = `t${randomBytes(4).toString('hex')}_`;
  const dir = url ? '' : mkdtempSync(join(tmpdir(), 'ruqsat-audit-'));
  const env: Record<string, string | undefined> = { ...process.env, DB_SCHEMA_PREFIX: prefix, LOG_LEVEL: 'silent', PGLITE_DIR: dir || 'memory://' };
  if (!url) delete env.DATABASE_URL;

  // The CLI opens the database itself; the embedded one admits one process, so the test closes it first.
  async function withLicensing<T>(fn: (db: ServiceDb) => Promise<T>): Promise<T> {
    const database = await openDatabase({ databaseUrl: url, pgliteDir: dir, poolMax: 2 });
    try {
      return await fn(new ServiceDb(database.knex, `${prefix}licensing`));
    } finally {
      await database.close();
    }
  }

  async function ruqsat(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await exec('node', ['bin/ruqsat.js', ...args], { env, timeout: 60_000 });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  }

  before(async () => {
    await withLicensing(async (db) => {
      await db.migrate([auditLogMigration]);
      const log = new AuditLog(db);
      for (let i = 1; i <= 3; i++) await db.transaction((trx) => log.append(trx, transition(i)));
    });
  });
  after(async () => {
    if (url) await withLicensing((db) => db.knex.raw('drop schema if exists ?? cascade', [db.schema]));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reports an intact chain and exits 0', async () => {
    const run = await ruqsat('audit', 'verify', '--service', 'licensing');
    expect(run.stdout).to.equal('licensing: 3 entries, chain intact\n');
    expect(run.code).to.equal(0);
  });

  it('says a service has no audit log yet and exits 2', async () => {
    const run = await ruqsat('audit', 'verify', '--service', 'permit');
    expect(run.stdout).to.match(/^permit: no audit log yet \(schema "t[0-9a-f]{8}_permit" .* has no audit_log table\)\n$/);
    expect(run.code).to.equal(2);
  });

  it('exits 1 on usage errors and prints help', async () => {
    expect((await ruqsat('audit', 'verify')).code).to.equal(1);
    const bad = await ruqsat('audit', 'verify', '--service', 'customs');
    expect(bad.code).to.equal(1);
    expect(bad.stderr).to.include('--service must be one of trust, licensing, permit, deposit, registry');
    expect((await ruqsat('audit', 'check', '--service', 'licensing')).code).to.equal(1);
    expect((await ruqsat('audit', 'verify', '--service', 'licensing', '--batch', '0')).code).to.equal(1);
    const help = await ruqsat('audit', '--help');
    expect(help.code).to.equal(0);
    expect(help.stdout).to.include('usage: ruqsat audit verify --service trust|licensing|permit|deposit|registry');
  });

  it('reports the first broken link and exits 2', async () => {
    await withLicensing((db) => db.table('audit_log').where('position', 2).update({ payload: JSON.stringify({ status: 'ISSUED' }) }));
    const run = await ruqsat('audit', 'verify', '--service', 'licensing', '--batch', '1');
    expect(run.stdout).to.equal('licensing: chain broken at entry 2 (HASH_MISMATCH)\n');
    expect(run.code).to.equal(2);
  });
});
