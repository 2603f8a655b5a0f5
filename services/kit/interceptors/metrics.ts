// Prometheus per-method metrics: calls started, calls handled by status code, and latency.
// A call only adds to plain numbers; the metrics read them when /metrics is scraped. prom-client's own counters and
// histogram hash their labels on every update, which cost CheckPermit ~4 µs and ~1 KB of garbage a call (bench:permit).
import * as grpc from '@grpc/grpc-js';
import type { Metric, Registry } from 'prom-client';
import { methodParts } from './caller.ts';

/** Counts a call as started; the function it returns records its end (status and latency) and returns the latency in ms. */
export type CallMetrics = (path: string) => (code: grpc.status) => number;

const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface MethodStats {
  labels: { grpc_service: string; grpc_method: string };
  started: number;
  /** By status code. */
  handled: number[];
  /** Calls per bucket, not cumulative; the last is above every bound (+Inf). */
  buckets: Float64Array;
  seconds: number;
}

type Stats = Map<string, MethodStats>;
type Sample = { value: number; labels: Record<string, string>; metricName?: string };

/** A metric prom-client's registry reads at scrape time from `stats`. */
class ScrapedMetric {
  readonly aggregator = 'sum';

  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'counter' | 'histogram',
    private readonly stats: Stats,
    private readonly samples: (m: MethodStats) => Sample[],
    private readonly zero: (m: MethodStats) => void,
  ) {}

  async get() {
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values: [...this.stats.values()].flatMap(this.samples) };
  }

  reset(): void {
    for (const m of this.stats.values()) this.zero(m);
  }
}

function handledSamples(m: MethodStats): Sample[] {
  const out: Sample[] = [];
  m.handled.forEach((n, code) => n > 0 && out.push({ value: n, labels: { ...m.labels, grpc_code: grpc.status[code] ?? String(code) } }));
  return out;
}

function latencySamples(m: MethodStats, name: string): Sample[] {
  const out: Sample[] = [];
  let cumulative = 0;
  m.buckets.forEach((n, i) => {
    cumulative += n;
    out.push({ value: cumulative, labels: { ...m.labels, le: i < BUCKETS.length ? String(BUCKETS[i]) : '+Inf' }, metricName: `${name}_bucket` });
  });
  out.push({ value: m.seconds, labels: m.labels, metricName: `${name}_sum` }, { value: cumulative, labels: m.labels, metricName: `${name}_count` });
  return out;
}

// The services of one process share a registry, and so one set of numbers.
const statsOf = new WeakMap<Registry, Stats>();

function register(registry: Registry): Stats {
  const stats: Stats = new Map();
  const latency = 'grpc_server_handling_seconds';
  const metrics = [
    new ScrapedMetric('grpc_server_started_total', 'RPCs started on the server.', 'counter', stats, (m) => [{ value: m.started, labels: m.labels }], (m) => (m.started = 0)),
    new ScrapedMetric('grpc_server_handled_total', 'RPCs completed on the server, by status code.', 'counter', stats, handledSamples, (m) => m.handled.fill(0)),
    new ScrapedMetric(latency, 'Time from the start of an RPC to its status.', 'histogram', stats, (m) => latencySamples(m, latency), (m) => {
      m.buckets.fill(0);
      m.seconds = 0;
    }),
  ];
  for (const metric of metrics) registry.registerMetric(metric as unknown as Metric);
  statsOf.set(registry, stats);
  return stats;
}

export function callMetrics(registry: Registry): CallMetrics {
  const stats = statsOf.get(registry) ?? register(registry);
  return (path) => {
    let m = stats.get(path);
    if (!m) {
      const { service, method } = methodParts(path);
      m = { labels: { grpc_service: service, grpc_method: method }, started: 0, handled: [], buckets: new Float64Array(BUCKETS.length + 1), seconds: 0 };
      stats.set(path, m);
    }
    const metric = m;
    metric.started++;
    const begun = performance.now();
    return (code) => {
      const ms = performance.now() - begun;
      const seconds = ms / 1000;
      let i = 0;
      while (i < BUCKETS.length && seconds > BUCKETS[i]!) i++;
      metric.buckets[i]!++;
      metric.seconds += seconds;
      metric.handled[code] = (metric.handled[code] ?? 0) + 1;
      return ms;
    };
  };
}
