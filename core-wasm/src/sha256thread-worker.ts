// The worker side of Sha256Thread: its own instance of the core, hashers by id, requests answered in order.
import { parentPort } from 'node:worker_threads';
import { Sha256 } from './sha256stream.ts';
import type { ThreadReply, ThreadRequest } from './sha256thread.ts';

const port = parentPort!;
const hashers = new Map<number, Sha256>();

function handle(m: ThreadRequest): ThreadReply | undefined {
  switch (m.op) {
    case 'open':
      hashers.set(m.id, m.state ? Sha256.fromState(m.state) : new Sha256());
      return undefined;
    case 'update': {
      const h = hashers.get(m.id);
      // A hasher that failed to open (or was freed) answers its next state or digest request with the failure.
      if (h) h.update(new Uint8Array(m.buffer, m.offset, m.length));
      return { op: 'hashed', bytes: m.length };
    }
    case 'state':
      return { op: 'result', seq: m.seq, value: live(m.id).exportState() };
    case 'digest': {
      const value = live(m.id).digest();
      hashers.delete(m.id);
      return { op: 'result', seq: m.seq, value };
    }
    case 'free':
      hashers.get(m.id)?.free();
      hashers.delete(m.id);
      return undefined;
  }
}

function live(id: number): Sha256 {
  const h = hashers.get(id);
  if (!h) throw new Error(`hasher ${id} is not open in the hashing thread`);
  return h;
}

port.on('message', (m: ThreadRequest) => {
  let reply: ThreadReply | undefined;
  try {
    reply = handle(m);
  } catch (err) {
    // An update that throws (core out of memory) loses that hasher: its later requests fail instead of lying.
    if (m.op === 'update' || m.op === 'open') {
      hashers.get(m.id)?.free();
      hashers.delete(m.id);
    }
    reply = 'seq' in m ? { op: 'result', seq: m.seq, error: String((err as Error).message ?? err) } : m.op === 'update' ? { op: 'hashed', bytes: m.length } : undefined;
  }
  if (reply) port.postMessage(reply);
});
