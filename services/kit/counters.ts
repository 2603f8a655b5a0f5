// Counters that expire: Redis INCR + PEXPIRE across instances, or an in-process map without Redis.
import type { RedisClient } from './redis.ts';

export interface Counters {
  /** Adds one to `key` and returns the new count; the key lives `ttlMs` from its first hit. */
  hit(key: string, ttlMs: number): Promise<number>;
}

export class MemoryCounters implements Counters {
  private readonly counts = new Map<string, { count: number; expires: number }>();

  async hit(key: string, ttlMs: number): Promise<number> {
    const now = Date.now();
    let entry = this.counts.get(key);
    if (!entry || entry.expires <= now) {
      // Expired keys go when the map grows, so a long run keeps only live windows.
      if (this.counts.size > 10_000) for (const [k, e] of this.counts) if (e.expires <= now) this.counts.delete(k);
      entry = { count: 0, expires: now + ttlMs };
      this.counts.set(key, entry);
    }
    return ++entry.count;
  }
}

export class RedisCounters implements Counters {
  constructor(
    private readonly client: RedisClient,
    private readonly prefix: string,
  ) {}

  async hit(key: string, ttlMs: number): Promise<number> {
    const count = await this.client.incr(this.prefix + key);
    if (count === 1) await this.client.pExpire(this.prefix + key, ttlMs);
    return count;
  }
}
