/**
 * Events per second over the last few whole seconds: one counter per second in a small ring,
 * O(1) per event, no allocation.
 */
export class RateMeter {
  private readonly counts: Float64Array;
  private currentSecond = Number.NEGATIVE_INFINITY;

  /** @param seconds whole seconds averaged (default 5); more is smoother and slower to react. */
  constructor(private readonly seconds = 5) {
    this.counts = new Float64Array(seconds + 1);
  }

  mark(now: number, n = 1): void {
    this.advance(now);
    const slot = this.currentSecond % this.counts.length;
    this.counts[slot] = (this.counts[slot] as number) + n;
  }

  /** Average rate over the completed seconds of the window. */
  perSecond(now: number): number {
    this.advance(now);
    let sum = 0;
    for (let i = 1; i <= this.seconds; i += 1) sum += this.counts[(this.currentSecond - i + this.counts.length * 2) % this.counts.length] as number;
    return sum / this.seconds;
  }

  private advance(now: number): void {
    const second = Math.floor(now / 1000);
    if (second === this.currentSecond) return;
    if (second - this.currentSecond > this.counts.length || this.currentSecond === Number.NEGATIVE_INFINITY) this.counts.fill(0);
    else for (let s = this.currentSecond + 1; s <= second; s += 1) this.counts[s % this.counts.length] = 0;
    this.currentSecond = second;
  }
}
