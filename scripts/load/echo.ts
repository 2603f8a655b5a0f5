// The baseline: a bare grpc-js echo on loopback, loaded by the same workers in the same mode, so the
// report can say what the service costs over gRPC itself on this machine at this moment.
import * as grpc from '@grpc/grpc-js';
import { clientFor } from '../../services/kit/grpc/client.ts';
import type { Call, Inputs } from './scenarios.ts';

const raw = (b: Buffer) => b;
const ECHO = { echo: { path: '/ruqsat.load.Echo/Echo', requestStream: false, responseStream: false, requestSerialize: raw, requestDeserialize: raw, responseSerialize: raw, responseDeserialize: raw } };
const EchoClient = grpc.makeGenericClientConstructor(ECHO, 'Echo');
type Echo = grpc.Client & { echo(req: Buffer, metadata: grpc.Metadata, options: grpc.CallOptions, cb: (err: grpc.ServiceError | null) => void): void };

export async function startEcho(): Promise<{ address: string; stop(): Promise<void> }> {
  const server = new grpc.Server();
  server.addService(ECHO, { echo: (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => cb(null, call.request) });
  const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
  return { address: `127.0.0.1:${port}`, stop: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())) };
}

/** In a worker: echo a payload as large as the scenario's request. */
export function echoCaller(inputs: Inputs, address: string): Call {
  const client = clientFor(EchoClient, address) as unknown as Echo;
  const payload = Buffer.alloc(Number(inputs.bytes), 0x61);
  return (_seq, done) => client.echo(payload, new grpc.Metadata(), { deadline: Date.now() + 10_000 }, (err) => done(err ? (grpc.status[err.code] ?? `CODE_${err.code}`) : 'OK'));
}
