// Every call's request id: the caller's x-request-id when sane, a fresh one otherwise; echoed back by observe.ts.
import type * as grpc from '@grpc/grpc-js';
import { randomUUID } from 'node:crypto';

export const REQUEST_ID_KEY = 'x-request-id';
const SANE_ID = /^[\w.:-]{1,128}$/;

/** The id this call goes by, also set on `metadata` so handlers read it there. */
export function takeRequestId(metadata: grpc.Metadata): string {
  const given = metadata.get(REQUEST_ID_KEY)[0];
  const requestId = typeof given === 'string' && SANE_ID.test(given) ? given : randomUUID();
  metadata.set(REQUEST_ID_KEY, requestId);
  return requestId;
}
