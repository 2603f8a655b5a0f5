// One gRPC server per service: interceptors, health, reflection, limits, graceful shutdown.
import * as grpc from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { accessInterceptor, type AccessOptions } from '../interceptors/access.ts';
import { deadlineInterceptor } from '../interceptors/deadline.ts';
import { observeInterceptor } from '../interceptors/observe.ts';
import { reflectionFor } from './reflection.ts';

export interface ServedService {
  /** Full service name, "ruqsat.trust.v1.TrustService". */
  serviceName: string;
  definition: grpc.ServiceDefinition;
  implementation: grpc.UntypedServiceImplementation;
}

export interface GrpcServerOptions {
  /** The service's own API first, then any shared one it also serves (e.g. ruqsat.cases.v1.CaseService). */
  services: ServedService[];
  host: string;
  port: number;
  maxMessageBytes: number;
  maxCallMs: number;
  /** Older connections get GOAWAY (streams get a minute's grace), so balanced clients spread over new instances; 0 never. */
  maxConnectionAgeMs?: number;
  logger: Logger;
  registry: Registry;
  /** Mutual TLS; without it the port is plaintext (MESH_TLS=off: tests and local development only). */
  credentials?: grpc.ServerCredentials;
  /** Caller authentication, access rights and rate limits; with mutual TLS only. */
  access?: AccessOptions;
  /** A plaintext port serving only health (kubelet's gRPC probes cannot present a certificate); -1 none. */
  healthPort?: number;
}

export interface RunningServer {
  port: number;
  /** The plaintext health-only port, when one was asked for. */
  healthPort?: number;
  health: HealthImplementation;
  setServing(serving: boolean): void;
  /** Health NOT_SERVING, wait `drainMs`, let calls finish for `graceMs`, then cancel the rest. */
  stop(drainMs: number, graceMs: number): Promise<void>;
}

export async function startGrpcServer(o: GrpcServerOptions): Promise<RunningServer> {
  const server = new grpc.Server({
    // The first interceptor is nearest the wire: it sees metadata first and the status last.
    interceptors: [
      observeInterceptor(o.logger, o.registry),
      ...(o.access ? [accessInterceptor(o.access)] : []),
      deadlineInterceptor(o.maxCallMs),
    ],
    'grpc.max_receive_message_length': o.maxMessageBytes,
    'grpc.max_send_message_length': o.maxMessageBytes,
    'grpc.keepalive_time_ms': 60_000,
    'grpc.keepalive_timeout_ms': 20_000,
    'grpc.keepalive_permit_without_calls': 1,
    // Nothing serves channelz here; its per-call tracking only adds garbage that outlives the call.
    'grpc.enable_channelz': 0,
    ...(o.maxConnectionAgeMs ? { 'grpc.max_connection_age_ms': o.maxConnectionAgeMs, 'grpc.max_connection_age_grace_ms': 60_000 } : {}),
  });
  for (const svc of o.services) server.addService(svc.definition, svc.implementation);
  const names = o.services.map((svc) => svc.serviceName);
  const health = new HealthImplementation(Object.fromEntries([['', 'SERVING'], ...names.map((n) => [n, 'SERVING'])]));
  health.addToServer(server);
  reflectionFor(names).addToServer(server);

  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${o.host}:${o.port}`, o.credentials ?? grpc.ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound))),
  );

  // The same health state on a second, plaintext server that serves nothing else.
  let probes: grpc.Server | undefined;
  let healthPort: number | undefined;
  if (o.healthPort !== undefined && o.healthPort >= 0) {
    probes = new grpc.Server();
    health.addToServer(probes);
    healthPort = await new Promise<number>((resolve, reject) =>
      probes!.bindAsync(`${o.host}:${o.healthPort}`, grpc.ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound))),
    );
  }

  const setServing = (serving: boolean) => {
    const status = serving ? 'SERVING' : 'NOT_SERVING';
    for (const name of ['', ...names]) health.setStatus(name, status);
  };

  const stop = async (drainMs: number, graceMs: number) => {
    setServing(false);
    await new Promise((r) => setTimeout(r, drainMs));
    probes?.forceShutdown();
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => {
        o.logger.warn({ graceMs }, 'calls still running after the grace period: cancelling them');
        server.forceShutdown();
        resolve();
      }, graceMs);
      server.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    });
  };

  return { port, healthPort, health, setServing, stop };
}
