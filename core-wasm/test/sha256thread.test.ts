// Sha256Thread: the worker-thread hasher agrees with node:crypto and with the in-thread Sha256 (states are
// interchangeable), hands over only bytes nobody else holds, and fails — never answers wrongly — once its thread is gone.
import { expect } from 'chai';
import { createHash, randomBytes } from 'node:crypto';
import { Sha256, Sha256Thread } from '../src/index.ts';

const nodeSha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const hexOf = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('Sha256Thread', () => {
  const thread = new Sha256Thread();
  after(() => thread.close());

  it('hashes pieces of every size like node:crypto, states and digests in request order', async () => {
    const data = randomBytes(5 * 1024 * 1024 + 77);
    const h = thread.hasher();
    const cuts = [0, 1, 63, 64, 65, 4096, 1 << 20, 3 * (1 << 20) + 5, data.length];
    const states: Promise<Uint8Array>[] = [];
    for (let i = 1; i < cuts.length; i++) {
      // Copies handed over (giveUp) and views copied by the thread: both paths.
      const piece = data.subarray(cuts[i - 1]!, cuts[i]!);
      await h.update(i % 2 ? Buffer.from(piece) : piece, i % 2 === 1);
      states.push(h.exportState());
    }
    expect(h.length).to.equal(data.length);
    expect(hexOf(await h.digest())).to.equal(nodeSha(data));
    // Each state equals the in-thread hasher's after the same bytes.
    for (let i = 1; i < cuts.length; i++) {
      const local = new Sha256().update(data.subarray(0, cuts[i]!));
      expect(hexOf(await states[i - 1]!)).to.equal(hexOf(local.exportState()));
      local.free();
    }
    expect(data.subarray(0, 4).length).to.equal(4); // the caller's views were copied, not detached
  });

  it('continues from a state exported by the in-thread Sha256, and the other way round', async () => {
    const data = randomBytes(300_000);
    const local = new Sha256().update(data.subarray(0, 100_001));
    const h = thread.hasher(local.exportState());
    local.free();
    expect(h.length).to.equal(100_001);
    await h.update(data.subarray(100_001, 200_000));
    const back = Sha256.fromState(await h.exportState());
    expect(hexOf(back.update(data.subarray(200_000)).digest())).to.equal(nodeSha(data));
    h.free();
  });

  it('refuses a malformed state at once, and use after digest', async () => {
    expect(() => thread.hasher(new Uint8Array(12))).to.throw(/40 to 103 bytes/);
    const h = thread.hasher();
    await h.digest();
    expect(() => h.update(new Uint8Array(1))).to.throw(/after digest/);
  });

  it('a hasher whose thread is gone fails; the next hasher gets a new thread', async () => {
    const mine = new Sha256Thread();
    const h = mine.hasher();
    await h.update(randomBytes(1000));
    const pending = h.exportState().then(
      () => expect.fail('a state from a closed thread'),
      (err: Error) => expect(err.message).to.match(/hashing thread was closed|not open/),
    );
    await mine.close();
    await pending;
    expect(() => h.update(new Uint8Array(1))).to.throw(/thread was lost/);
    const again = mine.hasher();
    await again.update(Buffer.from('abc'));
    expect(hexOf(await again.digest())).to.equal(nodeSha(Buffer.from('abc')));
    await mine.close();
  });
});
