/** Options of {@link ReconnectPolicy}. */
export interface ReconnectPolicyOptions {
  /** First retry's upper bound, ms. Default 500. */
  baseDelayMs?: number;
  /** Cap of the exponential bound, ms. Default 30 000. Lower reconnects faster but hammers a dead camera harder. */
  maxDelayMs?: number;
  /** Attempts before giving up (`failed`). Default Infinity: cameras come back after outages of any length. */
  maxAttempts?: number;
  /** A connection that stays live this long resets the attempt counter. Default 10 000 ms. */
  stableAfterMs?: number;
  /** Uniform [0,1) source; injected for tests. Default Math.random. */
  random?: () => number;
}

/**
 * Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff and
 * Jitter"): delay = random(0, min(maxDelay, base * 2^(attempt-1))). Full jitter spreads the
 * reconnects of many cameras after a shared outage (a switch reboot) instead of synchronizing them.
 */
export class ReconnectPolicy {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxAttempts: number;
  readonly stableAfterMs: number;
  private readonly random: () => number;
  private attempts = 0;

  constructor(options: ReconnectPolicyOptions = {}) {
    this.baseDelayMs = options.baseDelayMs ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.maxAttempts = options.maxAttempts ?? Number.POSITIVE_INFINITY;
    this.stableAfterMs = options.stableAfterMs ?? 10_000;
    this.random = options.random ?? Math.random;
  }

  /** Upper bound of the delay before attempt `attempt` (1-based). */
  ceilingFor(attempt: number): number {
    return Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** Math.min(60, Math.max(0, attempt - 1)));
  }

  /** Registers a failure; returns the next attempt and its delay, or null when the budget is spent. */
  nextAttempt(): { attempt: number; delayMs: number } | null {
    if (this.attempts >= this.maxAttempts) return null;
    this.attempts += 1;
    return { attempt: this.attempts, delayMs: Math.floor(this.random() * this.ceilingFor(this.attempts)) };
  }

  /** Call when a connection has been live for `liveForMs`; resets the budget once stable. */
  noteLive(liveForMs: number): void {
    if (liveForMs >= this.stableAfterMs) this.attempts = 0;
  }

  /** Resets the attempt counter (a manual restart). */
  reset(): void {
    this.attempts = 0;
  }

  get attemptsSoFar(): number {
    return this.attempts;
  }
}
