/**
 * Events per second over a sliding window, and a rolling median/p90 of a measured duration.
 * Used for result fps and round-trip latency readouts.
 */

/** Options of {@link RateMeter}. */
export interface RateMeterOptions {
  /** Window length. Default 2000 ms: shorter reacts faster and reads noisier. */
  readonly windowMs?: number;
}

export class RateMeter {
  private readonly stamps: number[] = [];
  private readonly windowMs: number;

  constructor(options: RateMeterOptions = {}) {
    this.windowMs = options.windowMs ?? 2000;
  }

  /** Records one event at `at` (ms). */
  tick(at: number): void {
    this.stamps.push(at);
    this.evict(at);
  }

  /** Events per second at `now`. */
  rate(now: number): number {
    this.evict(now);
    if (this.stamps.length < 2) return this.stamps.length === 1 ? 1000 / this.windowMs : 0;
    const first = this.stamps[0] ?? now;
    const span = Math.max(now - first, 1);
    return (this.stamps.length * 1000) / Math.max(span, this.windowMs / 4);
  }

  private evict(now: number): void {
    while (this.stamps.length > 0 && (this.stamps[0] ?? now) < now - this.windowMs) this.stamps.shift();
  }
}

/** Keeps the last `capacity` samples of a duration and reports quantiles over them. */
export class RollingQuantiles {
  private readonly samples: number[] = [];

  constructor(private readonly capacity = 100) {}

  add(value: number): void {
    if (!Number.isFinite(value)) return;
    this.samples.push(value);
    if (this.samples.length > this.capacity) this.samples.shift();
  }

  /** Quantile q in [0, 1] (nearest rank); null with no samples. */
  quantile(q: number): number | null {
    if (this.samples.length === 0) return null;
    const sorted = [...this.samples].sort((a, b) => a - b);
    const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
    return sorted[index] ?? null;
  }

  get count(): number {
    return this.samples.length;
  }
}
