// ruqsat load — load-tests one RPC of the mesh from several worker processes and writes a report.
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError, type Command } from '../cli.ts';
import { runLoad, type LoadOptions } from '../load/coordinator.ts';
import { reportJson, summary, writeReport } from '../load/report.ts';
import { SCENARIOS } from '../load/scenarios.ts';

const USAGE = `ruqsat load <scenario> (--rate R | --concurrency C) --duration D [--target host:port[,host:port…]] [--workers N] [--out DIR] [--no-baseline]
  scenarios: ${Object.keys(SCENARIOS).join(', ')}`;

export const command: Command = {
  name: 'load',
  summary: `Load-test the mesh: one scenario's RPC from several worker processes, open loop (--rate, calls/s) or closed loop
(--concurrency, calls in flight), with a live progress line, then a report (JSON and HTML with SVG charts) that compares
the run with a bare grpc-js echo measured the same way in the same run.
Without --target it starts the services it needs on embedded defaults in a temp dir; with --target it loads a running
mesh (the other services where TRUST_ADDRESS … say; setup needs DATABASE_URL and the CA passphrase for certificates).
Scenarios:
${Object.values(SCENARIOS).map((s) => `  ${s.name.padEnd(20)} ${s.summary}`).join('\n')}
Exit code: 0 when every call answered OK, 2 when some did not or setup failed, 1 on a usage error.`,
  usage: USAGE,
  async run(args) {
    const o = options(args);
    const out = o.out ?? join('load-reports', new Date().toISOString().replace(/[:.]/g, '-'));
    const result = await runLoad(o);
    const json = reportJson(result);
    const files = writeReport(out, json);
    process.stdout.write(summary(json, files) + '\n');
    return json.run.errors === 0 ? 0 : 2;
  },
};

/** Parses and checks the flags; every mistake is a UsageError that names the flag. */
export function options(args: string[]): LoadOptions & { out?: string } {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        rate: { type: 'string' },
        concurrency: { type: 'string' },
        duration: { type: 'string' },
        target: { type: 'string' },
        workers: { type: 'string' },
        out: { type: 'string' },
        'no-baseline': { type: 'boolean' },
      },
    });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\nusage: ${USAGE}`);
  }
  const { values: v, positionals } = parsed;
  if (positionals.length !== 1) throw new UsageError(`expected one scenario, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}\nusage: ${USAGE}`);
  const scenario = positionals[0]!;
  if (!SCENARIOS[scenario]) throw new UsageError(`unknown scenario "${scenario}"; expected one of ${Object.keys(SCENARIOS).join(', ')}`);
  if ((v.rate === undefined) === (v.concurrency === undefined)) throw new UsageError(`give exactly one of --rate (calls/s, open loop) or --concurrency (calls in flight, closed loop)\nusage: ${USAGE}`);
  if (v.duration === undefined) throw new UsageError(`--duration is required (e.g. 10s, 500ms, 2m)\nusage: ${USAGE}`);
  const mode = v.rate !== undefined ? 'rate' : 'concurrency';
  const value = mode === 'rate' ? positive(v.rate!, 'rate', 1_000_000, true) : positive(v.concurrency!, 'concurrency', 100_000, false);
  const durationMs = duration(v.duration);
  if (v.target !== undefined && !/^[^,\s]+:\d{1,5}(,[^,\s]+:\d{1,5})*$/.test(v.target)) throw new UsageError(`--target must be host:port[,host:port…], got "${v.target}"`);
  const workers = v.workers === undefined ? cpus().length : positive(v.workers, 'workers', 256, false);
  return { scenario, mode, value, durationMs, target: v.target, workers, baseline: !v['no-baseline'], out: v.out };
}

function positive(raw: string, name: string, max: number, fraction: boolean): number {
  const n = Number(raw);
  const ok = (fraction ? /^\d+(\.\d+)?$/ : /^\d+$/).test(raw) && n > 0 && n <= max;
  if (!ok) throw new UsageError(`--${name} must be a positive ${fraction ? 'number' : 'integer'} up to ${max}, got "${raw}"`);
  return n;
}

/** "10s", "500ms", "2m", or plain seconds. */
export function duration(raw: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(raw);
  const ms = m ? Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 'm' ? 60_000 : 1_000) : NaN;
  if (!(ms >= 100 && ms <= 24 * 3_600_000)) throw new UsageError(`--duration must be like 10s, 500ms or 2m (100 ms to 24 h), got "${raw}"`);
  return Math.round(ms);
}
