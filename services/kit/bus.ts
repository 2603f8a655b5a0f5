// Publish/subscribe between instances: Redis pub/sub when REDIS_URL is set, in-process otherwise.
import { EventEmitter } from 'node:events';
import type { RedisClient } from './redis.ts';

export type Unsubscribe = () => Promise<void>;

export interface Bus {
  publish(channel: string, message: string): Promise<void>;
  subscribe(channel: string, handler: (message: string) => void): Promise<Unsubscribe>;
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

export class RedisBus implements Bus {
  constructor(
    private readonly publisher: RedisClient,
    /** Pub/sub needs a connection of its own. */
    private readonly subscriber: RedisClient,
    private readonly prefix: string,
  ) {}

  async publish(channel: string, message: string): Promise<void> {
    await this.publisher.publish(this.prefix + channel, message);
  }

  async subscribe(channel: string, handler: (message: string) => void): Promise<Unsubscribe> {
    const name = this.prefix + channel;
    await this.subscriber.subscribe(name, handler);
    return async () => {
      await this.subscriber.unsubscribe(name, handler);
    };
  }
}
