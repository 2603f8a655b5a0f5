// Promise wrappers and status assertions for tests that call real servers.
import * as grpc from '@grpc/grpc-js';
import { expect } from 'chai';
import { decodeStatusDetails, type DecodedStatus } from '../../services/kit/errors.ts';

type Callback<Res> = (err: grpc.ServiceError | null, res: Res) => void;
type UnaryMethod<Req, Res> = (req: Req, metadata: grpc.Metadata, options: Partial<grpc.CallOptions>, callback: Callback<Res>) => grpc.ClientUnaryCall;

/** Calls a unary method; resolves with the response and the response headers. */
export function call<Req, Res>(method: UnaryMethod<Req, Res>, req: Req, metadata = new grpc.Metadata(), deadlineMs = 10_000): Promise<{ response: Res; headers: grpc.Metadata }> {
  return new Promise((resolve, reject) => {
    let headers = new grpc.Metadata();
    const unary = method(req, metadata, { deadline: Date.now() + deadlineMs }, (err, response) => (err ? reject(err) : resolve({ response, headers })));
    unary.on('metadata', (m) => (headers = m));
  });
}

/** Calls a unary method that must fail; returns the error and its decoded google.rpc.Status. */
export async function callFails<Req, Res>(method: UnaryMethod<Req, Res>, req: Req, code: grpc.status, metadata?: grpc.Metadata): Promise<{ error: grpc.ServiceError; status: DecodedStatus }> {
  try {
    await call(method, req, metadata);
  } catch (err) {
    const error = err as grpc.ServiceError;
    expect(grpc.status[error.code], error.details).to.equal(grpc.status[code]);
    const status = decodeStatusDetails(error.metadata);
    expect(status, 'google.rpc.Status in grpc-status-details-bin').to.not.equal(undefined);
    expect(status!.code).to.equal(code);
    return { error, status: status! };
  }
  throw new Error(`expected ${grpc.status[code]}, but the call succeeded`);
}

/** Binds a generated client's method so it can be passed around. */
export function bind<C extends grpc.Client, K extends keyof C>(client: C, name: K): C[K] {
  return (client[name] as (...args: unknown[]) => unknown).bind(client) as C[K];
}
