// The per-process state cache's fence: a read that overlapped a write is never cached after it.
import { expect } from 'chai';
import type { Knex } from 'knex';
import type { LiveState } from '../../services/permit/domain/check.ts';
import { PermitStates } from '../../services/permit/states.ts';

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
    const states = new PermitStates(w.read, true);
    const first = states.get('N');
    await w.flush();
    expect((await first)!.lines[0]!.remaining).to.equal(10n);
    expect((await states.get('N'))!.lines[0]!.remaining).to.equal(10n);
    expect(w.reads()).to.equal(1);
  });

  it('does not cache a read that began before a write committed, nor reads while a write is open', async () => {
    const w = world();
    const states = new PermitStates(w.read, true);
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
    const states = new PermitStates(w.read, false);
    for (let i = 0; i < 3; i++) {
      const r = states.get('N');
      await w.flush();
      await r;
    }
    expect(w.reads()).to.equal(3);
  });
});
