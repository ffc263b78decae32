/**
 * Classic token bucket: holds at most `burst` tokens, refills `ratePerS` tokens per second,
 * one token per frame. Time is passed in (epoch ms) so the bucket stays pure.
 */
export class TokenBucket {
  private tokens: number;
  private last: number | null = null;

  /**
   * @param ratePerS sustained rate (the camera's target fps)
   * @param burst bucket size: how many frames may arrive back to back after a quiet spell.
   *   Larger absorbs jittery sources (network cameras deliver in clumps) but lets bigger bursts through.
   */
  constructor(
    readonly ratePerS: number,
    readonly burst: number,
  ) {
    if (!(ratePerS > 0) || !(burst >= 1)) throw new RangeError(`token bucket needs ratePerS > 0 and burst >= 1, got ${ratePerS}, ${burst}`);
    this.tokens = burst;
  }

  /** Takes one token if available at `now`. */
  tryTake(now: number): boolean {
    this.refill(now);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    return false;
  }

  /** Tokens available at `now` (fractional). */
  available(now: number): number {
    this.refill(now);
    return this.tokens;
  }

  private refill(now: number): void {
    if (this.last !== null && now > this.last) this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.ratePerS);
    if (this.last === null || now > this.last) this.last = now;
  }
}
