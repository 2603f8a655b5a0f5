// The live progress line on stderr: one rewritten line on a terminal, a plain line a second otherwise.
import { Histogram } from './histogram.ts';

export interface Tally {
  hist: Histogram;
  outcomes: Record<string, number>;
}

export const ms = (us: number) => (Number.isFinite(us) ? `${(us / 1000).toFixed(us < 10_000 ? 2 : 1)} ms` : '—');
export const errorsOf = (outcomes: Record<string, number>) => Object.entries(outcomes).filter(([o]) => o !== 'OK');

export class Progress {
  private readonly tty: boolean;
  private wrote = false;

  constructor(private readonly out: NodeJS.WriteStream | NodeJS.WritableStream = process.stderr) {
    this.tty = Boolean((out as NodeJS.WriteStream).isTTY);
  }

  /** `last` is the latest whole second; `total` everything so far. */
  update(label: string, elapsedS: number, durationS: number, last: Tally | undefined, total: Tally, final = false): void {
    const calls = last ? Object.values(last.outcomes).reduce((a, b) => a + b, 0) : 0;
    const errors = errorsOf(total.outcomes);
    const line = [
      final ? `${label} done, last second:` : `${label} ${Math.min(elapsedS, durationS)}/${durationS} s`,
      `${calls.toLocaleString('en-US')} calls/s`,
      `p50 ${ms(last?.hist.percentile(50) ?? NaN)}`,
      `p99 ${ms(last?.hist.percentile(99) ?? NaN)}`,
      errors.length === 0 ? 'errors 0' : `errors ${errors.map(([o, n]) => `${o} ${n}`).join(', ')}`,
    ].join('  ');
    if (this.tty) {
      this.out.write(`\r${line}\x1b[K`);
      this.wrote = true;
    } else this.out.write(line + '\n');
  }

  /** A plain message line (setup steps, warnings), after any progress line. */
  note(line: string): void {
    this.done();
    this.out.write(line + '\n');
  }

  /** Ends the rewritten line so what follows starts on its own. */
  done(): void {
    if (this.tty && this.wrote) this.out.write('\n');
    this.wrote = false;
  }
}
