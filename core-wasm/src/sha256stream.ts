// Incremental SHA-256: a hasher whose state (8 words, ≤ 64 pending bytes, the length) lives in a small
// core block it owns, so any number can run at once. Input crosses into the core in slices of at most
// SLICE bytes through one shared staging block, so hashing a 4 GiB file never needs more core memory.
import { core, mem, scratch } from './wasm.ts';

/** The most bytes copied into the core per update call. */
export const SHA256_SLICE_BYTES = 1 << 20;
/** The portable state is 40 bytes plus the pending length % 64 bytes. */
export const SHA256_STATE_MAX_BYTES = 40 + 63;

let slicePtr = 0;
function slice(): number {
  if (!slicePtr) {
    slicePtr = core.alloc(SHA256_SLICE_BYTES);
    if (!slicePtr) throw new Error('Sha256: the trust core could not allocate its input block');
  }
  return slicePtr;
}

const RESULTS: Record<number, string> = { [-1]: 'not a live hasher handle', [-2]: 'already finalised', [-3]: 'a buffer outside core memory', [-4]: 'not a SHA-256 state (its length does not match its byte count)' };
function check(rc: number, what: string): void {
  if (rc < 0) throw new Error(`Sha256.${what}: ${RESULTS[rc] ?? `core result ${rc}`}`);
}

// A hasher dropped without digest() or free() gives its core block back when it is collected.
const FORK: unique symbol = Symbol('fork');
const abandoned = new FinalizationRegistry<number>((h) => core.sha256Free(h));

export class Sha256 {
  #handle: number;
  #length = 0;

  /** A new hasher. (The arguments are internal: copy() hands over a forked core handle.) */
  constructor(...internal: [typeof FORK, number] | []) {
    this.#handle = Sha256.#open(internal[0] === FORK ? internal[1]! : core.sha256Init());
    abandoned.register(this, this.#handle, this);
  }

  static #open(h: number): number {
    if (!h) throw new Error('Sha256: the trust core is out of memory for a new hasher');
    return h;
  }

  /** A hasher that continues from `state`, as returned by exportState() (possibly by another process). */
  static fromState(state: Uint8Array): Sha256 {
    if (!(state instanceof Uint8Array)) throw new TypeError('Sha256.fromState: the state must be a Uint8Array');
    const length = stateByteCount(state, 'Sha256.fromState');
    const h = new Sha256();
    const p = scratch(SHA256_STATE_MAX_BYTES);
    mem().set(state, p);
    const rc = core.sha256Load(h.#handle, p, state.length);
    if (rc < 0) {
      h.free();
      check(rc, 'fromState');
    }
    h.#length = length;
    return h;
  }

  /** Bytes hashed so far. */
  get length(): number {
    return this.#length;
  }

  #live(what: string): number {
    if (!this.#handle) throw new Error(`Sha256.${what}() after digest() or free(): a hasher is used once; copy() it first to keep going`);
    return this.#handle;
  }

  /** Feeds `bytes` (any length; copied into the core a slice at a time). */
  update(bytes: Uint8Array): this {
    const h = this.#live('update');
    if (!(bytes instanceof Uint8Array)) throw new TypeError('Sha256.update: expects a Uint8Array');
    const p = slice();
    for (let off = 0; off < bytes.length; off += SHA256_SLICE_BYTES) {
      const part = bytes.subarray(off, off + SHA256_SLICE_BYTES);
      mem().set(part, p);
      check(core.sha256Update(h, p, part.length), 'update');
    }
    this.#length += bytes.length;
    return this;
  }

  /** The SHA-256 of everything fed; ends the hasher and gives its core block back. */
  digest(): Uint8Array {
    const h = this.#live('digest');
    const out = scratch(32);
    check(core.sha256Final(h, out), 'digest');
    const d = mem().slice(out, out + 32);
    this.free();
    return d;
  }

  /** An independent hasher in the same state. */
  copy(): Sha256 {
    const c = new Sha256(FORK, core.sha256Copy(this.#live('copy')));
    c.#length = this.#length;
    return c;
  }

  /**
   * The state as portable bytes (40 + length % 64, at most 103): H0..H7 and the length big-endian, then the
   * pending bytes. fromState() continues it, so a service can store it beside what it acknowledged.
   */
  exportState(): Uint8Array {
    const h = this.#live('exportState');
    const out = scratch(SHA256_STATE_MAX_BYTES);
    const n = core.sha256Save(h, out);
    check(n, 'exportState');
    return mem().slice(out, out + n);
  }

  /** Gives the core block back without a digest (an abandoned upload); further use throws. */
  free(): void {
    if (!this.#handle) return;
    core.sha256Free(this.#handle);
    abandoned.unregister(this);
    this.#handle = 0;
  }
}

/** The byte count a portable state records (big-endian, after the eight words); `who` names the caller in errors. */
export function stateByteCount(state: Uint8Array, who: string): number {
  if (state.length < 40 || state.length > SHA256_STATE_MAX_BYTES) throw new Error(`${who}: a state is 40 to ${SHA256_STATE_MAX_BYTES} bytes, not ${state.length}`);
  return Number(new DataView(state.buffer, state.byteOffset + 32, 8).getBigUint64(0));
}
