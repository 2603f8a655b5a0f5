// Gives every call a request id (the caller's x-request-id when sane) and echoes it back.
import * as grpc from '@grpc/grpc-js';
import { randomUUID } from 'node:crypto';

export const REQUEST_ID_KEY = 'x-request-id';
const SANE_ID = /^[\w.:-]{1,128}$/;

export const requestIdInterceptor: grpc.ServerInterceptor = (_method, call) => {
  let requestId = '';
  let headersSent = false;
  return new grpc.ServerInterceptingCall(
    call,
    new grpc.ResponderBuilder()
      .withStart((next) =>
        next(
          new grpc.ServerListenerBuilder()
            .withOnReceiveMetadata((metadata, nextMetadata) => {
              const given = metadata.get(REQUEST_ID_KEY)[0];
              requestId = typeof given === 'string' && SANE_ID.test(given) ? given : randomUUID();
              metadata.set(REQUEST_ID_KEY, requestId);
              nextMetadata(metadata);
            })
            .build(),
        ),
      )
      .withSendMetadata((metadata, next) => {
        headersSent = true;
        if (requestId) metadata.set(REQUEST_ID_KEY, requestId);
        next(metadata);
      })
      .withSendStatus((status, next) => {
        // A trailers-only response never sent headers: carry the id in the trailers.
        if (!headersSent && requestId) {
          const metadata = status.metadata ?? new grpc.Metadata();
          metadata.set(REQUEST_ID_KEY, requestId);
          return next({ ...status, metadata });
        }
        next(status);
      })
      .build(),
  );
};
