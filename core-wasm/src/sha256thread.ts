// Incremental SHA-256 in the core on a worker thread, so a service hashes a stream's bytes while its event loop
// goes on receiving and writing them. Requests run in the order they are made, so a state or digest asked for
// after some updates covers exactly those bytes. Bytes are transferred, not copied, when the caller gives them up.
import { Worker } from 'node:worker_threads';
import { stateByteCount } from './sha256stream.ts';

export type ThreadRequest =
  | { op: 'open'; id: number; state?: Uint8Array }
  | { op: 'update'; id: number; buffer: ArrayBuffer; offset: number; length: number }
  | { op: 'state' | 'digest'; id: number; seq: number }
  | { op: 'free'; id: number };

export type ThreadReply = { op: 'hashed'; bytes: number } | { op: 'result'; seq: number; value?: Uint8Array; error?: string };

/** Bytes queued to the thread beyond which update() waits: bounds what a fast sender can pile up in memory. */
const MAX_QUEUED_BYTES = 32 * 1024 * 1024;

type Pending = { resolve: (v: Uint8Array) => void; reject: (e: Error) => void };

/** One worker with its own core; hashers made by it live there. Idle, it does not keep the process alive. */
export class Sha256Thread {
  #worker?: Worker;
  #nextId = 1;
  #nextSeq = 1;
  #queued = 0;
  #pending = new Map<number, Pending>();
  #drained: Array<() => void> = [];
  /** Bumped when a worker is lost: hashers of an earlier generation fail rather than read another's state. */
  #generation = 0;

  /** A new hasher, or one continuing from a state exported by Sha256 or by this class. */
  hasher(state?: Uint8Array): ThreadHasher {
    const id = this.#nextId++;
    this.#post({ op: 'open', id, state: state ? new Uint8Array(state) : undefined });
    return new ThreadHasher(this, id, this.#generation, state ? stateByteCount(state, 'Sha256Thread') : 0);
  }

  /** Stops the worker; hashers still open fail (a later hasher starts a new one). */
  async close(): Promise<void> {
    const w = this.#worker;
    if (!w) return;
    this.#lost(w, 'was closed');
    await w.terminate();
  }

  get generation(): number {
    return this.#generation;
  }

  /** Queues `bytes` for hasher `id`; resolves once the queue is short enough to take more. */
  update(id: number, bytes: Uint8Array, transfer: boolean): Promise<void> {
    // Only an ArrayBuffer that holds nothing else may be handed over; anything else is copied first.
    const own = transfer && bytes.byteLength >= 4096 && bytes.buffer instanceof ArrayBuffer && bytes.buffer.byteLength - bytes.byteLength < 1024;
    const data = own ? bytes : new Uint8Array(bytes); // (a Buffer's slice() would be a view, not a copy)
    this.#queued += data.byteLength;
    this.#post({ op: 'update', id, buffer: data.buffer as ArrayBuffer, offset: data.byteOffset, length: data.byteLength }, [data.buffer as ArrayBuffer]);
    if (this.#queued < MAX_QUEUED_BYTES) return Promise.resolve();
    return new Promise((resolve) => this.#drained.push(resolve));
  }

  request(op: 'state' | 'digest', id: number): Promise<Uint8Array> {
    const seq = this.#nextSeq++;
    const p = new Promise<Uint8Array>((resolve, reject) => this.#pending.set(seq, { resolve, reject }));
    this.#post({ op, id, seq });
    return p;
  }

  free(id: number): void {
    if (this.#worker) this.#post({ op: 'free', id });
  }

  #post(m: ThreadRequest, transfer: ArrayBuffer[] = []): void {
    const w = this.#start();
    w.postMessage(m, transfer);
    // Work under way keeps the process alive until it is answered; an idle thread does not.
    if (m.op === 'update' || m.op === 'state' || m.op === 'digest') w.ref();
  }

  #idle(): void {
    if (this.#queued === 0 && this.#pending.size === 0) this.#worker?.unref();
  }

  #start(): Worker {
    if (this.#worker) return this.#worker;
    // The worker loads its own core; its entry registers tsx (this thread's flags and hooks are not passed on).
    const w = new Worker(new URL('./sha256thread-boot.mjs', import.meta.url), { execArgv: [] });
    // Replies still queued from a worker already given up on (closed, failed) answer nothing any more.
    w.on('message', (m: ThreadReply) => this.#worker === w && this.#reply(m));
    w.on('error', (err) => this.#lost(w, `failed: ${err.message}`));
    w.on('exit', (code) => this.#lost(w, `exited with code ${code}`));
    w.unref(); // after the listeners: adding one refs the worker again
    this.#worker = w;
    return w;
  }

  /** Everything asked of worker `w` fails: its hashers' states are gone with it. */
  #lost(w: Worker, why: string): void {
    if (this.#worker !== w) return;
    this.#worker = undefined;
    this.#generation++;
    this.#queued = 0;
    for (const p of this.#pending.values()) p.reject(new Error(`the hashing thread ${why}`));
    this.#pending.clear();
    for (const d of this.#drained.splice(0)) d();
  }

  #reply(m: ThreadReply): void {
    if (m.op === 'hashed') {
      this.#queued -= m.bytes;
      if (this.#queued < MAX_QUEUED_BYTES) for (const d of this.#drained.splice(0)) d();
      this.#idle();
      return;
    }
    const p = this.#pending.get(m.seq);
    this.#pending.delete(m.seq);
    this.#idle();
    if (m.error !== undefined) p?.reject(new Error(m.error));
    else p?.resolve(m.value!);
  }
}

/** A hasher living in a Sha256Thread: updates return at once (or when the queue drains); results are promises. */
export class ThreadHasher {
  #length: number;
  #open = true;

  constructor(
    private readonly thread: Sha256Thread,
    private readonly id: number,
    private readonly generation: number,
    length: number,
  ) {
    this.#length = length;
  }

  /** Bytes fed so far. */
  get length(): number {
    return this.#length;
  }

  /** Feeds `bytes`; with `giveUp`, the caller will not touch them again and they move to the thread uncopied. */
  update(bytes: Uint8Array, giveUp = false): Promise<void> {
    this.#check('update');
    this.#length += bytes.byteLength;
    return this.thread.update(this.id, bytes, giveUp);
  }

  /** The portable state after every byte fed before this call (as Sha256.exportState). */
  exportState(): Promise<Uint8Array> {
    this.#check('exportState');
    return this.thread.request('state', this.id);
  }

  /** The SHA-256 of every byte fed before this call; ends the hasher. */
  digest(): Promise<Uint8Array> {
    this.#check('digest');
    this.#open = false;
    return this.thread.request('digest', this.id);
  }

  free(): void {
    if (!this.#open) return;
    this.#open = false;
    if (this.generation === this.thread.generation) this.thread.free(this.id);
  }

  #check(what: string): void {
    if (!this.#open) throw new Error(`ThreadHasher.${what}() after digest() or free()`);
    if (this.generation !== this.thread.generation) throw new Error(`ThreadHasher.${what}(): the hashing thread was lost, and this hasher with it`);
  }
}
