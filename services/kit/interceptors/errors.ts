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

/** A status as interceptors pass it on (grpc-js's PartialStatusObject, which it does not export). */
export type OutgoingStatus = Pick<grpc.StatusObject, 'code' | 'details'> & { metadata?: grpc.Metadata | null };

/** `status` with details attached when it is an error that carries none yet. */
export function withStatusDetails(status: OutgoingStatus): OutgoingStatus {
  if (status.code === grpc.status.OK || status.metadata?.get(DETAILS_KEY).length) return status;
  const reason = TRANSPORT_REASONS[status.code] ?? grpc.status[status.code];
  const metadata = status.metadata ?? new grpc.Metadata();
  const details = status.details ?? grpc.status[status.code];
  metadata.set(DETAILS_KEY, encodeStatusDetails(new RuqsatError(status.code, reason, details)));
  return { ...status, details, metadata };
}
