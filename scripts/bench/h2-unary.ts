// A lean gRPC unary caller for the paced phases: one HTTP/2 session, the request framed once, and no channel,
// filter or interceptor stack per call, so the load generator's own work and garbage stay out of the tail it measures.
import http2 from 'node:http2';

/** The gRPC length-prefixed frame of one uncompressed message. */
export function frame(message: Uint8Array): Buffer {
  const framed = Buffer.alloc(5 + message.length);
  framed.writeUInt32BE(message.length, 1);
  framed.set(message, 5);
  return framed;
}

export class H2Unary {
  private readonly session: http2.ClientHttp2Session;

  constructor(address: string) {
    this.session = http2.connect(`http://${address}`);
    this.session.on('error', () => undefined);
  }

  /** Calls `path` with `framed`; `done` gets the reply's message bytes, or an error for any status but OK. */
  call(path: string, framed: Buffer, done: (err: Error | null, reply?: Buffer) => void): void {
    const stream = this.session.request({ ':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers', 'grpc-timeout': '10S' });
    const chunks: Buffer[] = [];
    let status: unknown;
    stream.on('response', (headers) => (status = headers['grpc-status'] ?? status)); // a trailers-only reply
    stream.on('trailers', (trailers) => (status = trailers['grpc-status']));
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('error', () => undefined);
    stream.on('close', () => {
      if (String(status) !== '0') return done(new Error(`grpc-status ${String(status)}`));
      done(null, Buffer.concat(chunks).subarray(5));
    });
    stream.end(framed);
  }

  close(): void {
    this.session.close();
  }
}
