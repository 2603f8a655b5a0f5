// V8's collector aims at throughput: after a full collection it lets the old generation grow only ~10% (at least
// 8 MB) past what survived, and it pretenures allocation sites whose objects survive a young collection. Node's http2
// server keeps each finished stream past young collections, so under customs load a full collection, the longest
// pause, came every 2–3 s (bench:permit's 5-second paced p99: 19–40 ms with V8's defaults, mostly 4–9 ms with these;
// over a minute the pauses come rarer but longer, see the README). The price: the old generation may reach twice its
// live size.
import v8 from 'node:v8';

export const GC_FLAGS = ['--no-allocation-site-pretenuring', '--heap-growing-percent=100'] as const;

let applied = false;

/** Sets GC_FLAGS in this process, once: heuristics the collector reads at each collection, so they work when set at run time. */
export function tuneGarbageCollector(): readonly string[] {
  if (!applied) for (const flag of GC_FLAGS) v8.setFlagsFromString(flag);
  applied = true;
  return GC_FLAGS;
}
