// Prometheus per-method metrics: calls started, calls handled by status code, and latency.
import * as grpc from '@grpc/grpc-js';
import { Counter, Histogram, type Registry } from 'prom-client';
import { methodParts } from './caller.ts';

/** Counts a call as started; the function it returns records its end (status and latency). */
export type CallMetrics = (path: string) => (code: grpc.status) => void;

export function callMetrics(registry: Registry): CallMetrics {
  const started = existing<Counter>(registry, 'grpc_server_started_total') ??
    new Counter({ name: 'grpc_server_started_total', help: 'RPCs started on the server.', labelNames: ['grpc_service', 'grpc_method'], registers: [registry] });
  const handled = existing<Counter>(registry, 'grpc_server_handled_total') ??
    new Counter({ name: 'grpc_server_handled_total', help: 'RPCs completed on the server, by status code.', labelNames: ['grpc_service', 'grpc_method', 'grpc_code'], registers: [registry] });
  const latency = existing<Histogram>(registry, 'grpc_server_handling_seconds') ??
    new Histogram({
      name: 'grpc_server_handling_seconds',
      help: 'Time from the start of an RPC to its status.',
      labelNames: ['grpc_service', 'grpc_method'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
  // Label children per method, made once: label lookups are the costly part of a metric update.
  const perMethod = new Map<string, { started: Counter.Internal; latency: Histogram.Internal<string>; service: string; name: string }>();
  return (path) => {
    let m = perMethod.get(path);
    if (!m) {
      const { service, method: name } = methodParts(path);
      m = { started: started.labels(service, name), latency: latency.labels(service, name), service, name };
      perMethod.set(path, m);
    }
    const metric = m;
    metric.started.inc();
    const begun = process.hrtime.bigint();
    return (code) => {
      metric.latency.observe(Number(process.hrtime.bigint() - begun) / 1e9);
      handled.labels(metric.service, metric.name, grpc.status[code] ?? String(code)).inc();
    };
  };
}

// Several services in one process share one registry: register each metric once.
function existing<T>(registry: Registry, name: string): T | undefined {
  return registry.getSingleMetric(name) as T | undefined;
}
