// Authentication, access rights and rate limits in one place, before any handler runs: a refused
// call reaches no handler, so it changes nothing; it is logged and counted like any other.
import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import type { AccessRights } from '../access/rights.ts';
import type { Counters } from '../counters.ts';
import { RuqsatError, toServiceError } from '../errors.ts';
import type { MeshAuthenticator } from '../tls/authenticator.ts';

export interface AccessOptions {
  authenticator: MeshAuthenticator;
  rights: AccessRights;
  counters: Counters;
  registry: Registry;
  logger: Logger;
}

function refusals(registry: Registry): Counter<'method' | 'caller' | 'reason'> {
  const name = 'ruqsat_access_refused_total';
  return (registry.getSingleMetric(name) as Counter<'method' | 'caller' | 'reason'>) ?? new Counter({ name, help: 'Calls refused before their handler: unauthenticated, no right, rate-limited', labelNames: ['method', 'caller', 'reason'], registers: [registry] });
}

export function accessInterceptor(o: AccessOptions): grpc.ServerInterceptor {
  const refused = refusals(o.registry);
  let limiterDown = false;
  return (method, call) => {
    const refuse = (err: RuqsatError, caller: string) => {
      refused.inc({ method: method.path, caller, reason: err.reason });
      call.sendStatus(toServiceError(err) as grpc.StatusObject);
    };
    return new grpc.ServerInterceptingCall(
      call,
      new grpc.ResponderBuilder()
        .withStart((next) =>
          next(
            new grpc.ServerListenerBuilder()
              .withOnReceiveMetadata((metadata, nextMetadata) => {
                const who = o.authenticator.authenticate(call.getAuthContext()?.sslPeerCertificate, method.path);
                if (who instanceof RuqsatError) {
                  o.logger.warn({ peer: call.getPeer(), method: method.path, reason: who.reason }, 'caller not authenticated');
                  // The metric's caller label stays bounded: peers' addresses would make a series per connection.
                  return refuse(who, 'unauthenticated');
                }
                const decision = o.rights.decide(who.id, method.path);
                if (!decision.allowed) {
                  o.logger.warn({ caller: who.id, groups: decision.groups, method: method.path }, 'access denied');
                  return refuse(new RuqsatError(grpc.status.PERMISSION_DENIED, 'ACCESS_DENIED', `${who.id} has no right to call ${method.path}`, { caller: who.id, method: method.path }), who.id);
                }
                if (decision.perSecond === undefined) return nextMetadata(metadata);
                const second = Math.floor(Date.now() / 1000);
                o.counters.hit(`rate:${who.id}:${second}`, 2_000).then(
                  (count) => {
                    limiterDown = false;
                    if (count <= decision.perSecond!) return nextMetadata(metadata);
                    refuse(new RuqsatError(grpc.status.RESOURCE_EXHAUSTED, 'RATE_LIMITED', `${who.id} is limited to ${decision.perSecond} calls per second; retry in the next second`, { caller: who.id, limit_per_second: String(decision.perSecond) }), who.id);
                  },
                  // A limiter outage must not stop customs at the border: the call goes on, and it is logged once.
                  (err: Error) => {
                    if (!limiterDown) o.logger.warn({ err: err.message }, 'rate limiter unreachable: calls are not limited until it is back');
                    limiterDown = true;
                    nextMetadata(metadata);
                  },
                );
              })
              .build(),
          ),
        )
        .build(),
    );
  };
}
