// The cache and the bus keep one contract, in process and over Redis (when REDIS_URL is set).
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { openShared, RedisUnreachable, type Shared } from '../../services/kit/redis.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const modes: [string, string | undefined][] = [['in-process', undefined]];
if (process.env.REDIS_URL) modes.push(['redis', process.env.REDIS_URL]);

for (const [mode, url] of modes) {
  describe(`kit: cache and bus (${mode})`, () => {
    let shared: Shared;
    let other: Shared;
    before(async () => {
      const prefix = `test:${randomBytes(4).toString('hex')}:`;
      shared = await openShared(url, prefix, pino({ level: 'silent' }));
      // A second instance of the same mesh: what one publishes, the other hears.
      other = url ? await openShared(url, prefix, pino({ level: 'silent' })) : shared;
    });
    after(async () => {
      await shared?.close();
      if (other !== shared) await other?.close();
    });

    it('stores, expires and deletes values', async () => {
      await shared.cache.set('k1', 'v1', 10_000);
      await shared.cache.set('k2', 'v2', 50);
      expect(await other.cache.get('k1')).to.equal('v1');
      await sleep(120);
      expect(await shared.cache.get('k2')).to.equal(undefined);
      await shared.cache.delete('k1');
      expect(await other.cache.get('k1')).to.equal(undefined);
    });

    it('delivers published messages to every subscriber until it unsubscribes', async () => {
      const got: string[] = [];
      const unsubscribe = await other.bus.subscribe('revocations', (m) => got.push(m));
      await sleep(50);
      await shared.bus.publish('revocations', 'serial-1');
      await shared.bus.publish('elsewhere', 'not for us');
      for (let i = 0; i < 50 && got.length < 1; i++) await sleep(10);
      expect(got).to.deep.equal(['serial-1']);
      await unsubscribe();
      await shared.bus.publish('revocations', 'serial-2');
      await sleep(100);
      expect(got).to.deep.equal(['serial-1']);
    });
  });
}

describe('kit: Redis unreachable at start', () => {
  it('fails with a clear error naming the address, without retrying forever', async () => {
    const started = Date.now();
    const err = await openShared('redis://127.0.0.1:1', 'x:', pino({ level: 'silent' })).catch((e: Error) => e);
    expect(err).to.be.instanceOf(RedisUnreachable);
    expect((err as Error).message).to.match(/redis unreachable at redis:\/\/127\.0\.0\.1:1/);
    expect(Date.now() - started).to.be.lessThan(6_000);
  });
});
