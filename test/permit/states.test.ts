// The state caches' fence, in this process and in Redis: a read that overlapped a write is never cached after it.
import { expect } from 'chai';
import type { Knex } from 'knex';
import type { LiveState } from '../../services/permit/domain/check.ts';
import { ProcessStates } from '../../services/permit/states.ts';
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { openDatabase, ServiceDb, type Database } from '../../services/kit/db.ts';
import { openShared, type RedisCommands, type Shared } from '../../services/kit/redis.ts';
import { cacheDebts } from '../../services/permit/migrations/005_cache_debts.ts';
import { RedisStates } from '../../services/permit/shared-states.ts';

const state = (remaining: bigint): LiveState => ({ id: 'p', status: 'active', holderIdentifier: '111240003452', movement: 'import', validFrom: new Date(0), validUntil: new Date(8.64e15), lines: [{ line: 1, hsCode: '8543709000', remaining }] });

/** A database of one permit whose reads can be held open, and a transaction whose end the test decides. */
function world() {
  let remaining = 10n;
  const pending: (() => void)[] = [];
  let reads = 0;
  const read = async () => {
    reads++;
    const seen = remaining;
    await new Promise<void>((resolve) => pending.push(resolve));
    return state(seen);
  };
  const trx = () => {
    let end!: () => void;
    const executionPromise = new Promise<void>((resolve) => (end = resolve));
    return { trx: { executionPromise } as unknown as Knex.Transaction, commit: (to: bigint) => ((remaining = to), end()) };
  };
  const flush = async () => {
    while (pending.length) pending.shift()!();
    await new Promise((r) => setImmediate(r));
  };
  return { read, trx, flush, reads: () => reads };
}

describe('permit: the state cache fence', () => {
  it('caches a read with no write around it, and serves it without reading again', async () => {
    const w = world();
    const states = new ProcessStates(w.read, true);
    const first = states.get('N');
    await w.flush();
    expect((await first)!.lines[0]!.remaining).to.equal(10n);
    expect((await states.get('N'))!.lines[0]!.remaining).to.equal(10n);
    expect(w.reads()).to.equal(1);
  });

  it('does not cache a read that began before a write committed, nor reads while a write is open', async () => {
    const w = world();
    const states = new ProcessStates(w.read, true);
    const stale = states.get('N'); // reads 10 before the write
    const write = w.trx();
    states.fence(write.trx, 'N');
    const during = states.get('N');
    await w.flush();
    expect((await stale)!.lines[0]!.remaining).to.equal(10n);
    expect((await during)!.lines[0]!.remaining).to.equal(10n);
    write.commit(0n);
    await new Promise((r) => setImmediate(r));
    const after = states.get('N');
    await w.flush();
    // Neither overlapping read was cached: this one went to the database and saw the commit.
    expect((await after)!.lines[0]!.remaining).to.equal(0n);
    expect(w.reads()).to.equal(3);
  });

  it('reads every time when other processes may write (several instances)', async () => {
    const w = world();
    const states = new ProcessStates(w.read, false);
    for (let i = 0; i < 3; i++) {
      const r = states.get('N');
      await w.flush();
      await r;
    }
    expect(w.reads()).to.equal(3);
  });
});

// The same fence kept in Redis for every instance, with real Redis (REDIS_URL) and the database's debt table.
describe('permit: the state cache fence in Redis', function () {
  this.timeout(30_000);
  let shared: Shared | undefined;
  let database: Database;
  let db: ServiceDb;
  const instances: RedisStates[] = [];
  const prefix = `ruqsat:t${randomBytes(4).toString('hex')}:`;

  /** The real connection, with an outage the test switches: commands fail fast, as with disableOfflineQueue. */
  function link() {
    const events = new EventEmitter();
    let down = false;
    const real = shared!.redis!.client;
    const guard = <T>(f: () => Promise<T>) => (down ? Promise.reject(new Error('The client is closed')) : f());
    const client = Object.assign(events, {
      get: (k: string) => guard(() => real.get(k)),
      mGet: (k: string[]) => guard(() => real.mGet(k)),
      eval: (s: string, o: { keys: string[]; arguments: string[] }) => guard(() => real.eval(s, o)),
    }) as unknown as RedisCommands;
    return { client, lose: () => ((down = true), events.emit('reconnecting')), regain: () => ((down = false), events.emit('ready')) };
  }

  const open = (read: () => Promise<LiveState>, client = shared!.redis!.client) => {
    const s = new RedisStates(read, db, client, prefix, pino({ level: 'silent' }));
    instances.push(s);
    return s;
  };
  const until = async (ok: () => Promise<boolean> | boolean) => {
    for (let i = 0; i < 200 && !(await ok()); i++) await new Promise((r) => setTimeout(r, 20));
  };
  /** Lets the world's held reads through until `p` settles: Redis round trips come before and after them. */
  const drive = async <T>(w: ReturnType<typeof world>, p: Promise<T>): Promise<T> => {
    let done = false;
    void p.finally(() => (done = true)).catch(() => undefined);
    while (!done) {
      await w.flush();
      await new Promise((r) => setTimeout(r, 2));
    }
    return p;
  };
  const debts = async () => (await db.table('permit_cache_debts')).length;

  before(async function () {
    if (!process.env.REDIS_URL) this.skip();
    shared = await openShared(process.env.REDIS_URL, prefix, pino({ level: 'silent' }));
    database = await openDatabase({ databaseUrl: process.env.DATABASE_URL, pgliteDir: 'memory://', poolMax: 2 });
    db = new ServiceDb(database.knex, `t${randomBytes(4).toString('hex')}_permit`);
    await db.migrate([cacheDebts]);
  });
  after(async () => {
    for (const s of instances) s.close();
    if (db && database.kind === 'postgres') await database.knex.raw('drop schema if exists ?? cascade', [db.schema]);
    await database?.close();
    await shared?.close();
  });

  it('stores a read once for every instance, and never what a read overlapping a write saw', async () => {
    const w = world();
    const a = open(w.read);
    const b = open(w.read);
    await until(() => (a as unknown as { usable: boolean }).usable && (b as unknown as { usable: boolean }).usable);
    const first = drive(w, a.get('N1'));
    expect((await first)!.lines[0]!.remaining).to.equal(10n);
    await until(async () => (await shared!.redis!.client.get(`${prefix}permit-state:{N1}:entry`)) !== null);
    expect((await b.get('N1'))!.lines[0]!.remaining).to.equal(10n);
    expect(w.reads(), 'the second instance answered from Redis').to.equal(1);

    const readsBefore = w.reads();
    const stale = b.get('N1-x');
    await until(() => w.reads() > readsBefore); // its database read of 10 is under way when the write begins
    const write = w.trx();
    await a.fence(write.trx, 'N1-x');
    await a.fence(w.trx().trx, 'N1'); // the cached entry goes at once
    const during = drive(w, b.get('N1-x'));
    expect((await stale)!.lines[0]!.remaining).to.equal(10n);
    expect((await during)!.lines[0]!.remaining).to.equal(10n);
    write.commit(0n);
    await until(async () => (await shared!.redis!.client.get(`${prefix}permit-state:{N1-x}:fence`)) === null);
    const after = drive(w, b.get('N1-x'));
    expect((await after)!.lines[0]!.remaining, 'no read that overlapped the write was stored').to.equal(0n);
    const n1 = drive(w, b.get('N1'));
    expect((await n1)!.lines[0]!.remaining, 'fenced: read from the database').to.equal(0n);
  });

  it('lets a writer that cannot reach Redis go on, and drops the entry before any instance trusts the cache again', async () => {
    const w = world();
    const writer = link();
    const reader = link();
    const a = open(w.read, writer.client);
    const b = open(w.read, reader.client);
    await until(() => (a as unknown as { usable: boolean }).usable && (b as unknown as { usable: boolean }).usable);
    const first = drive(w, b.get('N2'));
    await first;
    await until(async () => (await shared!.redis!.client.get(`${prefix}permit-state:{N2}:entry`)) !== null);

    writer.lose();
    reader.lose();
    await db.transaction(async (trx) => {
      await a.fence(trx, 'N2');
      w.trx().commit(0n); // the database now says 0
    });
    expect(await debts()).to.equal(1);
    const down = drive(w, b.get('N2'));
    expect((await down)!.lines[0]!.remaining, 'without Redis: read live').to.equal(0n);

    reader.regain();
    await until(async () => (await debts()) === 0);
    const back = drive(w, b.get('N2'));
    expect((await back)!.lines[0]!.remaining, 'the debt was paid before the cache was used again').to.equal(0n);
    expect(await shared!.redis!.client.get(`${prefix}permit-state:{N2}:entry`)).to.not.equal(null);
    writer.regain();
  });
});
