// The Redis bus across an outage, on a stand-in for Redis that can be switched off: subscriptions survive,
// a subscription asked for during the outage is made when Redis is back, what could not be published is sent
// then, and subscribers hear that they may have missed messages.
import { expect } from 'chai';
import { EventEmitter } from 'node:events';
import { RedisBus } from '../../services/kit/bus.ts';
import type { RedisClient } from '../../services/kit/redis.ts';

type Listener = (message: string, channel: string) => void;

/** One Redis server and its connections: while it is down every command fails, as with disableOfflineQueue. */
class FakeRedis {
  up = true;
  readonly subscriptions = new Map<string, Set<Listener>>();
  readonly connections: (EventEmitter & RedisClient)[] = [];

  connection(): EventEmitter & RedisClient {
    const server = this;
    const offline = () => Promise.reject(new Error('The client is offline'));
    const conn = Object.assign(new EventEmitter(), {
      get: async () => (server.up ? null : offline()),
      set: async () => (server.up ? 'OK' : offline()),
      del: async () => (server.up ? 0 : offline()),
      incr: async () => (server.up ? 1 : offline()),
      pExpire: async () => (server.up ? 1 : offline()),
      async publish(channel: string, message: string) {
        if (!server.up) return offline();
        for (const l of server.subscriptions.get(channel) ?? []) l(message, channel);
        return server.subscriptions.get(channel)?.size ?? 0;
      },
      async subscribe(channel: string, listener: Listener) {
        if (!server.up) return offline();
        server.subscriptions.set(channel, (server.subscriptions.get(channel) ?? new Set()).add(listener));
      },
      async unsubscribe(channel: string, listener: Listener) {
        server.subscriptions.get(channel)?.delete(listener);
      },
    });
    this.connections.push(conn);
    return conn;
  }

  down(): void {
    this.up = false;
    // A restarted Redis has no subscriptions; the clients re-subscribe what they know (node-redis does).
    this.saved = new Map([...this.subscriptions].map(([c, ls]) => [c, new Set(ls)]));
    this.subscriptions.clear();
    for (const c of this.connections) c.emit('reconnecting');
  }

  private saved = new Map<string, Set<Listener>>();

  back(): void {
    this.up = true;
    for (const [c, ls] of this.saved) this.subscriptions.set(c, ls);
    for (const c of this.connections) c.emit('ready');
  }
}

const tick = () => new Promise((r) => setTimeout(r, 10));

describe('kit: the Redis bus across an outage', () => {
  it('keeps subscriptions, subscribes late, sends what waited and reports the gap', async () => {
    const redis = new FakeRedis();
    const a = new RedisBus(redis.connection(), redis.connection(), 'p:');
    const b = new RedisBus(redis.connection(), redis.connection(), 'p:');
    const heard: string[] = [];
    let gaps = 0;
    await b.subscribe('permit.changed', (m) => heard.push(`changed ${m}`), () => gaps++);
    await a.publish('permit.changed', 'KZ-1');
    expect(heard).to.deep.equal(['changed KZ-1']);

    redis.down();
    // Neither call fails while Redis is away: the message waits, the subscription is made later.
    await a.publish('permit.changed', 'KZ-2');
    await b.subscribe('trust.revocations', (m) => heard.push(`revoked ${m}`));
    expect(heard).to.deep.equal(['changed KZ-1']);

    redis.back();
    await tick();
    expect(gaps).to.equal(1);
    expect(heard).to.include('changed KZ-2');
    await a.publish('trust.revocations', '7');
    expect(heard).to.include('revoked 7');

    // After an unsubscribe nothing more arrives, and no gap is reported to it.
    const unsubscribe = await b.subscribe('other', (m) => heard.push(`other ${m}`), () => gaps++);
    await unsubscribe();
    redis.down();
    redis.back();
    await tick();
    await a.publish('other', 'x');
    expect(heard).to.not.include('other x');
    expect(gaps).to.equal(2);
  });
});
