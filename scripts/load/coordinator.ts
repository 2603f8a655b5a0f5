// The coordinator: the mesh, setup once, the worker processes, the echo baseline, then the scenario.
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startEcho } from './echo.ts';
import { Histogram } from './histogram.ts';
import { Progress, type Tally } from './progress.ts';
import { SCENARIOS, type Inputs } from './scenarios.ts';
import { newRunId } from './setup.ts';
import { loadConfig } from '../../services/kit/config.ts';
import { ownMesh, targetMesh, type MeshAccess, type OpenMesh } from './target.ts';
import type { FromWorker, SecondData, ToWorker } from './worker.ts';

export interface LoadOptions {
  scenario: string;
  mode: 'rate' | 'concurrency';
  /** Calls per second (rate) or calls in flight (concurrency), across all workers. */
  value: number;
  durationMs: number;
  /** host:port[,host:port…] of the service under load; absent: the tool starts its own mesh. */
  target?: string;
  workers: number;
  baseline: boolean;
}

export interface PhaseResult {
  label: string;
  durationMs: number;
  workers: number;
  total: Tally;
  seconds: { second: number; tally: Tally }[];
}

export interface LoadResult {
  options: LoadOptions;
  runId: string;
  startedAt: string;
  mesh: string;
  setup: Record<string, unknown>;
  requestBytes: number;
  baseline?: PhaseResult;
  run: PhaseResult;
}

/** How long the echo baseline runs: a third of the run in whole seconds, 1 to 5 s (never longer than the run). */
export const baselineMs = (durationMs: number) => Math.min(durationMs, Math.max(1_000, Math.min(5_000, Math.round(durationMs / 3_000) * 1_000)));

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));
// Workers run the TypeScript sources as the CLI does; tsx resolved from here, whatever the working directory.
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

class Workers {
  private readonly listeners = new Set<(i: number, m: FromWorker) => void>();
  readonly procs: ChildProcess[];

  constructor(n: number, scenario: string) {
    this.procs = Array.from({ length: n }, (_, i) => {
      const p = fork(WORKER, [scenario], { execArgv: ['--import', TSX], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      p.on('message', (m: FromWorker) => this.listeners.forEach((l) => l(i, m)));
      p.on('exit', (code) => code && this.listeners.forEach((l) => l(i, { type: 'failed', message: `worker ${i} exited with ${code}` })));
      return p;
    });
  }

  /** Sends each worker its message and waits for every one to answer `until`. */
  all(messages: ToWorker[], until: FromWorker['type'], onMessage?: (m: FromWorker) => void): Promise<FromWorker[]> {
    return new Promise((resolve, reject) => {
      const answers: FromWorker[] = [];
      let left = this.procs.length;
      const listener = (i: number, m: FromWorker) => {
        if (m.type === 'failed') {
          this.listeners.delete(listener);
          return reject(new Error(m.message));
        }
        onMessage?.(m);
        if (m.type === until) {
          answers[i] = m;
          if (--left === 0) {
            this.listeners.delete(listener);
            resolve(answers);
          }
        }
      };
      this.listeners.add(listener);
      this.procs.forEach((p, i) => p.send(messages[i]!));
    });
  }

  stop(): void {
    for (const p of this.procs) if (p.connected) p.send({ type: 'exit' } satisfies ToWorker);
  }
}

let targetTls = false;

const tally = (): Tally => ({ hist: new Histogram(), outcomes: {} });
const add = (t: Tally, hist: Histogram | ReturnType<Histogram['toJSON']>, outcomes: Record<string, number>) => {
  t.hist.merge(hist);
  for (const [o, n] of Object.entries(outcomes)) t.outcomes[o] = (t.outcomes[o] ?? 0) + n;
};

/** Spreads the load: the rate split evenly with staggered phases, the callers split as evenly as they go. */
function shares(o: LoadOptions, n: number): { value: number; phaseMs: number }[] {
  if (o.mode === 'rate') return Array.from({ length: n }, (_, i) => ({ value: o.value / n, phaseMs: (i * 1000) / o.value }));
  return Array.from({ length: n }, (_, i) => ({ value: Math.floor(o.value / n) + (i < o.value % n ? 1 : 0), phaseMs: 0 }));
}

async function phase(workers: Workers, label: string, scenario: string, inputs: Inputs, address: string, o: LoadOptions, durationMs: number, progress: Progress): Promise<PhaseResult> {
  const split = shares(o, workers.procs.length);
  const ready = await workers.all(split.map((s, i) => ({ type: 'init', scenario, inputs, address, tag: `w${i}`, warmup: Math.max(1, Math.min(4, Math.ceil(s.value))), tls: targetTls && scenario !== 'echo' })), 'ready');
  const failedWarmup = ready.flatMap((r) => (r.type === 'ready' ? Object.entries(r.warmup).filter(([k]) => k !== 'OK') : []));
  if (failedWarmup.length > 0) progress.note(`${label}: warm-up calls failed: ${failedWarmup.map(([k, n]) => `${k} ${n}`).join(', ')}`);
  const startAt = Date.now() + 200;
  const total = tally();
  const seconds = new Map<number, Tally>();
  const onTick = (m: FromWorker) => {
    if (m.type !== 'tick') return;
    for (const [sec, hist, outcomes] of m.seconds as SecondData[]) {
      if (!seconds.has(sec)) seconds.set(sec, tally());
      add(seconds.get(sec)!, hist, outcomes);
      add(total, hist, outcomes);
    }
  };
  const durationS = Math.ceil(durationMs / 1000);
  let shown = 0;
  const timer = setInterval(() => {
    const elapsed = Math.min(durationS, Math.floor((Date.now() - startAt) / 1000));
    if (elapsed >= 1 && elapsed > shown) progress.update(label, (shown = elapsed), durationS, seconds.get(elapsed - 1), total);
  }, 250);
  try {
    await workers.all(split.map((s) => ({ type: 'run', mode: o.mode, value: s.value, phaseMs: s.phaseMs, startAt, durationMs })), 'done', onTick);
  } finally {
    clearInterval(timer);
  }
  // The last second (and the calls that were still in flight) once every worker has reported.
  progress.update(label, durationS, durationS, seconds.get(durationS - 1), total, true);
  progress.done();
  return { label, durationMs, workers: workers.procs.length, total, seconds: [...seconds.entries()].sort((a, b) => a[0] - b[0]).map(([second, t]) => ({ second, tally: t })) };
}

/**
 * Runs one load test end to end. `access` skips starting or finding a mesh (tests pass their own);
 * the caller keeps ownership of it.
 */
export async function runLoad(o: LoadOptions, access?: MeshAccess, progress = new Progress()): Promise<LoadResult> {
  const scenario = SCENARIOS[o.scenario];
  if (!scenario) throw new Error(`unknown scenario "${o.scenario}"`);
  const runId = newRunId();
  const startedAt = new Date().toISOString();
  let mesh: OpenMesh | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'ruqsat-load-keys-'));
  let workers: Workers | undefined;
  let echo: Awaited<ReturnType<typeof startEcho>> | undefined;
  // Ctrl-C: stop the workers, close the mesh and remove its temp dir, then exit as interrupted.
  const interrupted = () => {
    progress.note('interrupted: stopping');
    workers?.stop();
    void Promise.allSettled([echo?.stop(), mesh?.close()]).finally(() => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(130);
    });
  };
  process.once('SIGINT', interrupted);
  try {
    // The workers start (and load their code) while the mesh starts and setup runs.
    workers = new Workers(o.mode === 'concurrency' ? Math.min(o.workers, o.value) : o.workers, o.scenario);
    if (!access) {
      progress.note(o.target ? `connecting to ${scenario.service} at ${o.target}` : `starting ${scenario.starts.join(' + ')} on embedded defaults`);
      mesh = o.target ? await targetMesh(scenario, o.target) : await ownMesh(scenario);
      // A running mesh speaks mutual TLS unless MESH_TLS=off: workers then present the operator's identity.
      targetTls = !mesh.own && loadConfig().meshTls.enabled;
    }
    const m = (access ?? mesh)!;
    progress.note(`setup: ${scenario.summary}`);
    const setupStarted = Date.now();
    const inputs = await scenario.setup({ ...m, dir, runId });
    progress.note(`setup done in ${((Date.now() - setupStarted) / 1000).toFixed(1)} s`);
    const address = m.addresses[scenario.service]!;
    const requestBytes = await scenario.requestBytes(inputs);
    let baseline: PhaseResult | undefined;
    // A second of each, not counted, first: both the workers' and the server's code paths are warm when
    // measured, so the phase that runs first is not the one that pays for the JIT.
    const quiet = new Progress({ write: () => true } as unknown as NodeJS.WritableStream);
    const warm = Math.min(1_000, o.durationMs);
    await phase(workers, `${o.scenario} warm-up`, o.scenario, inputs, address, o, warm, quiet);
    const run = await phase(workers, o.scenario, o.scenario, inputs, address, o, o.durationMs, progress);
    // The echo after the run: setup's aftermath (a fresh database, followers loading) must not slow it.
    if (o.baseline) {
      echo = await startEcho();
      await phase(workers, 'echo warm-up', 'echo', { bytes: requestBytes }, echo.address, o, warm, quiet);
      baseline = await phase(workers, 'echo baseline', 'echo', { bytes: requestBytes }, echo.address, o, baselineMs(o.durationMs), progress);
      await echo.stop();
      echo = undefined;
    }
    const setup = Object.fromEntries(Object.entries(inputs).filter(([k]) => !['key', 'cert', 'chain', 'leaf', 'queries'].includes(k)));
    return { options: o, runId, startedAt, mesh: m.description, setup, requestBytes, baseline, run };
  } finally {
    process.off('SIGINT', interrupted);
    workers?.stop();
    await echo?.stop();
    await mesh?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
