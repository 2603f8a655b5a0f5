// One log line per finished call, with the request id, the caller, the status and the time taken.
import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { callerOf } from './caller.ts';
import { REQUEST_ID_KEY } from './request-id.ts';

export function loggingInterceptor(logger: Logger): grpc.ServerInterceptor {
  return (method, call) => {
    const started = process.hrtime.bigint();
    let requestId: unknown;
    return new grpc.ServerInterceptingCall(
      call,
      new grpc.ResponderBuilder()
        .withStart((next) =>
          next(
            new grpc.ServerListenerBuilder()
              .withOnReceiveMetadata((metadata, nextMetadata) => {
                requestId = metadata.get(REQUEST_ID_KEY)[0];
                nextMetadata(metadata);
              })
              .build(),
          ),
        )
        .withSendStatus((status, next) => {
          // At warn and above a successful call writes nothing: build no line for it.
          if (status.code === grpc.status.OK && !logger.isLevelEnabled('info')) return next(status);
          const ms = Number(process.hrtime.bigint() - started) / 1e6;
          const line = { requestId, caller: callerOf(call), method: method.path, code: grpc.status[status.code], ms };
          if (status.code === grpc.status.OK) logger.info(line, 'call');
          else if (status.code === grpc.status.INTERNAL || status.code === grpc.status.UNKNOWN) logger.error({ ...line, details: status.details }, 'call failed');
          else logger.warn({ ...line, details: status.details }, 'call refused');
          next(status);
        })
        .build(),
    );
  };
}
