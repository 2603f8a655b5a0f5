// V8's collector is tuned for throughput: it keeps the old generation ~10% above what the last full collection
// left, and pretenures allocation sites whose objects outlive a young collection. A gRPC server's per-call objects
// (Node's http2 streams among them) often do, briefly, so both send garbage to the old generation and bring a
// full collection, the longest pause, every 2–3 s at a few thousand calls per second (bench:permit's paced p99:
// 19–39 ms with the defaults, 5–9 ms with these). The price: the old generation may grow to twice its live size.
import v8 from 'node:v8';

export const GC_FLAGS = ['--no-allocation-site-pretenuring', '--heap-growing-percent=100'] as const;

let applied = false;

/** Sets GC_FLAGS in this process, once: heuristics the collector reads at each collection, so they work when set at run time. */
export function tuneGarbageCollector(): readonly string[] {
  if (!applied) for (const flag of GC_FLAGS) v8.setFlagsFromString(flag);
  applied = true;
  return GC_FLAGS;
}
