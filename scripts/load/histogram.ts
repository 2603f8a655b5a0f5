// A log-linear latency histogram (HdrHistogram's layout, small): exact below 128 µs, then 64 buckets per
// power of two, so any recorded value is off by under 1/64 (1.6 %); histograms add, so workers' merge.

const SUB = 64; // buckets per power of two above the linear range
const LINEAR = 2 * SUB; // values 0..127 µs each have their own bucket

/** The bucket a value (µs, ≥ 0; capped at 2^31 − 1, about 36 minutes) falls in. */
export function bucketOf(us: number): number {
  const v = Math.min(0x7fffffff, Math.max(0, Math.floor(us)));
  if (v < LINEAR) return v;
  const shift = 31 - Math.clz32(v) - 6; // v >>> shift lies in [64, 128)
  return LINEAR + (shift - 1) * SUB + ((v >>> shift) - SUB);
}

/** The lowest and highest value (µs) a bucket holds. */
export function boundsOf(bucket: number): [number, number] {
  if (bucket < LINEAR) return [bucket, bucket];
  const s = Math.floor((bucket - LINEAR) / SUB) + 1;
  const top = ((bucket - LINEAR) % SUB) + SUB;
  return [top * 2 ** s, (top + 1) * 2 ** s - 1];
}

/** Sparse form for IPC and JSON: [bucket, count] pairs plus the exact extremes and sum. */
export interface HistogramData {
  counts: [number, number][];
  min: number;
  max: number;
  sum: number;
}

export class Histogram {
  private counts = new Map<number, number>();
  total = 0;
  min = Infinity;
  max = 0;
  sum = 0;

  /** Records one latency in microseconds. */
  record(us: number): void {
    const b = bucketOf(us);
    this.counts.set(b, (this.counts.get(b) ?? 0) + 1);
    this.total++;
    this.sum += us;
    if (us < this.min) this.min = us;
    if (us > this.max) this.max = us;
  }

  merge(other: Histogram | HistogramData): this {
    const data = other instanceof Histogram ? other.toJSON() : other;
    for (const [b, n] of data.counts) {
      this.counts.set(b, (this.counts.get(b) ?? 0) + n);
      this.total += n;
    }
    this.sum += data.sum;
    if (data.counts.length > 0) {
      this.min = Math.min(this.min, data.min);
      this.max = Math.max(this.max, data.max);
    }
    return this;
  }

  /** The value (µs) at or below which `p` percent of the recorded values lie; the bucket's middle, clamped to min/max. */
  percentile(p: number): number {
    if (this.total === 0) return NaN;
    const rank = Math.max(1, Math.ceil((p / 100) * this.total));
    let seen = 0;
    for (const b of [...this.counts.keys()].sort((x, y) => x - y)) {
      seen += this.counts.get(b)!;
      if (seen >= rank) {
        const [lo, hi] = boundsOf(b);
        return Math.min(this.max, Math.max(this.min, (lo + hi) / 2));
      }
    }
    return this.max;
  }

  mean(): number {
    return this.total === 0 ? NaN : this.sum / this.total;
  }

  /** Buckets in order, for drawing: [low µs, high µs, count]. */
  buckets(): [number, number, number][] {
    return [...this.counts.entries()].sort((x, y) => x[0] - y[0]).map(([b, n]) => [...boundsOf(b), n]);
  }

  toJSON(): HistogramData {
    return { counts: [...this.counts.entries()], min: this.total ? this.min : 0, max: this.max, sum: this.sum };
  }

  static from(data: HistogramData): Histogram {
    return new Histogram().merge(data);
  }
}
