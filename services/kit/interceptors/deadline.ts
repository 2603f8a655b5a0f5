// Every unary call ends by its deadline, or by the server's cap when the caller set none.
import * as grpc from '@grpc/grpc-js';

export function deadlineInterceptor(maxCallMs: number): grpc.ServerInterceptor {
  // grpc-js types the result as its class, but uses only the interface the call passed in already has.
  const asIs = (call: grpc.ServerInterceptingCallInterface) => call as grpc.ServerInterceptingCall;
  return (method, call) => {
    // No timer, no layer: the call itself goes on to the handler.
    if (method.responseStream || method.requestStream) return asIs(call);
    const deadline = call.getDeadline();
    const callerMs = deadline instanceof Date ? deadline.getTime() - Date.now() : deadline - Date.now();
    // grpc-js already ends a call at the caller's own deadline; a timer is needed only above the cap.
    if (Number.isFinite(callerMs) && callerMs <= maxCallMs) return asIs(call);
    const ms = maxCallMs;
    let finished = false;
    let timer: NodeJS.Timeout | undefined;
    return new grpc.ServerInterceptingCall(
      call,
      new grpc.ResponderBuilder()
        .withStart((next) => {
          timer = setTimeout(() => {
            if (finished) return;
            finished = true;
            call.sendStatus({ code: grpc.status.DEADLINE_EXCEEDED, details: `deadline of ${Math.round(ms)} ms exceeded` });
          }, ms);
          timer.unref();
          next();
        })
        .withSendMessage((message, next) => {
          if (!finished) next(message);
        })
        .withSendStatus((status, next) => {
          clearTimeout(timer);
          if (finished) return;
          finished = true;
          next(status);
        })
        .build(),
    );
  };
}
