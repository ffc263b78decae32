import { ControlPlaneError, ControlPlaneErrorCode } from './control-plane.error';

/** Options of {@link QuantileSketch}. */
export interface QuantileSketchOptions {
  /**
   * Relative accuracy: every quantile is within this fraction of the exact value at its rank.
   * Default 0.01 (1%). Smaller is more precise and uses more buckets (about ln(max/min)/2α).
   */
  relativeAccuracy: number;
  /**
   * Most buckets kept; beyond it the lowest buckets are merged (only low quantiles lose
   * accuracy, which latency dashboards do not read). Default 2048 (8 KiB).
   */
  maxBuckets: number;
  /** Values at or below this count as zero (milliseconds here). Default 1e-3. */
  minValue: number;
}

const DEFAULTS: QuantileSketchOptions = { relativeAccuracy: 0.01, maxBuckets: 2048, minValue: 1e-3 };

/**
 * A DDSketch-style streaming quantile sketch (Masson, Rim, Lee, VLDB 2019): logarithmic
 * buckets with ratio γ = (1+α)/(1-α), so any quantile is returned within relative error α of
 * the exact order statistic, for O(1) inserts and memory independent of the number of values.
 * Sketches with the same accuracy merge exactly (window rotation, per-camera -> overall).
 * Counts live in a dense `Float64Array` window that grows to the observed index range.
 */
export class QuantileSketch {
  private readonly options: QuantileSketchOptions;
  private readonly gamma: number;
  private readonly logGamma: number;
  private bins: Float64Array = new Float64Array(0);
  /** Bucket index of `bins[0]`. */
  private offset = 0;
  private zeroCount = 0;
  private total = 0;
  private minSeen = Number.POSITIVE_INFINITY;
  private maxSeen = Number.NEGATIVE_INFINITY;

  constructor(options: Partial<QuantileSketchOptions> = {}) {
    this.options = { ...DEFAULTS, ...options };
    const a = this.options.relativeAccuracy;
    if (!(a > 0 && a < 1)) throw new ControlPlaneError(ControlPlaneErrorCode.INVALID_ARGUMENT, `relativeAccuracy must be in (0, 1), got ${a}`);
    this.gamma = (1 + a) / (1 - a);
    this.logGamma = Math.log(this.gamma);
  }

  get count(): number {
    return this.total;
  }

  add(value: number, weight = 1): void {
    if (!(value >= 0) || !Number.isFinite(value)) return;
    this.total += weight;
    if (value < this.minSeen) this.minSeen = value;
    if (value > this.maxSeen) this.maxSeen = value;
    if (value <= this.options.minValue) {
      this.zeroCount += weight;
      return;
    }
    this.addToBucket(Math.ceil(Math.log(value) / this.logGamma), weight);
  }

  /** The value at quantile `q` (0..1), or NaN when empty. */
  quantile(q: number): number {
    if (this.total === 0) return Number.NaN;
    if (q <= 0) return this.minSeen;
    if (q >= 1) return this.maxSeen;
    const rank = q * (this.total - 1);
    let seen = this.zeroCount;
    if (seen > rank) return 0;
    const bins = this.bins;
    for (let i = 0; i < bins.length; i += 1) {
      seen += bins[i] as number;
      if (seen > rank) {
        const estimate = (2 * Math.pow(this.gamma, i + this.offset)) / (this.gamma + 1);
        return Math.min(Math.max(estimate, this.minSeen), this.maxSeen);
      }
    }
    return this.maxSeen;
  }

  /** Adds every value of `other` (same accuracy) into this sketch. */
  merge(other: QuantileSketch): void {
    if (other.gamma !== this.gamma) throw new ControlPlaneError(ControlPlaneErrorCode.INVALID_ARGUMENT, 'cannot merge sketches of different accuracy');
    if (other.total === 0) return;
    this.total += other.total;
    this.zeroCount += other.zeroCount;
    this.minSeen = Math.min(this.minSeen, other.minSeen);
    this.maxSeen = Math.max(this.maxSeen, other.maxSeen);
    for (let i = 0; i < other.bins.length; i += 1) {
      const c = other.bins[i] as number;
      if (c > 0) this.addToBucket(i + other.offset, c);
    }
  }

  clear(): void {
    this.bins = new Float64Array(0);
    this.offset = 0;
    this.zeroCount = 0;
    this.total = 0;
    this.minSeen = Number.POSITIVE_INFINITY;
    this.maxSeen = Number.NEGATIVE_INFINITY;
  }

  /** Buckets currently allocated (for memory tests). */
  get bucketCount(): number {
    return this.bins.length;
  }

  private addToBucket(index: number, weight: number): void {
    let bins = this.bins;
    if (bins.length === 0) {
      this.bins = bins = new Float64Array(16);
      this.offset = index - 8;
    }
    let pos = index - this.offset;
    if (pos < 0 || pos >= bins.length) {
      const lo = Math.min(this.offset, index);
      const hi = Math.max(this.offset + bins.length - 1, index);
      const span = hi - lo + 1;
      const max = this.options.maxBuckets;
      const length = Math.min(max, Math.max(span, bins.length * 2));
      // Growing downward leaves the spare room below, upward above; past `max`, the lowest
      // buckets fold into bucket 0.
      const newOffset = span > max || index < this.offset ? hi - length + 1 : lo;
      const grown = new Float64Array(length);
      for (let i = 0; i < bins.length; i += 1) {
        const c = bins[i] as number;
        if (c === 0) continue;
        const target = Math.max(i + this.offset - newOffset, 0);
        grown[target] = (grown[target] as number) + c;
      }
      this.bins = bins = grown;
      this.offset = newOffset;
      pos = Math.max(index - newOffset, 0);
    }
    bins[pos] = (bins[pos] as number) + weight;
  }
}
