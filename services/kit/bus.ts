// Publish/subscribe between instances: Redis pub/sub when REDIS_URL is set, in-process otherwise.
import { EventEmitter } from 'node:events';
import type { RedisClient } from './redis.ts';

export type Unsubscribe = () => Promise<void>;

export interface Bus {
  publish(channel: string, message: string): Promise<void>;
  /**
   * `onGap` runs when messages may have been missed (the connection to Redis came back after an outage):
   * a subscriber re-reads what it follows from the database, the one truth.
   */
  subscribe(channel: string, handler: (message: string) => void, onGap?: () => void): Promise<Unsubscribe>;
}

export class MemoryBus implements Bus {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  async publish(channel: string, message: string): Promise<void> {
    // Delivered on a later tick, as over a network: a publisher never runs its subscribers inline.
    setImmediate(() => this.emitter.emit(channel, message));
  }

  async subscribe(channel: string, handler: (message: string) => void): Promise<Unsubscribe> {
    this.emitter.on(channel, handler);
    return async () => {
      this.emitter.off(channel, handler);
    };
  }
}

// Messages published while Redis is away wait here (the oldest dropped past this), sent when it is back.
const MAX_BACKLOG = 10_000;

/**
 * Redis pub/sub is at most once: while Redis is away, messages are lost. So this bus keeps its local
 * subscriptions across an outage, subscribes again (also to channels first asked for during the outage),
 * sends what it could not publish once Redis is back, and tells subscribers there may be a gap.
 */
export class RedisBus implements Bus {
  private readonly local = new EventEmitter().setMaxListeners(0);
  private readonly gaps = new Set<() => void>();
  /** Channels with local subscribers whose SUBSCRIBE has not reached Redis yet. */
  private readonly pending = new Set<string>();
  private readonly backlog: [string, string][] = [];
  private interrupted = false;
  private readonly dispatch = (message: string, channel: string): void => void this.local.emit(channel, message);

  constructor(
    private readonly publisher: RedisClient,
    /** Pub/sub needs a connection of its own. */
    private readonly subscriber: RedisClient,
    private readonly prefix: string,
  ) {
    subscriber.on('reconnecting', () => (this.interrupted = true));
    subscriber.on('ready', () => void this.recovered());
    publisher.on('ready', () => void this.flush());
  }

  async publish(channel: string, message: string): Promise<void> {
    try {
      await this.publisher.publish(this.prefix + channel, message);
    } catch {
      if (this.backlog.length >= MAX_BACKLOG) this.backlog.shift();
      this.backlog.push([this.prefix + channel, message]);
    }
  }

  async subscribe(channel: string, handler: (message: string) => void, onGap?: () => void): Promise<Unsubscribe> {
    const name = this.prefix + channel;
    this.local.on(name, handler);
    if (onGap) this.gaps.add(onGap);
    if (this.local.listenerCount(name) === 1) await this.listen(name);
    return async () => {
      this.local.off(name, handler);
      if (onGap) this.gaps.delete(onGap);
      if (this.local.listenerCount(name) > 0) return;
      this.pending.delete(name);
      await this.subscriber.unsubscribe(name, this.dispatch).catch(() => undefined);
    };
  }

  private async listen(name: string): Promise<void> {
    try {
      await this.subscriber.subscribe(name, this.dispatch);
      this.pending.delete(name);
    } catch {
      // Redis is away: the subscription is made when it is back, and the subscriber hears of the gap.
      this.pending.add(name);
      this.interrupted = true;
    }
  }

  private async recovered(): Promise<void> {
    for (const name of [...this.pending]) await this.listen(name);
    if (!this.interrupted || this.pending.size > 0) return;
    this.interrupted = false;
    for (const onGap of [...this.gaps]) onGap();
  }

  private async flush(): Promise<void> {
    while (this.backlog.length > 0) {
      const [channel, message] = this.backlog[0]!;
      try {
        await this.publisher.publish(channel, message);
      } catch {
        return;
      }
      this.backlog.shift();
    }
  }
}
