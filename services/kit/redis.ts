// Redis connections for the cache and the bus, or their in-process stand-ins without REDIS_URL.
import { createClient } from 'redis';
import type { Logger } from 'pino';
import { redact } from './config.ts';
import { MemoryBus, RedisBus, type Bus } from './bus.ts';
import { MemoryCache, RedisCache, type Cache } from './cache.ts';
import { MemoryCounters, RedisCounters, type Counters } from './counters.ts';

/** The few commands the cache and the bus use; both a client and its duplicate fit. */
export interface RedisClient {
  get(key: string): Promise<unknown>;
  set(key: string, value: string, options: { PX: number }): Promise<unknown>;
  del(key: string): Promise<number>;
  publish(channel: string, message: string): Promise<number>;
  subscribe(channel: string, listener: (message: string, channel: string) => void): Promise<void>;
  unsubscribe(channel: string, listener: (message: string, channel: string) => void): Promise<void>;
  /** Connection events: "reconnecting" when it was lost, "ready" when it is back. */
  on(event: 'reconnecting' | 'ready', listener: () => void): unknown;
  incr(key: string): Promise<number>;
  pExpire(key: string, ms: number): Promise<unknown>;
}

/** A command connection with the multi-key reads and scripts a service's own structures need. */
export interface RedisCommands extends RedisClient {
  mGet(keys: string[]): Promise<(string | null)[]>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  off(event: 'reconnecting' | 'ready', listener: () => void): unknown;
}

/** Redis could not be reached at start. */
export class RedisUnreachable extends Error {}

export interface Shared {
  cache: Cache;
  bus: Bus;
  /** Short-lived shared counters (rate limits). */
  counters: Counters;
  kind: 'redis' | 'memory';
  /** The command connection and key prefix, for a service's own Redis structures (the permit states). */
  redis?: { client: RedisCommands; prefix: string };
  close(): Promise<void>;
}

export async function openShared(redisUrl: string | undefined, prefix: string, logger: Logger): Promise<Shared> {
  if (!redisUrl) return { cache: new MemoryCache(), bus: new MemoryBus(), counters: new MemoryCounters(), kind: 'memory', close: async () => undefined };
  const client = createClient({
    url: redisUrl,
    // Fail fast while disconnected instead of queueing: a cache miss is better than a hung call.
    disableOfflineQueue: true,
    socket: { connectTimeout: 5_000, reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 5_000) },
  });
  const subscriber = client.duplicate() as typeof client;
  for (const c of [client, subscriber]) c.on('error', (err: Error) => logger.warn({ err: err.message }, 'redis connection error'));
  try {
    await connectOnce(client);
    await connectOnce(subscriber);
  } catch (err) {
    await Promise.allSettled([client.destroy(), subscriber.destroy()]);
    throw new RedisUnreachable(`redis unreachable at ${redact(redisUrl)}: ${(err as Error).message}`);
  }
  return {
    cache: new RedisCache(client, prefix),
    bus: new RedisBus(client, subscriber, prefix),
    counters: new RedisCounters(client, prefix),
    kind: 'redis',
    redis: { client, prefix },
    close: async () => {
      await Promise.allSettled([client.close(), subscriber.close()]);
    },
  };
}

// The first connect must not retry forever: a wrong REDIS_URL is a start-up error.
interface Connectable {
  connect(): Promise<unknown>;
  once(event: string, listener: (err: Error) => void): unknown;
  off(event: string, listener: (err: Error) => void): unknown;
}

async function connectOnce(client: Connectable): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => {
      client.off('ready', onReady);
      reject(err);
    };
    const onReady = () => {
      client.off('error', onError);
      resolve();
    };
    client.once('error', onError);
    client.once('ready', onReady);
    client.connect().catch(onError);
  });
}
