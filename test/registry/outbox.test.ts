// The kit outbox against a running registry: publish with the business change, idempotent and
// ordered delivery, two relays sharing the work, and registry down at enqueue then started.
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { Registry } from 'prom-client';
import { EntryStatus, RegistryServiceClient, type EntryChange } from '../../gen/ruqsat/registry/v1/registry.ts';
import { loadConfig, type MeshConfig } from '../../services/kit/config.ts';
import { openDatabase, ServiceDb, type Database, type Migration } from '../../services/kit/db.ts';
import { clientFor, closeClients } from '../../services/kit/grpc/client.ts';
import { createLogger } from '../../services/kit/logger.ts';
import { Outbox, outboxMigration } from '../../services/kit/outbox.ts';
import { bind, call } from '../helpers/grpc.ts';
import { startTestMesh, testEnv, type TestMesh } from '../helpers/mesh.ts';
import { collectUntil, eventually, freePort, licence, sleep } from './helpers.ts';

// The publishing service's own business table, changed in the same transaction as the enqueue.
const licences: Migration = {
  name: '001_licences',
  async up(knex, schema) {
    await knex.schema.withSchema(schema).createTable('licences', (t) => {
      t.text('id').primary();
      t.text('status').notNullable();
    });
  },
};

const FAST = { pollMs: 100, initialBackoffMs: 50, maxBackoffMs: 300, callDeadlineMs: 2_000 };

describe('kit: the outbox to registry', function () {
  this.timeout(60_000);
  let database: Database;
  let db: ServiceDb;
  const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const outboxes: Outbox[] = [];
  const meshes: TestMesh[] = [];

  const outboxFor = (registryAddress: string, metrics?: Registry, on = db) => {
    const config: MeshConfig = loadConfig(testEnv({ REGISTRY_ADDRESS: registryAddress }));
    const outbox = new Outbox({ db: on, logger, config, metrics }, FAST);
    outboxes.push(outbox);
    return outbox;
  };
  let shared: { t: TestMesh; client: InstanceType<typeof RegistryServiceClient> };
  const registryMesh = async (overrides: Record<string, string> = {}) => {
    const t = await startTestMesh(['registry'], overrides);
    meshes.push(t);
    return { t, client: clientFor(RegistryServiceClient, t.address('registry')) };
  };
  const getEntry = (client: InstanceType<typeof RegistryServiceClient>, id: string) =>
    call(bind(client, 'getEntry'), { name: `registers/nsc-licenses/entries/licenses.${id}` }).then((r) => r.response, () => undefined);

  before(async () => {
    database = await openDatabase({ databaseUrl: process.env.DATABASE_URL, pgliteDir: 'memory://', poolMax: 5 });
    db = new ServiceDb(database.knex, `t${randomBytes(4).toString('hex')}_publisher`);
    await db.migrate([licences, outboxMigration]);
    // One registry for the tests that need it up; the outage test starts its own later.
    const t = await startTestMesh(['registry']);
    shared = { t, client: clientFor(RegistryServiceClient, t.address('registry')) };
  });
  afterEach(async () => {
    for (const o of outboxes.splice(0)) await o.stop();
    for (const m of meshes.splice(0)) await m.stop();
    await db.table('outbox').delete();
  });
  after(async () => {
    await shared?.t.stop();
    closeClients();
    if (database?.kind === 'postgres') await database.knex.raw('drop schema if exists ?? cascade', [db.schema]);
    await database?.close();
  });

  it('delivers what commits with the business change, and nothing of what rolls back', async () => {
    const { t, client } = shared;
    const outbox = outboxFor(t.address('registry'));
    outbox.start();
    await db.transaction(async (trx) => {
      await db.table('licences', trx).insert({ id: 'o1', status: 'active' });
      await outbox.enqueue(trx, licence('o1', 1));
    });
    const failed = db.transaction(async (trx) => {
      await db.table('licences', trx).insert({ id: 'o2', status: 'active' });
      await outbox.enqueue(trx, licence('o2', 1));
      throw new Error('the business change fails');
    });
    expect(await failed.then(() => 'committed', (err: Error) => err.message)).to.equal('the business change fails');
    const entry = await eventually(() => getEntry(client, 'o1'));
    expect(entry).to.include({ sourceResource: 'licenses/o1', sourceSequence: 1 });
    await sleep(300);
    expect(await getEntry(client, 'o2')).to.equal(undefined);
    expect(await db.table('outbox').where({ source_resource: 'licenses/o2' })).to.have.length(0);
    expect(await outbox.lag()).to.deep.include({ pending: 0, dead: 0 });
  });

  it('numbers versions itself when asked (sequence 0), and a repeated event changes nothing', async () => {
    const { t, client } = shared;
    const outbox = outboxFor(t.address('registry'));
    const seqs: number[] = [];
    for (const status of [EntryStatus.ENTRY_STATUS_ACTIVE, EntryStatus.ENTRY_STATUS_SUSPENDED, EntryStatus.ENTRY_STATUS_ACTIVE]) {
      seqs.push((await db.transaction((trx) => outbox.enqueue(trx, licence('o3', 0, { status })))).sequence);
    }
    expect(seqs).to.deep.equal([1, 2, 3]);
    // A retried business transaction enqueues the same version twice.
    await db.transaction((trx) => outbox.enqueue(trx, licence('o3', 3, { title: 'a duplicate that must not show' })));
    while ((await outbox.relayOnce()).claimed > 0);
    const entry = (await getEntry(client, 'o3'))!;
    expect(entry).to.include({ sourceSequence: 3, status: EntryStatus.ENTRY_STATUS_ACTIVE });
    expect(entry.title).to.not.equal('a duplicate that must not show');
    const ofO3 = (changes: EntryChange[]) => changes.filter((c) => c.entry?.sourceResource === 'licenses/o3');
    const changes = await collectUntil(client.watchRegister({ parent: 'registers/nsc-licenses', afterSequence: 0 }), (got) => ofO3(got).length === 3);
    expect(ofO3(changes).map((c) => c.entry?.sourceSequence)).to.deep.equal([1, 2, 3]);
  });

  it('an older sequence enqueued after a newer one leaves the newer state', async () => {
    const { t, client } = shared;
    const outbox = outboxFor(t.address('registry'));
    await db.transaction((trx) => outbox.enqueue(trx, licence('o4', 7, { status: EntryStatus.ENTRY_STATUS_REVOKED })));
    await db.transaction((trx) => outbox.enqueue(trx, licence('o4', 6, { status: EntryStatus.ENTRY_STATUS_ACTIVE })));
    while ((await outbox.relayOnce()).claimed > 0);
    expect(await getEntry(client, 'o4')).to.include({ sourceSequence: 7, status: EntryStatus.ENTRY_STATUS_REVOKED });
    expect(await outbox.lag()).to.deep.include({ pending: 0, dead: 0 });
  });

  it('two relays share the work and keep each record in order', async () => {
    const { t, client } = shared;
    const a = outboxFor(t.address('registry'));
    const b = outboxFor(t.address('registry'));
    const records = ['r1', 'r2', 'r3', 'r4'];
    const perRecord = 6;
    for (let v = 1; v <= perRecord; v++) {
      await db.transaction(async (trx) => {
        for (const id of records) await a.enqueue(trx, licence(id, 0, { title: `version ${v}` }));
      });
    }
    const ours = (changes: EntryChange[]) => changes.filter((c) => records.some((id) => c.entry?.sourceResource === `licenses/${id}`));
    const all = collectUntil<EntryChange>(client.watchRegister({ parent: 'registers/nsc-licenses', afterSequence: 0 }), (got) => ours(got).length === records.length * perRecord, 20_000);
    a.start();
    b.start();
    const changes = await all;
    for (const id of records) {
      const versions = ours(changes).filter((c) => c.entry?.sourceResource === `licenses/${id}`).map((c) => c.entry!.sourceSequence);
      // Every version arrived, in order: none skipped, none overtaken by a later one.
      expect(versions, id).to.deep.equal([1, 2, 3, 4, 5, 6]);
    }
    expect(changes.map((c) => c.sequence)).to.deep.equal(changes.map((_, i) => i + 1));
    // Registry commits before the relay marks the row delivered.
    await eventually(async () => (await a.lag()).pending === 0);
    expect((await a.lag()).dead).to.equal(0);
  });

  it('keeps what registry refuses for good aside, and goes on with the record\'s later events', async () => {
    const { t, client } = shared;
    const metrics = new Registry();
    const outbox = outboxFor(t.address('registry'), metrics);
    await db.transaction((trx) => outbox.enqueue(trx, licence('o5', 1, { number: '' })));
    await db.transaction((trx) => outbox.enqueue(trx, licence('o5', 2)));
    while ((await outbox.relayOnce()).claimed > 0);
    expect(await getEntry(client, 'o5')).to.include({ sourceSequence: 2 });
    const lag = await outbox.lag();
    expect(lag).to.deep.include({ pending: 0, dead: 1 });
    const dead = await db.table<{ last_error: string }>('outbox').whereNotNull('dead_at').first();
    expect(dead?.last_error).to.match(/^INVALID_ARGUMENT: number: is required/);
    expect(await metrics.metrics()).to.match(/ruqsat_outbox_failed_total\{schema="[^"]+",outcome="dead"\} 1/);
  });

  it('deletes delivered rows past their retention, and keeps pending and refused ones and the sequence counters', async () => {
    const { t } = shared;
    const outbox = new Outbox({ db, logger, config: loadConfig(testEnv({ REGISTRY_ADDRESS: t.address('registry') })) }, { ...FAST, retainDeliveredMs: 3_600_000 });
    await db.transaction((trx) => outbox.enqueue(trx, licence('p1', 1)));
    await db.transaction((trx) => outbox.enqueue(trx, licence('p2', 1, { number: '' }))); // refused for good: dead
    await db.transaction((trx) => outbox.enqueue(trx, licence('p3', 1)));
    while ((await outbox.relayOnce()).claimed > 0);
    await db.transaction((trx) => outbox.enqueue(trx, licence('p4', 0))); // still pending
    type Row = { source_resource: string; delivered_at: Date | null; dead_at: Date | null };
    const rows = async (): Promise<Row[]> => db.table<Row>('outbox').orderBy('id');
    expect((await rows()).map((r) => [r.source_resource.slice(-2), !!r.delivered_at, !!r.dead_at])).to.deep.equal([['p1', true, false], ['p2', false, true], ['p3', true, false], ['p4', false, false]]);
    expect(await outbox.prune(), 'nothing delivered an hour ago yet').to.equal(0);
    // Two hours on: both delivered rows are past the hour.
    expect(await outbox.prune(new Date(Date.now() + 2 * 3_600_000))).to.equal(2);
    expect((await rows()).map((r) => r.source_resource.slice(-2))).to.deep.equal(['p2', 'p4']);
    // The record's numbering goes on after its delivered rows are gone.
    const next = await db.transaction((trx) => outbox.enqueue(trx, licence('p1', 0)));
    expect(next.sequence).to.equal(2);
  });

  it('registry down at enqueue: the relay retries with backoff, and the entry appears once registry starts', async () => {
    const port = await freePort();
    const metrics = new Registry();
    const outbox = outboxFor(`127.0.0.1:${port}`, metrics);
    outbox.start();
    await db.transaction(async (trx) => {
      await db.table('licences', trx).insert({ id: 'o6', status: 'active' });
      await outbox.enqueue(trx, licence('o6', 1));
    });
    await eventually(async () => {
      const row = await db.table<{ attempts: number; last_error: string | null }>('outbox').where('source_resource', 'licenses/o6').first();
      return row && row.attempts >= 2 && row.last_error?.startsWith('UNAVAILABLE');
    });
    expect(await outbox.lag()).to.deep.include({ pending: 1 });
    expect(await metrics.metrics()).to.match(/ruqsat_outbox_failed_total\{schema="[^"]+",outcome="retry"\} [1-9]/);

    const { client } = await registryMesh({ REGISTRY_PORT: String(port) });
    const entry = await eventually(() => getEntry(client, 'o6'), 20_000);
    expect(entry).to.include({ sourceResource: 'licenses/o6', status: EntryStatus.ENTRY_STATUS_ACTIVE });
    await eventually(async () => (await outbox.lag()).pending === 0);
  });

  it('on the embedded database an idle relay sleeps instead of polling, and still retries each row when it is due', async () => {
    const claims = { n: 0 };
    const count = (q: { sql: string }) => void (q.sql.includes('skip locked') && claims.n++);
    database.knex.on('query', count);
    try {
      const claimsIn = async (ms: number) => {
        const before = claims.n;
        await sleep(ms);
        return claims.n - before;
      };
      // A relay on a shared database polls every pollMs (100 ms here); one on the embedded database does not.
      const polling = outboxFor(shared.t.address('registry'));
      polling.start();
      await sleep(200);
      expect(await claimsIn(1_000)).to.be.at.least(5);
      await polling.stop();
      const port = await freePort();
      const embedded = new ServiceDb(database.knex, db.schema, true);
      const outbox = outboxFor(`127.0.0.1:${port}`, undefined, embedded);
      outbox.start();
      await sleep(200);
      expect(await claimsIn(1_000)).to.be.at.most(1);

      // Registry down: the enqueue wakes the relay, and each retry comes when its backoff is over, not at a poll.
      await embedded.transaction(async (trx) => {
        await embedded.table('licences', trx).insert({ id: 'o7', status: 'active' });
        await outbox.enqueue(trx, licence('o7', 1));
      });
      await eventually(async () => {
        const row = await db.table<{ attempts: number }>('outbox').where('source_resource', 'licenses/o7').first();
        return row && row.attempts >= 3;
      });
      const { client } = await registryMesh({ REGISTRY_PORT: String(port) });
      const entry = await eventually(() => getEntry(client, 'o7'), 20_000);
      expect(entry).to.include({ sourceResource: 'licenses/o7', status: EntryStatus.ENTRY_STATUS_ACTIVE });
      await eventually(async () => (await outbox.lag()).pending === 0);

      // A row queued through another Outbox of the same table (one that runs no relay) wakes the sleeping relay too.
      const other = outboxFor(`127.0.0.1:${port}`, undefined, embedded);
      const queuedAt = Date.now();
      await embedded.transaction(async (trx) => {
        await embedded.table('licences', trx).insert({ id: 'o8', status: 'active' });
        await other.enqueue(trx, licence('o8', 1));
      });
      await eventually(() => getEntry(client, 'o8'), 20_000);
      expect(Date.now() - queuedAt, 'delivered well before the 30-s idle sleep ends').to.be.below(5_000);
    } finally {
      database.knex.off('query', count);
    }
  });

  it('on the embedded database, after a restart, a row a dead relay still held is delivered when its lease lapses', async () => {
    const { t } = shared;
    // A client of its own: an earlier test's mesh, stopping, closed the clients made before it.
    const client = clientFor(RegistryServiceClient, t.address('registry'));
    const embedded = new ServiceDb(database.knex, db.schema, true);
    await embedded.transaction(async (trx) => {
      await embedded.table('licences', trx).insert({ id: 'o9', status: 'active' });
      await outboxFor(t.address('registry'), undefined, embedded).enqueue(trx, licence('o9', 1));
    });
    // As a relay killed mid-delivery leaves it: claimed, leased for 2 s more, never marked.
    await db.table('outbox').where('source_resource', 'licenses/o9').update({ lease_until: db.knex.raw(`now() + interval '2 seconds'`), attempts: 1 });
    const restarted = outboxFor(t.address('registry'), undefined, embedded);
    const startedAt = Date.now();
    restarted.start();
    const entry = await eventually(() => getEntry(client, 'o9'), 20_000);
    expect(entry).to.include({ sourceResource: 'licenses/o9', status: EntryStatus.ENTRY_STATUS_ACTIVE });
    const took = Date.now() - startedAt;
    expect(took, 'not before the lease lapsed').to.be.at.least(1_500);
    expect(took, 'at the lapse, not at the 30-s idle sleep').to.be.below(8_000);
  });
});
