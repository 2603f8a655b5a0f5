// Permit states cached in Redis for every instance (REDIS_URL), under the fence rule of states.ts:
// a writer fences the permit in Redis before it changes the row (the entry is dropped, the epoch moves,
// nothing is stored while fenced) and lifts the fence when its transaction ends. A read stores what it read
// only if the epoch it saw before reading is still current and no fence is up, in one Lua script.
//
// A writer that cannot reach Redis does not wait for it: it records a debt in its own transaction. Debts are
// paid (entry dropped, epoch moved) every second, and by each instance before it trusts the cache again after
// its connection came back, so a Redis outage costs speed, never a stale "valid". The one window left is an
// instance that still reaches Redis while a writer does not: up to one sweep (1 s).
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { ServiceDb } from '../kit/db.ts';
import type { RedisCommands } from '../kit/redis.ts';
import type { LiveState } from './domain/check.ts';
import type { PermitStates } from './states.ts';

const ENTRY_TTL_MS = 10 * 60_000;
// Longer than any transaction: a writer that died fenced stops caching of its permit for this long, no more.
const FENCE_TTL_MS = 60_000;
const SWEEP_MS = 1_000;

const FENCE = `redis.call('INCR', KEYS[1]) redis.call('PEXPIRE', KEYS[1], ARGV[1]) redis.call('INCR', KEYS[2]) redis.call('DEL', KEYS[3]) return 1`;
const RELEASE = `if redis.call('DECR', KEYS[1]) <= 0 then redis.call('DEL', KEYS[1]) end redis.call('INCR', KEYS[2]) redis.call('DEL', KEYS[3]) return 1`;
const STORE = `if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
if (redis.call('GET', KEYS[2]) or '0') ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[3], ARGV[2], 'PX', ARGV[3]) return 1`;
const PAY = `redis.call('INCR', KEYS[2]) redis.call('DEL', KEYS[3]) return 1`;

interface Stored {
  id: string;
  status: LiveState['status'];
  holderIdentifier: string;
  movement: LiveState['movement'];
  validFrom: number;
  validUntil: number;
  lines: { line: number; hsCode: string; remaining: string }[];
}

const encode = (s: LiveState): string =>
  JSON.stringify({ ...s, validFrom: s.validFrom.getTime(), validUntil: s.validUntil.getTime(), lines: s.lines.map((l) => ({ ...l, remaining: l.remaining.toString() })) } satisfies Stored);

function decode(text: string): LiveState {
  const s = JSON.parse(text) as Stored;
  return { ...s, validFrom: new Date(s.validFrom), validUntil: new Date(s.validUntil), lines: s.lines.map((l) => ({ ...l, remaining: BigInt(l.remaining) })) };
}

export class RedisStates implements PermitStates {
  // Off until this instance has paid the debts left while it could not reach Redis.
  private usable = false;
  // Counts lost connections: a sweep enables the cache only if the connection held from before it read the debts.
  private connection = 0;
  private readonly timer: NodeJS.Timeout;
  private paying: Promise<void> | undefined;

  constructor(
    private readonly read: (number: string) => Promise<LiveState | undefined>,
    private readonly db: ServiceDb,
    private readonly client: RedisCommands,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {
    client.on('reconnecting', this.lost);
    client.on('ready', this.regained);
    this.timer = setInterval(() => void this.pay(), SWEEP_MS).unref();
    void this.pay();
  }

  private readonly lost = () => {
    this.usable = false;
    this.connection++;
  };
  private readonly regained = () => void this.pay();

  // fence, epoch, entry: one hash tag, so a Redis Cluster keeps a permit's three keys in one slot.
  private keys(number: string): string[] {
    const base = `${this.prefix}permit-state:{${number}}`;
    return [`${base}:fence`, `${base}:epoch`, `${base}:entry`];
  }

  async get(number: string): Promise<LiveState | undefined> {
    if (!this.usable) return this.read(number);
    const keys = this.keys(number);
    let held: (string | null)[];
    try {
      held = await this.client.mGet([keys[2]!, keys[1]!]);
    } catch {
      return this.read(number);
    }
    if (held[0]) return decode(held[0]);
    const state = await this.read(number);
    if (state) this.client.eval(STORE, { keys, arguments: [held[1] ?? '0', encode(state), String(ENTRY_TTL_MS)] }).catch(() => undefined);
    return state;
  }

  async fence(trx: Knex.Transaction, number: string): Promise<void> {
    const keys = this.keys(number);
    try {
      await this.client.eval(FENCE, { keys, arguments: [String(FENCE_TTL_MS)] });
    } catch {
      await this.db.table('permit_cache_debts', trx).insert({ number });
      return;
    }
    const release = () =>
      this.client.eval(RELEASE, { keys, arguments: [] }).catch(async () => {
        // The fence runs out by itself; the debt drops what a read may have stored after the fence was lost.
        await this.db.table('permit_cache_debts').insert({ number }).catch((err: Error) => this.logger.error({ err: err.message, number }, 'permit cache debt not recorded'));
      });
    trx.executionPromise.then(release, release);
  }

  forget(): void {}

  close(): void {
    clearInterval(this.timer);
    this.client.off('reconnecting', this.lost);
    this.client.off('ready', this.regained);
  }

  /** Drops the entries of permits changed unfenced, then (re)enables the cache; one sweep at a time. */
  private pay(): Promise<void> {
    const connection = this.connection;
    this.paying ??= this.client
      .get(`${this.prefix}permit-state:ping`)
      .then(() => this.sweep())
      .then(() => void (connection === this.connection && (this.usable = true)))
      .catch((err: Error) => this.logger.debug({ err: err.message }, 'permit cache debts not paid yet'))
      .finally(() => (this.paying = undefined));
    return this.paying;
  }

  private async sweep(): Promise<void> {
    const debts: { id: string; number: string }[] = await this.db.table('permit_cache_debts').orderBy('id').limit(500).select('id', 'number');
    for (const number of new Set(debts.map((d) => d.number))) await this.client.eval(PAY, { keys: this.keys(number), arguments: [] });
    if (debts.length > 0) await this.db.table('permit_cache_debts').whereIn('id', debts.map((d) => d.id)).delete();
    if (debts.length === 500) await this.sweep();
  }
}
