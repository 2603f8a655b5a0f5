// A lean gRPC unary caller for the paced phases, straight on a TCP socket: HTTP/2 frames written by hand, the
// header block HPACK-encoded once (literals, no dynamic table), replies parsed without decoding their headers.
// Node's http2 client keeps per-stream objects past young collections, so its own pauses showed in the tail it
// measured; here a call costs a frame buffer, a map entry and its reply.
import net from 'node:net';

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');
const enum Type { DATA = 0, HEADERS = 1, RST_STREAM = 3, SETTINGS = 4, PING = 6, GOAWAY = 7, WINDOW_UPDATE = 8 }
const END_STREAM = 0x1;
const END_HEADERS = 0x4;
const ACK = 0x1;
const INITIAL_WINDOW_SIZE = 0x4;

/** The gRPC length-prefixed frame of one uncompressed message. */
export function frame(message: Uint8Array): Buffer {
  const framed = Buffer.alloc(5 + message.length);
  framed.writeUInt32BE(message.length, 1);
  framed.set(message, 5);
  return framed;
}

/** HPACK integer with an n-bit prefix (RFC 7541 §5.1). */
function integer(value: number, n: number, first: number): number[] {
  const max = (1 << n) - 1;
  if (value < max) return [first | value];
  const out = [first | max];
  for (value -= max; value >= 128; value >>= 7) out.push((value & 127) | 128);
  out.push(value);
  return out;
}

const text = (s: string) => [...integer(Buffer.byteLength(s), 7, 0), ...Buffer.from(s)];
/** A literal header field without indexing, its name from the static table (index > 0) or literal (0). */
const literal = (index: number, name: string, value: string) => [...integer(index, 4, 0), ...(index ? [] : text(name)), ...text(value)];

function frameHeader(length: number, type: Type, flags: number, stream: number, into: Buffer, at = 0): void {
  into.writeUIntBE(length, at, 3);
  into[at + 3] = type;
  into[at + 4] = flags;
  into.writeUInt32BE(stream, at + 5);
}

interface Call {
  done: (err: Error | null, reply?: Buffer) => void;
  data?: Buffer;
}

export class H2Unary {
  private readonly socket: net.Socket;
  private readonly calls = new Map<number, Call>();
  private readonly blocks = new Map<string, Buffer>();
  private readonly authority: string;
  private nextStream = 1;
  private sendWindow = 65_535;
  private readonly waiting: Array<() => void> = [];
  private input = Buffer.alloc(0);
  private failed?: Error;

  constructor(address: string) {
    this.authority = address;
    this.socket = net.connect(Number(address.slice(address.lastIndexOf(':') + 1)), address.slice(0, address.lastIndexOf(':')));
    this.socket.setNoDelay(true);
    const settings = Buffer.alloc(9 + 12);
    frameHeader(12, Type.SETTINGS, 0, 0, settings);
    settings.writeUInt16BE(0x2, 9); // ENABLE_PUSH 0
    settings.writeUInt32BE(0, 11);
    settings.writeUInt16BE(INITIAL_WINDOW_SIZE, 15);
    settings.writeUInt32BE(1 << 20, 17);
    // Replies never wait on the connection window: it is opened wide once.
    const update = Buffer.alloc(13);
    frameHeader(4, Type.WINDOW_UPDATE, 0, 0, update);
    update.writeUInt32BE(2 ** 30, 9);
    this.socket.write(Buffer.concat([PREFACE, settings, update]));
    this.socket.on('data', (chunk: Buffer) => this.read(chunk));
    this.socket.on('error', (err) => this.fail(err));
    this.socket.on('close', () => this.fail(new Error('connection closed')));
  }

  /** Calls `path` with `framed`; `done` gets the reply's message bytes, or an error when no message came back. */
  call(path: string, framed: Buffer, done: (err: Error | null, reply?: Buffer) => void): void {
    if (this.failed) return done(this.failed);
    if (this.sendWindow < framed.length) {
      this.waiting.push(() => this.call(path, framed, done));
      return;
    }
    this.sendWindow -= framed.length;
    const block = this.block(path);
    const stream = this.nextStream;
    this.nextStream += 2;
    const out = Buffer.allocUnsafe(9 + block.length + 9 + framed.length);
    frameHeader(block.length, Type.HEADERS, END_HEADERS, stream, out);
    block.copy(out, 9);
    frameHeader(framed.length, Type.DATA, END_STREAM, stream, out, 9 + block.length);
    framed.copy(out, 18 + block.length);
    this.calls.set(stream, { done });
    this.socket.write(out);
  }

  close(): void {
    this.socket.destroy();
  }

  private block(path: string): Buffer {
    let b = this.blocks.get(path);
    if (!b) {
      // :method POST and :scheme http from the static table; :path, :authority, content-type by static name.
      b = Buffer.from([0x83, 0x86, ...literal(4, ':path', path), ...literal(1, ':authority', this.authority), ...literal(31, 'content-type', 'application/grpc'), ...literal(0, 'te', 'trailers'), ...literal(0, 'grpc-timeout', '10S')]);
      this.blocks.set(path, b);
    }
    return b;
  }

  private read(chunk: Buffer): void {
    const buf = this.input.length ? Buffer.concat([this.input, chunk]) : chunk;
    let at = 0;
    while (buf.length - at >= 9) {
      const length = buf.readUIntBE(at, 3);
      if (buf.length - at < 9 + length) break;
      const type = buf[at + 3]!;
      const flags = buf[at + 4]!;
      const stream = buf.readUInt32BE(at + 5) & 0x7fffffff;
      this.frame(type, flags, stream, buf.subarray(at + 9, at + 9 + length));
      at += 9 + length;
    }
    this.input = at === buf.length ? Buffer.alloc(0) : Buffer.from(buf.subarray(at));
  }

  private frame(type: number, flags: number, stream: number, payload: Buffer): void {
    switch (type) {
      case Type.DATA: {
        const c = this.calls.get(stream);
        if (c) c.data = c.data ? Buffer.concat([c.data, payload]) : Buffer.from(payload);
        if (c && flags & END_STREAM) this.end(stream, c);
        return;
      }
      case Type.HEADERS: {
        // Response headers, or the trailers that end the call (their grpc-status is not decoded: a reply without a
        // message, trailers-only, is an error; a reply with one is checked by the caller).
        const c = this.calls.get(stream);
        if (c && flags & END_STREAM) this.end(stream, c);
        return;
      }
      case Type.RST_STREAM: {
        const c = this.calls.get(stream);
        if (c) {
          this.calls.delete(stream);
          c.done(new Error(`stream reset with code ${payload.readUInt32BE(0)}`));
        }
        return;
      }
      case Type.SETTINGS:
        if (!(flags & ACK)) {
          const ack = Buffer.alloc(9);
          frameHeader(0, Type.SETTINGS, ACK, 0, ack);
          this.socket.write(ack);
        }
        return;
      case Type.PING:
        if (!(flags & ACK)) {
          const pong = Buffer.alloc(17);
          frameHeader(8, Type.PING, ACK, 0, pong);
          payload.copy(pong, 9);
          this.socket.write(pong);
        }
        return;
      case Type.GOAWAY:
        return this.fail(new Error(`GOAWAY with code ${payload.readUInt32BE(4)}`));
      case Type.WINDOW_UPDATE:
        if (stream === 0) {
          this.sendWindow += payload.readUInt32BE(0) & 0x7fffffff;
          for (const resume of this.waiting.splice(0)) resume();
        }
        return;
    }
  }

  private end(stream: number, c: Call): void {
    this.calls.delete(stream);
    if (!c.data || c.data.length < 5) return c.done(new Error('the call ended without a reply message'));
    c.done(null, c.data.subarray(5, 5 + c.data.readUInt32BE(1)));
  }

  private fail(err: Error): void {
    if (this.failed) return;
    this.failed = err;
    for (const c of this.calls.values()) c.done(err);
    this.calls.clear();
  }
}
