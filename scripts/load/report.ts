// The report of a load run: JSON (config, totals, per-status counts, percentiles, per-second series) and a
// self-contained HTML page with an SVG latency histogram and an SVG throughput-over-time chart.
import { cpus, hostname } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadResult, PhaseResult } from './coordinator.ts';
import { errorsOf } from './progress.ts';

const r3 = (x: number) => (Number.isFinite(x) ? Math.round(x * 1000) / 1000 : null);
const toMs = (us: number) => r3(us / 1000);

export function phaseJson(p: PhaseResult) {
  const calls = Object.values(p.total.outcomes).reduce((a, b) => a + b, 0);
  const ok = p.total.outcomes.OK ?? 0;
  const h = p.total.hist;
  return {
    label: p.label,
    duration_s: p.durationMs / 1000,
    workers: p.workers,
    calls,
    ok,
    errors: calls - ok,
    per_status: p.total.outcomes,
    throughput_per_s: r3(calls / (p.durationMs / 1000)),
    latency_ms: { min: toMs(h.min), mean: toMs(h.mean()), p50: toMs(h.percentile(50)), p90: toMs(h.percentile(90)), p99: toMs(h.percentile(99)), 'p99.9': toMs(h.percentile(99.9)), max: toMs(h.max) },
    histogram: h.buckets().map(([lo, hi, count]) => ({ low_ms: lo / 1000, high_ms: (hi + 1) / 1000, count })),
    series: p.seconds.map(({ second, tally }) => {
      const n = Object.values(tally.outcomes).reduce((a, b) => a + b, 0);
      return { second, calls: n, ok: tally.outcomes.OK ?? 0, errors: n - (tally.outcomes.OK ?? 0), p50_ms: toMs(tally.hist.percentile(50)), p99_ms: toMs(tally.hist.percentile(99)) };
    }),
  };
}

export type PhaseJson = ReturnType<typeof phaseJson>;

export function reportJson(r: LoadResult) {
  const run = phaseJson(r.run);
  const baseline = r.baseline ? phaseJson(r.baseline) : null;
  const ratio = (a: number | null, b: number | null) => (a !== null && b ? r3(a / b) : null);
  return {
    tool: 'ruqsat load',
    format: 1,
    config: {
      scenario: r.options.scenario,
      mode: r.options.mode,
      [r.options.mode]: r.options.value,
      duration_s: r.options.durationMs / 1000,
      workers: r.run.workers,
      target: r.options.target ?? null,
      mesh: r.mesh,
      request_bytes: r.requestBytes,
      run_id: r.runId,
      started_at: r.startedAt,
      host: { name: hostname(), cpus: cpus().length, node: process.version },
    },
    setup: r.setup,
    run,
    baseline,
    // Throughput: scenario ÷ echo (1.0 = as fast as gRPC itself); latency: scenario ÷ echo (1.0 = no added cost).
    ratio_to_echo: baseline
      ? { throughput: ratio(run.throughput_per_s, baseline.throughput_per_s), p50: ratio(run.latency_ms.p50, baseline.latency_ms.p50), p99: ratio(run.latency_ms.p99, baseline.latency_ms.p99) }
      : null,
  };
}

export type ReportJson = ReturnType<typeof reportJson>;

/** The summary printed at the end of a run. */
export function summary(j: ReportJson, files?: { json: string; html: string }): string {
  const c = j.config;
  const f = (v: number | null) => (v === null ? '—' : v.toFixed(2));
  const line = (p: PhaseJson) =>
    `${p.calls.toLocaleString('en-US')} calls in ${p.duration_s} s, ${Math.round(p.throughput_per_s ?? 0).toLocaleString('en-US')}/s; ` +
    `p50 ${f(p.latency_ms.p50)} ms, p90 ${f(p.latency_ms.p90)} ms, p99 ${f(p.latency_ms.p99)} ms, p99.9 ${f(p.latency_ms['p99.9'])} ms, max ${f(p.latency_ms.max)} ms; ` +
    (p.errors === 0 ? 'no errors' : `errors: ${errorsOf(p.per_status).map(([o, n]) => `${o} ${n}`).join(', ')}`);
  const out = [
    `${c.scenario}, ${c.mode === 'rate' ? `open loop at ${c.rate}/s` : `closed loop, ${c.concurrency} in flight`}, ${c.duration_s} s, ${c.workers} worker process(es); ${c.mesh}`,
    `  ${c.scenario.padEnd(18)} ${line(j.run)}`,
  ];
  if (j.baseline) {
    out.push(`  ${'echo baseline'.padEnd(18)} ${line(j.baseline)}`);
    const r = j.ratio_to_echo!;
    out.push(`  ratio to echo: throughput ${f(r.throughput)}×, p50 ${f(r.p50)}×, p99 ${f(r.p99)}× (throughput 1.00× = as fast as bare gRPC here; latency 1.00× = no added latency)`);
  }
  if (files) out.push(`  report: ${files.json}`, `          ${files.html}`);
  return out.join('\n');
}

const esc = (s: string) => s.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]!);
const W = 760;
const H = 260;
const PAD = { l: 56, r: 40, t: 16, b: 40 };
// Inside each chart, so an SVG copied out of the page keeps its look.
const SVG_STYLE = '<style>text{font:11px sans-serif;fill:#444}.grid{stroke:#eee}.axis{stroke:#888}.mark{stroke:#c60;stroke-dasharray:3 3}.run{fill:#3b6fd4}.echo{fill:#bbb}.ok{fill:none;stroke:#3b6fd4;stroke-width:2}.p99{fill:none;stroke:#c60;stroke-dasharray:4 3}.err{fill:#d33}.drain{fill:#f3f3f3}</style>';

/** Latency histogram on a log time axis: the scenario's share of calls per bin, the echo's drawn behind it. */
function histogramSvg(run: PhaseJson, baseline: PhaseJson | null): string {
  const all = [...run.histogram, ...(baseline?.histogram ?? [])];
  if (all.length === 0) return '<svg xmlns="http://www.w3.org/2000/svg" width="760" height="60"><text x="10" y="30">no calls</text></svg>';
  const lo = Math.log10(Math.max(0.001, Math.min(...all.map((b) => b.low_ms))));
  const hi = Math.log10(Math.max(...all.map((b) => b.high_ms)));
  const bins = 60;
  const span = Math.max(hi - lo, 0.5);
  const binOf = (v: number) => Math.min(bins - 1, Math.max(0, Math.floor(((Math.log10(Math.max(v, 0.001)) - lo) / span) * bins)));
  const share = (p: PhaseJson) => {
    const b = new Array<number>(bins).fill(0);
    for (const x of p.histogram) b[binOf((x.low_ms + x.high_ms) / 2)]! += x.count / Math.max(1, p.calls);
    return b;
  };
  const a = share(run);
  const e = baseline ? share(baseline) : [];
  const top = Math.max(...a, ...e, 1e-9);
  const iw = W - PAD.l - PAD.r;
  const ih = H - PAD.t - PAD.b;
  const x = (i: number) => PAD.l + (i / bins) * iw;
  const y = (v: number) => PAD.t + ih - (v / top) * ih;
  const bars = (b: number[], cls: string) => b.map((v, i) => (v > 0 ? `<rect class="${cls}" x="${x(i).toFixed(1)}" y="${y(v).toFixed(1)}" width="${(iw / bins - 1).toFixed(1)}" height="${(PAD.t + ih - y(v)).toFixed(1)}"/>` : '')).join('');
  const ticks: string[] = [];
  // Ticks at 1, 2 and 5 of each decade in range.
  for (let d = Math.floor(lo); d <= Math.ceil(lo + span); d++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** d;
      const at = Math.log10(v);
      if (at < lo || at > lo + span) continue;
      const tx = PAD.l + ((at - lo) / span) * iw;
      const label = v >= 1 ? String(Math.round(v)) : String(Number(v.toPrecision(1)));
      ticks.push(`<line class="grid" x1="${tx}" x2="${tx}" y1="${PAD.t}" y2="${PAD.t + ih}"/><text x="${tx}" y="${H - 22}" text-anchor="middle">${label} ms</text>`);
    }
  }
  const mark = (v: number | null, name: string) => {
    if (v === null) return '';
    const mx = PAD.l + ((Math.log10(Math.max(v, 0.001)) - lo) / span) * iw;
    const left = mx > PAD.l + iw * 0.9; // near the right edge the label goes left of its line
    return `<line class="mark" x1="${mx}" x2="${mx}" y1="${PAD.t}" y2="${PAD.t + ih}"/><text x="${left ? mx - 3 : mx + 3}" y="${PAD.t + (name === 'p50' ? 12 : 24)}" text-anchor="${left ? 'end' : 'start'}">${name}</text>`;
  };
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="latency histogram">${SVG_STYLE}
<text x="${PAD.l}" y="${H - 4}">latency (log scale); bar height: share of calls</text>${ticks.join('')}${[0.5, 1].map((f) => `<text x="${PAD.l - 4}" y="${y(top * f) + 4}" text-anchor="end">${(top * f * 100).toFixed(1)} %</text>`).join('')}
${bars(e, 'echo')}${bars(a, 'run')}${mark(run.latency_ms.p50, 'p50')}${mark(run.latency_ms.p99, 'p99')}
<line class="axis" x1="${PAD.l}" x2="${PAD.l + iw}" y1="${PAD.t + ih}" y2="${PAD.t + ih}"/></svg>`;
}

/** Calls per second over the run (answers OK as a line, errors as red bars), p99 per second as a dashed line. */
function throughputSvg(run: PhaseJson): string {
  const s = run.series;
  const iw = W - PAD.l - PAD.r - 40;
  const ih = H - PAD.t - PAD.b;
  const last = Math.max(1, ...s.map((p) => p.second + 1));
  const top = Math.max(1, ...s.map((p) => p.calls)) * 1.1;
  const topP99 = Math.max(0.001, ...s.map((p) => p.p99_ms ?? 0)) * 1.1;
  const x = (sec: number) => PAD.l + ((sec + 0.5) / last) * iw;
  const y = (v: number) => PAD.t + ih - (v / top) * ih;
  const yp = (v: number) => PAD.t + ih - (v / topP99) * ih;
  const ok = s.map((p) => `${x(p.second).toFixed(1)},${y(p.ok).toFixed(1)}`).join(' ');
  const p99 = s.filter((p) => p.p99_ms !== null).map((p) => `${x(p.second).toFixed(1)},${yp(p.p99_ms!).toFixed(1)}`).join(' ');
  // Calls still in flight when the clock stopped end after it: shaded, as they are no longer at full load.
  const drain = last > run.duration_s ? `<rect class="drain" x="${x(run.duration_s) - iw / last / 2}" y="${PAD.t}" width="${((last - run.duration_s) / last) * iw}" height="${ih}"/><text x="${x(run.duration_s)}" y="${PAD.t + 12}" text-anchor="middle">after the end</text>` : '';
  const errs = s.map((p) => (p.errors > 0 ? `<rect class="err" x="${(x(p.second) - 3).toFixed(1)}" y="${y(p.errors).toFixed(1)}" width="6" height="${(PAD.t + ih - y(p.errors)).toFixed(1)}"/>` : '')).join('');
  const yTicks = [0, 0.25, 0.5, 0.75, 1].map((f) => `<text x="${PAD.l - 4}" y="${y(top * f) + 4}" text-anchor="end">${Math.round(top * f)}</text><text x="${PAD.l + iw + 4}" y="${yp(topP99 * f) + 4}">${(topP99 * f).toFixed(1)}</text>`).join('');
  const xTicks = s.filter((p) => last <= 20 || p.second % Math.ceil(last / 20) === 0).map((p) => `<text x="${x(p.second)}" y="${H - 22}" text-anchor="middle">${p.second + 1}</text>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="throughput over time">${SVG_STYLE}
<text x="${PAD.l}" y="${H - 4}">second of the run; left axis: calls/s (line OK, red bars errors); right axis: p99 ms (dashed)</text>${yTicks}${xTicks}
${drain}<line class="axis" x1="${PAD.l}" x2="${PAD.l + iw}" y1="${PAD.t + ih}" y2="${PAD.t + ih}"/>${errs}
<polyline class="ok" points="${ok}"/><polyline class="p99" points="${p99}"/></svg>`;
}

function table(j: ReportJson): string {
  const row = (p: PhaseJson) => `<tr><td>${esc(p.label)}</td><td>${p.calls}</td><td>${Math.round(p.throughput_per_s ?? 0)}</td>${['p50', 'p90', 'p99', 'p99.9', 'max'].map((k) => `<td>${p.latency_ms[k as 'p50']}</td>`).join('')}<td>${esc(Object.entries(p.per_status).map(([o, n]) => `${o} ${n}`).join(', '))}</td></tr>`;
  return `<table><tr><th></th><th>calls</th><th>calls/s</th><th>p50 ms</th><th>p90 ms</th><th>p99 ms</th><th>p99.9 ms</th><th>max ms</th><th>per status</th></tr>${row(j.run)}${j.baseline ? row(j.baseline) : ''}</table>`;
}

export function reportHtml(j: ReportJson): string {
  const r = j.ratio_to_echo;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ruqsat load: ${esc(j.config.scenario)} ${esc(j.config.started_at)}</title>
<style>
body{font:14px system-ui,sans-serif;margin:24px;max-width:820px;color:#222}
table{border-collapse:collapse;margin:12px 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}td:first-child{text-align:left}
code{background:#f4f4f4;padding:1px 4px}
</style></head><body>
<h1>ruqsat load: ${esc(j.config.scenario)}</h1>
<p>${j.config.mode === 'rate' ? `Open loop at ${j.config.rate} calls/s` : `Closed loop, ${j.config.concurrency} calls in flight`}, ${j.config.duration_s} s, ${j.config.workers} worker process(es), started ${esc(j.config.started_at)} on ${esc(j.config.host.name)} (${j.config.host.cpus} CPUs, Node ${esc(j.config.host.node)}).<br>
Mesh: ${esc(j.config.mesh)}. Request size ${j.config.request_bytes} bytes.</p>
${table(j)}
${r ? `<p><b>Ratio to the bare grpc-js echo</b> (same workers, same mode, same payload size, measured in this run): throughput ${r.throughput}×, p50 ${r.p50}×, p99 ${r.p99}×. Throughput 1.0× would mean the service costs nothing beyond gRPC itself on this machine; in open loop both keep the asked rate, so compare the latencies.</p>` : '<p>No echo baseline (<code>--no-baseline</code>).</p>'}
<h2>Latency</h2>
<p>Every answered call, whatever its status; ${j.config.mode === 'rate' ? 'measured from the time the schedule said to send it (so queueing in the client counts: no coordinated omission)' : 'measured from the moment it was sent'}. Blue: ${esc(j.config.scenario)}; grey: echo.</p>
${histogramSvg(j.run, j.baseline)}
<h2>Throughput over time</h2>
${throughputSvg(j.run)}
</body></html>
`;
}

/** Writes report.json and report.html to `dir`. */
export function writeReport(dir: string, j: ReportJson): { json: string; html: string } {
  mkdirSync(dir, { recursive: true });
  const json = join(dir, 'report.json');
  const html = join(dir, 'report.html');
  writeFileSync(json, JSON.stringify(j, null, 2) + '\n');
  writeFileSync(html, reportHtml(j));
  return { json, html };
}
