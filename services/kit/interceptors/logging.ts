// One log line per finished call, with the request id, the caller, the status and the time taken.
import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { callerOf } from './caller.ts';
import type { OutgoingStatus } from './errors.ts';

/** `ms`: the call's time, as the metrics measured it. */
export type CallLog = (path: string, call: grpc.ServerInterceptingCallInterface, requestId: string, ms: number, status: OutgoingStatus) => void;

export function callLog(logger: Logger): CallLog {
  return (path, call, requestId, ms, status) => {
    // At warn and above a successful call writes nothing: build no line for it.
    if (status.code === grpc.status.OK && !logger.isLevelEnabled('info')) return;
    const line = { requestId: requestId || undefined, caller: callerOf(call), method: path, code: grpc.status[status.code], ms };
    if (status.code === grpc.status.OK) logger.info(line, 'call');
    else if (status.code === grpc.status.INTERNAL || status.code === grpc.status.UNKNOWN) logger.error({ ...line, details: status.details }, 'call failed');
    else logger.warn({ ...line, details: status.details }, 'call refused');
  };
}
