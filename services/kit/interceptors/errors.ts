// Every non-OK status leaves with a google.rpc.Status, including those grpc-js makes itself.
import * as grpc from '@grpc/grpc-js';
import { DETAILS_KEY, encodeStatusDetails, RuqsatError } from '../errors.ts';

// Reasons for statuses made outside the handlers (the deadline cap, cancellation, an oversized reply).
const TRANSPORT_REASONS: Partial<Record<grpc.status, string>> = {
  [grpc.status.RESOURCE_EXHAUSTED]: 'MESSAGE_TOO_LARGE',
  [grpc.status.DEADLINE_EXCEEDED]: 'DEADLINE_EXCEEDED',
  [grpc.status.CANCELLED]: 'CANCELLED',
  [grpc.status.UNIMPLEMENTED]: 'METHOD_NOT_FOUND',
};

export const errorDetailsInterceptor: grpc.ServerInterceptor = (_method, call) =>
  new grpc.ServerInterceptingCall(
    call,
    new grpc.ResponderBuilder()
      .withSendStatus((status, next) => {
        if (status.code === grpc.status.OK || status.metadata?.get(DETAILS_KEY).length) return next(status);
        const reason = TRANSPORT_REASONS[status.code] ?? grpc.status[status.code];
        const metadata = status.metadata ?? new grpc.Metadata();
        const details = status.details ?? grpc.status[status.code];
        metadata.set(DETAILS_KEY, encodeStatusDetails(new RuqsatError(status.code, reason, details)));
        next({ ...status, details, metadata });
      })
      .build(),
  );
