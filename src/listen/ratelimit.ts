// Per-source token buckets: a source may make `rate` requests a second with bursts of `burst`.
// The table is bounded: when it is full, buckets that have refilled completely (idle sources)
// are dropped first, then the oldest.
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  limited = 0;

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    private readonly maxSources = 100_000,
  ) {}

  /** Whether a request from `source` at `nowMs` may go on (and take a token). */
  allow(source: string, nowMs: number): boolean {
    if (this.rate <= 0) return true;
    let b = this.buckets.get(source);
    if (b === undefined) {
      if (this.buckets.size >= this.maxSources) this.evict(nowMs);
      b = { tokens: this.burst, at: nowMs };
      this.buckets.set(source, b);
    } else {
      b.tokens = Math.min(this.burst, b.tokens + ((nowMs - b.at) / 1000) * this.rate);
      b.at = nowMs;
    }
    if (b.tokens < 1) {
      this.limited++;
      return false;
    }
    b.tokens -= 1;
    return true;
  }

  private evict(nowMs: number): void {
    const full = (this.burst / this.rate) * 1000;
    for (const [k, b] of this.buckets) if (nowMs - b.at >= full) this.buckets.delete(k);
    if (this.buckets.size >= this.maxSources) {
      const drop = Math.ceil(this.maxSources / 10);
      let i = 0;
      for (const k of this.buckets.keys()) {
        if (i++ >= drop) break;
        this.buckets.delete(k);
      }
    }
  }

  get sources(): number {
    return this.buckets.size;
  }
}
