// What every call needs on its way in and out, in one interception layer rather than one each: the request id
// (taken in, echoed in headers or a trailers-only reply), metrics, the log line, and google.rpc.Status details.
// On the way out the order is the one the separate layers had: metrics and the log see the status as the
// handler sent it, then details are attached, then the request id.
import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { releaseOnClose } from '../grpc/release.ts';
import { withStatusDetails } from './errors.ts';
import { callLog } from './logging.ts';
import { callMetrics } from './metrics.ts';
import { REQUEST_ID_KEY, takeRequestId } from './request-id.ts';

export function observeInterceptor(logger: Logger, registry: Registry): grpc.ServerInterceptor {
  const log = callLog(logger);
  const metrics = callMetrics(registry);
  return (method, call) => {
    // First in the chain, this interceptor holds grpc-js's base call, and so the stream to release.
    releaseOnClose(call);
    const ended = metrics(method.path);
    let requestId = '';
    let headersSent = false;
    return new grpc.ServerInterceptingCall(call, {
      start: (next) =>
        next({
          onReceiveMetadata: (metadata, nextMetadata) => {
            requestId = takeRequestId(metadata);
            nextMetadata(metadata);
          },
        }),
      sendMetadata: (metadata, next) => {
        headersSent = true;
        if (requestId) metadata.set(REQUEST_ID_KEY, requestId);
        next(metadata);
      },
      sendStatus: (status, next) => {
        log(method.path, call, requestId, ended(status.code), status);
        const out = withStatusDetails(status);
        // A trailers-only response never sent headers: carry the id in the trailers.
        if (headersSent || !requestId) return next(out);
        const metadata = out.metadata ?? new grpc.Metadata();
        metadata.set(REQUEST_ID_KEY, requestId);
        next({ ...out, metadata });
      },
    });
  };
}
