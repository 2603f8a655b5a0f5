// ruqsat load: the histogram against exact percentiles, short real runs against a test mesh, the report files, bad flags.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { options } from '../../scripts/cli/load.ts';
import { runLoad, type LoadOptions } from '../../scripts/load/coordinator.ts';
import { Histogram } from '../../scripts/load/histogram.ts';
import { Progress } from '../../scripts/load/progress.ts';
import { reportJson, writeReport } from '../../scripts/load/report.ts';
import type { MeshAccess } from '../../scripts/load/target.ts';
import { startTestMesh, type TestMesh } from '../helpers/mesh.ts';

const exec = promisify(execFile);

/** The value at percentile p of sorted values: the smallest with at least p % of all at or below it. */
const exact = (sorted: number[], p: number) => sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1]!;

describe('ruqsat load', () => {
  describe('histogram', () => {
    // Deterministic values spread log-uniformly from 1 µs to 10 s.
    let seed = 7;
    const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const values = Array.from({ length: 20_000 }, () => Math.floor(10 ** (rand() * 7)));

    it('gives every percentile within 1/128 (+1 µs) of the exact value', () => {
      const h = new Histogram();
      values.forEach((v) => h.record(v));
      const sorted = [...values].sort((a, b) => a - b);
      for (const p of [0.1, 1, 10, 25, 50, 75, 90, 99, 99.9, 99.99, 100]) {
        const want = exact(sorted, p);
        expect(Math.abs(h.percentile(p) - want), `p${p}: ${h.percentile(p)} vs ${want}`).to.be.at.most(want / 128 + 1);
      }
      expect(h.total).to.equal(values.length);
      expect(h.min).to.equal(sorted[0]);
      expect(h.max).to.equal(sorted.at(-1));
    });

    it('merges: parts recorded apart (and sent as JSON) equal the whole recorded at once', () => {
      const whole = new Histogram();
      const parts = [new Histogram(), new Histogram(), new Histogram()];
      values.forEach((v, i) => (whole.record(v), parts[i % 3]!.record(v)));
      const merged = new Histogram();
      for (const p of parts) merged.merge(JSON.parse(JSON.stringify(p.toJSON())));
      expect(merged.total).to.equal(whole.total);
      expect(merged.buckets()).to.deep.equal(whole.buckets());
      for (const p of [50, 90, 99, 99.9]) expect(merged.percentile(p)).to.equal(whole.percentile(p));
      expect([merged.min, merged.max, merged.sum]).to.deep.equal([whole.min, whole.max, whole.sum]);
    });

    it('puts every value in a bucket whose bounds hold it, 64 buckets per power of two', () => {
      const h = new Histogram();
      for (const v of [0, 1, 127, 128, 129, 255, 256, 1_000, 65_535, 65_536, 1e9]) {
        h.record(v);
        const b = h.buckets().find(([lo, hi]) => lo <= v && v <= hi);
        expect(b, `bucket for ${v}`).to.not.equal(undefined);
        if (v >= 128) expect((b![1] + 1 - b![0]) / v).to.be.at.most(1 / 64);
      }
    });
  });

  describe('runs against a test mesh', () => {
    let t: TestMesh;
    let access: MeshAccess;
    const out = mkdtempSync(join(tmpdir(), 'ruqsat-load-test-'));
    const quiet = new Progress({ write: () => true } as unknown as NodeJS.WritableStream);
    before(async () => {
      t = await startTestMesh(['trust', 'permit']);
      access = {
        addresses: { trust: t.address('trust'), permit: t.address('permit') },
        knex: t.mesh.database.knex,
        schemaPrefix: t.config.schemaPrefix,
        caPassphrase: t.config.env.RUQSAT_CA_PASSPHRASE,
        own: false,
        description: 'test mesh',
      };
    });
    after(async () => {
      await t?.stop();
      rmSync(out, { recursive: true, force: true });
    });

    it('check-permit at 20 calls/s for 1.5 s from 2 workers: every call valid, with an echo baseline and a report', async () => {
      const o: LoadOptions = { scenario: 'check-permit', mode: 'rate', value: 20, durationMs: 1_500, workers: 2, baseline: true };
      const r = await runLoad(o, access, quiet);
      const j = reportJson(r);
      expect(j.run.per_status).to.deep.equal({ OK: 30 });
      expect(j.run.workers).to.equal(2);
      expect(j.baseline!.errors).to.equal(0);
      expect(j.baseline!.calls).to.equal(20); // the baseline runs 1 s at the same rate
      expect(j.ratio_to_echo!.p50).to.be.greaterThan(0);
      expect(j.run.latency_ms.p50).to.be.greaterThan(0);
      expect(j.run.series.reduce((n, s) => n + s.calls, 0)).to.equal(30);

      const files = writeReport(join(out, 'check-permit'), j);
      expect(existsSync(files.json) && existsSync(files.html)).to.equal(true);
      const parsed = JSON.parse(readFileSync(files.json, 'utf8'));
      expect(parsed.config).to.include({ scenario: 'check-permit', mode: 'rate', rate: 20, duration_s: 1.5 });
      expect(parsed.run.latency_ms).to.have.keys('min', 'mean', 'p50', 'p90', 'p99', 'p99.9', 'max');
      const html = readFileSync(files.html, 'utf8');
      expect(html.match(/<svg /g)).to.have.length(2);
      expect(html).to.include('aria-label="latency histogram"').and.include('aria-label="throughput over time"');
    });

    it('verify-chain, closed loop with 4 in flight for 1 s: no errors', async () => {
      const r = await runLoad({ scenario: 'verify-chain', mode: 'concurrency', value: 4, durationMs: 1_000, workers: 2, baseline: false }, access, quiet);
      const j = reportJson(r);
      expect(j.baseline).to.equal(null);
      expect(j.run.errors).to.equal(0);
      expect(j.run.ok).to.be.greaterThan(4);
    });
  });

  describe('usage', () => {
    const ruqsat = (...args: string[]) =>
      exec('node', ['bin/ruqsat.js', 'load', ...args], { timeout: 60_000 }).then(() => ({ code: 0, stderr: '' }), (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }));

    it('refuses a bad scenario or bad flags with a message that names them', () => {
      const cases: [string[], RegExp][] = [
        [['verify-everything', '--rate', '5', '--duration', '1s'], /unknown scenario "verify-everything"; expected one of verify-chain, verify-signature, check-permit, submit-application, search-registry/],
        [['verify-chain', '--duration', '1s'], /exactly one of --rate .* or --concurrency/],
        [['verify-chain', '--rate', '5', '--concurrency', '2', '--duration', '1s'], /exactly one of --rate/],
        [['verify-chain', '--rate', '5'], /--duration is required/],
        [['verify-chain', '--rate', '0', '--duration', '1s'], /--rate must be a positive number/],
        [['verify-chain', '--concurrency', '2.5', '--duration', '1s'], /--concurrency must be a positive integer/],
        [['verify-chain', '--rate', '5', '--duration', '10 parsecs'], /--duration must be like 10s/],
        [['verify-chain', '--rate', '5', '--duration', '1s', '--target', 'nohost'], /--target must be host:port/],
        [['verify-chain', '--rate', '5', '--duration', '1s', '--workers', '0'], /--workers must be a positive integer/],
        [['verify-chain', '--rate', '5', '--duration', '1s', '--bogus'], /Unknown option '--bogus'/],
        [[], /expected one scenario, got none/],
      ];
      for (const [args, message] of cases) expect(() => options(args), args.join(' ')).to.throw(message);
      expect(options(['check-permit', '--concurrency', '50', '--duration', '2m', '--workers', '3', '--no-baseline'])).to.deep.include({ scenario: 'check-permit', mode: 'concurrency', value: 50, durationMs: 120_000, workers: 3, baseline: false });
      expect(options(['verify-chain', '--rate', '250.5', '--duration', '500ms', '--target', '10.0.0.1:50051,10.0.0.2:50051'])).to.deep.include({ mode: 'rate', value: 250.5, durationMs: 500, target: '10.0.0.1:50051,10.0.0.2:50051', baseline: true });
    });

    it('exits 1 from the command line with the message on stderr', async () => {
      const r = await ruqsat('nope', '--rate', '1', '--duration', '1s');
      expect(r.code).to.equal(1);
      expect(r.stderr).to.include('unknown scenario "nope"');
    });
  });
});
