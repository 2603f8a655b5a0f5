// Adapts async handlers to grpc-js: a thrown error leaves as a google.rpc.Status, nothing else does.
import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { toRuqsatError, toServiceError } from '../errors.ts';
import { callerOf } from '../interceptors/caller.ts';
import { REQUEST_ID_KEY } from '../interceptors/request-id.ts';

export interface CallContext {
  requestId: string;
  caller: string;
  log: Logger;
  /** Fires when the caller cancels or the deadline passes; pass it to long work. */
  signal: AbortSignal;
}

type AnyCall = grpc.ServerUnaryCall<unknown, unknown> | grpc.ServerWritableStream<unknown, unknown> | grpc.ServerReadableStream<unknown, unknown>;

// A class, not an object literal with getters: a literal's getters are new functions on every call, each context then
// gets a hidden class of its own, and those outlived their calls until a full collection, with all the call reached.
class Context implements CallContext {
  readonly requestId: string;
  #log?: Logger;
  #controller?: AbortController;

  constructor(
    private readonly call: AnyCall,
    private readonly logger: Logger,
  ) {
    this.requestId = String(call.metadata.get(REQUEST_ID_KEY)[0] ?? '');
  }

  get caller(): string {
    return callerOf(this.call);
  }

  // Made on first use: most calls never log and never wait on anything cancellable.
  get log(): Logger {
    return (this.#log ??= this.logger.child({ requestId: this.requestId, caller: callerOf(this.call) }));
  }

  get signal(): AbortSignal {
    if (!this.#controller) {
      const c = (this.#controller = new AbortController());
      if (this.call.cancelled) c.abort();
      else (this.call as grpc.ServerUnaryCall<unknown, unknown>).once('cancelled', () => c.abort());
    }
    return this.#controller.signal;
  }
}

const contextOf = (call: AnyCall, logger: Logger): CallContext => new Context(call, logger);

export function unary<Req, Res>(logger: Logger, fn: (request: Req, ctx: CallContext) => Promise<Res>): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    const ctx = contextOf(call, logger);
    fn(call.request, ctx).then(
      (response) => callback(null, response),
      (err: unknown) => {
        const error = toRuqsatError(err);
        if (error.code === grpc.status.INTERNAL) ctx.log.error({ err }, 'unexpected error');
        callback(toServiceError(error, ctx.requestId));
      },
    );
  };
}

/**
 * A client-streaming handler: `fn` reads the requests as an async iterable, one at a time (so the
 * transport applies back-pressure), and returns the single response. A cancelled call ends the
 * iteration with an error, so `fn` never waits for messages that will not come.
 */
export function clientStreaming<Req, Res>(logger: Logger, fn: (requests: AsyncIterable<Req>, ctx: CallContext) => Promise<Res>): grpc.handleClientStreamingCall<Req, Res> {
  return (call, callback) => {
    const ctx = contextOf(call as AnyCall, logger);
    call.once('cancelled', () => call.destroy(new Error('call cancelled by the client')));
    fn(call as AsyncIterable<Req>, ctx).then(
      (response) => callback(null, response),
      (err: unknown) => {
        if (call.cancelled) return;
        const error = toRuqsatError(err);
        if (error.code === grpc.status.INTERNAL) ctx.log.error({ err }, 'unexpected error');
        callback(toServiceError(error, ctx.requestId));
      },
    );
  };
}
