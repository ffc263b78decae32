import type { Clock } from '@trinetra/shared';
import { ControlPlaneError, ControlPlaneErrorCode } from './control-plane.error';

/** The closed set of breaker states. */
export const BREAKER_STATES = ['healthy', 'tripped', 'recovering'] as const;
export type BreakerState = (typeof BREAKER_STATES)[number];

/** Thresholds of the worker-pool breaker. */
export interface CircuitBreakerOptions {
  /**
   * Consecutive failed batches (worker error, transport error) that trip the breaker. Default 3.
   * Lower trips faster on a dead pool; higher rides out isolated faults.
   */
  failureThreshold: number;
  /**
   * Consecutive frames that missed their deadline in flight that trip the breaker. Default 16.
   * A success resets the count, so only a pool that is overloaded or gone trips it.
   */
  deadlineMissThreshold: number;
  /** Milliseconds the breaker stays tripped before it lets probe frames through. Default 1000. */
  cooldownMs: number;
  /** Frames allowed in flight while recovering. Default 4. */
  probeFrames: number;
  /** Successful probe frames needed to close the breaker again. Default 4. */
  probeSuccesses: number;
}

export const DEFAULT_BREAKER_OPTIONS: Readonly<CircuitBreakerOptions> = {
  failureThreshold: 3,
  deadlineMissThreshold: 16,
  cooldownMs: 1000,
  probeFrames: 4,
  probeSuccesses: 4,
};

/** One state change, with what caused it. */
export interface BreakerTransition {
  from: BreakerState;
  to: BreakerState;
  at: number;
  reason: string;
}

/**
 * Healthy -> tripped on `failureThreshold` consecutive failures or `deadlineMissThreshold`
 * consecutive deadline misses; tripped -> recovering after `cooldownMs`; recovering -> healthy
 * after `probeSuccesses` successes, or back to tripped on any failure or miss. Time is read
 * from the injected clock, so the cooldown elapses lazily when the state is read.
 */
export class CircuitBreaker {
  private current: BreakerState = 'healthy';
  private trippedAt = 0;
  private consecutiveFailures = 0;
  private consecutiveMisses = 0;
  private probeSuccessCount = 0;
  readonly options: Readonly<CircuitBreakerOptions>;

  constructor(
    private readonly clock: Clock,
    options: Partial<CircuitBreakerOptions> = {},
    private readonly onTransition: (transition: BreakerTransition) => void = () => undefined,
  ) {
    this.options = { ...DEFAULT_BREAKER_OPTIONS, ...options };
    for (const [name, value] of Object.entries(this.options)) {
      if (!Number.isFinite(value) || value < (name === 'cooldownMs' ? 0 : 1)) {
        throw new ControlPlaneError(ControlPlaneErrorCode.INVALID_ARGUMENT, `breaker option ${name} out of range: ${value}`);
      }
    }
  }

  /** The current state; moves tripped -> recovering once the cooldown has passed. */
  get state(): BreakerState {
    if (this.current === 'tripped' && this.clock.now() - this.trippedAt >= this.options.cooldownMs) {
      this.probeSuccessCount = 0;
      this.transition('recovering', `cooldown of ${this.options.cooldownMs} ms elapsed`);
    }
    return this.current;
  }

  recordSuccess(): void {
    this.consecutiveFailures = 0;
    this.consecutiveMisses = 0;
    if (this.state === 'recovering') {
      this.probeSuccessCount += 1;
      if (this.probeSuccessCount >= this.options.probeSuccesses) this.transition('healthy', `${this.probeSuccessCount} probe frames succeeded`);
    }
  }

  recordFailure(detail = 'batch failed'): void {
    this.consecutiveFailures += 1;
    const state = this.state;
    if (state === 'recovering') this.trip(`probe failed: ${detail}`);
    else if (state === 'healthy' && this.consecutiveFailures >= this.options.failureThreshold) {
      this.trip(`${this.consecutiveFailures} consecutive failures (last: ${detail})`);
    }
  }

  recordDeadlineMiss(): void {
    this.consecutiveMisses += 1;
    const state = this.state;
    if (state === 'recovering') this.trip('probe frame missed its deadline');
    else if (state === 'healthy' && this.consecutiveMisses >= this.options.deadlineMissThreshold) {
      this.trip(`${this.consecutiveMisses} consecutive deadline misses`);
    }
  }

  private trip(reason: string): void {
    this.trippedAt = this.clock.now();
    this.consecutiveFailures = 0;
    this.consecutiveMisses = 0;
    this.transition('tripped', reason);
  }

  private transition(to: BreakerState, reason: string): void {
    const from = this.current;
    this.current = to;
    if (from !== to) this.onTransition({ from, to, at: this.clock.now(), reason });
  }
}
