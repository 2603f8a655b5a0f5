// A load worker (a forked process): repeats one scenario's call open loop (a fixed schedule) or closed loop
// (N calls always in flight), and reports each second's latencies and outcomes to the coordinator.
import { closeClients, useProcessCredentials } from '../../services/kit/grpc/client.ts';
import { useOperatorIdentity } from '../cli/identity.ts';
import { echoCaller } from './echo.ts';
import { Histogram, type HistogramData } from './histogram.ts';
import { preload, SCENARIOS, type Call, type Inputs } from './scenarios.ts';

export type ToWorker =
  | { type: 'init'; scenario: string; inputs: Inputs; address: string; tag: string; warmup: number; tls: boolean }
  | { type: 'run'; mode: 'rate' | 'concurrency'; value: number; phaseMs: number; startAt: number; durationMs: number }
  | { type: 'exit' };

/** Second of the run (from its start) → latencies and outcomes of the calls that ended in it. */
export type SecondData = [number, HistogramData, Record<string, number>];

export type FromWorker =
  | { type: 'ready'; warmup: Record<string, number> }
  | { type: 'tick'; seconds: SecondData[]; inFlight: number }
  | { type: 'done' }
  | { type: 'failed'; message: string };

// Past this many calls in flight a worker stops sending and counts NOT_SENT: the client's memory is not the limit.
const MAX_IN_FLIGHT = 20_000;

let call: Call | undefined;
let seq = 0;

const send = (m: FromWorker) => process.send!(m);

async function caller(m: Extract<ToWorker, { type: 'init' }>): Promise<Call> {
  if (m.scenario === 'echo') return echoCaller(m.inputs, m.address);
  const scenario = SCENARIOS[m.scenario];
  if (!scenario) throw new Error(`unknown scenario ${m.scenario}`);
  return scenario.caller(m.inputs, m.address, m.tag);
}

/** A few calls before the clock starts: connections open, caches warm. */
async function warmup(n: number): Promise<Record<string, number>> {
  const outcomes: Record<string, number> = {};
  await Promise.all(Array.from({ length: n }, () => new Promise<void>((resolve) => call!(seq++, (o) => {
    outcomes[o] = (outcomes[o] ?? 0) + 1;
    resolve();
  }))));
  return outcomes;
}

function run(m: Extract<ToWorker, { type: 'run' }>): Promise<void> {
  const start = performance.now() + (m.startAt - Date.now());
  const end = start + m.durationMs;
  const pending = new Map<number, { hist: Histogram; outcomes: Record<string, number> }>();
  let inFlight = 0;
  const record = (intended: number, o: string) => {
    const now = performance.now();
    const second = Math.max(0, Math.floor((now - start) / 1000));
    let s = pending.get(second);
    if (!s) pending.set(second, (s = { hist: new Histogram(), outcomes: {} }));
    if (o !== 'NOT_SENT') s.hist.record((now - intended) * 1000);
    s.outcomes[o] = (s.outcomes[o] ?? 0) + 1;
  };
  const flush = () => {
    const seconds: SecondData[] = [...pending.entries()].map(([sec, s]) => [sec, s.hist.toJSON(), s.outcomes]);
    pending.clear();
    send({ type: 'tick', seconds, inFlight });
  };
  const reporter = setInterval(flush, 250);
  const fire = (intended: number, then?: () => void) => {
    // Only the open loop can outrun the server; a closed loop has `value` calls in flight by construction.
    if (m.mode === 'rate' && inFlight >= MAX_IN_FLIGHT) return record(intended, 'NOT_SENT');
    inFlight++;
    call!(seq++, (o) => {
      inFlight--;
      record(intended, o);
      then?.();
    });
  };
  return new Promise<void>((resolve) => {
    const finish = () => {
      if (inFlight > 0) return void setTimeout(finish, 5);
      clearInterval(reporter);
      flush();
      resolve();
    };
    if (m.mode === 'rate') {
      // Open loop: call k is due at a fixed time whatever earlier calls do; its latency counts from then,
      // so a stalled server shows in the numbers instead of silently slowing the sender (coordinated omission).
      const interval = 1000 / m.value;
      let k = 0;
      const pump = () => {
        const now = performance.now();
        for (let due = start + m.phaseMs + k * interval; due <= now && due < end; due = start + m.phaseMs + ++k * interval) fire(due);
        const next = start + m.phaseMs + k * interval;
        if (next >= end) return finish();
        setTimeout(pump, Math.max(0, next - performance.now()));
      };
      setTimeout(pump, Math.max(0, start - performance.now()));
    } else {
      // Closed loop: each of `value` callers sends its next call when the last one answers.
      let running = m.value;
      const loop = () => {
        if (performance.now() >= end) return void (--running === 0 && finish());
        const t0 = performance.now();
        fire(t0, loop);
      };
      setTimeout(() => {
        for (let i = 0; i < m.value; i++) loop();
        if (m.value === 0) finish();
      }, Math.max(0, start - performance.now()));
    }
  });
}

process.on('message', (m: ToWorker) => {
  void (async () => {
    try {
      if (m.type === 'init') {
        closeClients();
        // The echo baseline is plaintext; a running mesh with mutual TLS gets the operator's identity.
        if (m.tls) useOperatorIdentity();
        else useProcessCredentials(undefined);
        call = await caller(m);
        send({ type: 'ready', warmup: await warmup(m.warmup) });
      } else if (m.type === 'run') {
        await run(m);
        send({ type: 'done' });
      } else {
        closeClients();
        process.exit(0);
      }
    } catch (err) {
      send({ type: 'failed', message: (err as Error).message });
    }
  })();
});
if (process.argv[2]) void preload(process.argv[2]).catch(() => undefined);
// An orphaned worker (the coordinator died) stops.
process.on('disconnect', () => process.exit(0));
