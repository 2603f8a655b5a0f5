// The permits' live state (status, validity, remainders) as CheckPermit reads it, cached where that is exact.
//
// Every cache here follows one rule: a writer fences a permit from before it changes the row until its
// transaction ends; the entry is dropped, nothing is cached meanwhile, and a read that overlapped a write is
// not cached after it (an epoch per permit). A bus message alone would arrive after the commit, so a check
// could say "valid" for a permit another instance had just used up.
// - ProcessStates: in this process, when every writer is in it (embedded database, no REDIS_URL);
// - RedisStates (shared-states.ts): in Redis, for every instance;
// - ProcessStates with `exact` false: no cache (PostgreSQL without Redis: other processes may write).
import type { Knex } from 'knex';
import type { LiveState } from './domain/check.ts';

const MAX_ENTRIES = 100_000;

export interface PermitStates {
  get(number: string): Promise<LiveState | undefined>;
  /** Fences `number` until `trx` commits or rolls back; call it before the permit row changes in `trx`. */
  fence(trx: Knex.Transaction, number: string): Promise<void>;
  /** Drops what this process holds of `number` (a change announced on the bus). */
  forget(number: string): void;
  close(): void;
}

export class ProcessStates implements PermitStates {
  private readonly entries = new Map<string, LiveState>();
  private readonly epochs = new Map<string, number>();
  private readonly writers = new Map<string, number>();

  constructor(
    private readonly read: (number: string) => Promise<LiveState | undefined>,
    /** True when this process holds every writer (single-instance deployment). */
    readonly exact: boolean,
  ) {}

  async get(number: string): Promise<LiveState | undefined> {
    if (!this.exact) return this.read(number);
    const held = this.entries.get(number);
    if (held) return held;
    const epoch = this.epochs.get(number) ?? 0;
    const state = await this.read(number);
    if (state && !this.writers.has(number) && (this.epochs.get(number) ?? 0) === epoch) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
      this.entries.set(number, state);
    }
    return state;
  }

  async fence(trx: Knex.Transaction, number: string): Promise<void> {
    // Nothing is cached when not exact, so there is nothing to fence.
    if (!this.exact) return;
    this.writers.set(number, (this.writers.get(number) ?? 0) + 1);
    this.forget(number);
    const release = () => {
      const left = (this.writers.get(number) ?? 1) - 1;
      if (left > 0) this.writers.set(number, left);
      else this.writers.delete(number);
      this.forget(number);
    };
    trx.executionPromise.then(release, release);
  }

  /** Drops the entry; a read already under way will not cache what it read. */
  forget(number: string): void {
    if (!this.exact) return;
    this.entries.delete(number);
    this.epochs.set(number, (this.epochs.get(number) ?? 0) + 1);
  }

  close(): void {}
}

// One cache per database and schema in a process, so every writer in the process fences the same one.
const caches = new WeakMap<Knex, Map<string, PermitStates>>();

export function statesFor(knex: Knex, schema: string, create: () => PermitStates): PermitStates {
  let bySchema = caches.get(knex);
  if (!bySchema) caches.set(knex, (bySchema = new Map()));
  let states = bySchema.get(schema);
  if (!states) bySchema.set(schema, (states = create()));
  return states;
}
