/** A source of time, injected so stateful domain code is deterministic under test. */
export interface Clock {
  /** Milliseconds since the epoch (may be fractional for monotonic clocks). */
  now(): number;
}

/** Wall-clock time from `Date.now()`. */
export const systemClock: Clock = { now: () => Date.now() };

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  constructor(private current = 0) {}
  now(): number {
    return this.current;
  }
  advance(ms: number): void {
    this.current += ms;
  }
  set(ms: number): void {
    this.current = ms;
  }
}
