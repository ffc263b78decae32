import type { Redis } from 'ioredis';

export interface RateDecision {
  allowed: boolean;
  remaining: number;
  retryAfterMs: number;
}

const MINUTE_MS = 60_000;

/**
 * Fixed windows counted in Redis (INCR + PEXPIRE in one round trip), shared by every server
 * replica. Fixed windows allow a burst of up to 2x at a window edge; that is acceptable for
 * API protection and costs one round trip instead of a sorted-set scan.
 */
export class RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'trinetra:rl',
  ) {}

  /** Counts one event against `key` and says whether it is within `limit` per window (default a minute). */
  async hit(key: string, limit: number, windowMs = MINUTE_MS, now = Date.now()): Promise<RateDecision> {
    const { redisKey, retryAfterMs } = this.window(key, windowMs, now);
    const results = await this.redis
      .multi()
      .incr(redisKey)
      .pexpire(redisKey, windowMs + 1_000)
      .exec();
    const count = Number(results?.[0]?.[1] ?? 0);
    return { allowed: count <= limit, remaining: Math.max(0, limit - count), retryAfterMs };
  }

  /** Whether `key` has already used up `limit` in the current window, without counting anything. */
  async peek(key: string, limit: number, windowMs = MINUTE_MS, now = Date.now()): Promise<RateDecision> {
    const { redisKey, retryAfterMs } = this.window(key, windowMs, now);
    const count = Number((await this.redis.get(redisKey)) ?? 0);
    return { allowed: count < limit, remaining: Math.max(0, limit - count), retryAfterMs };
  }

  private window(key: string, windowMs: number, now: number): { redisKey: string; retryAfterMs: number } {
    const window = Math.floor(now / windowMs);
    return { redisKey: `${this.prefix}:${key}:${windowMs}:${window}`, retryAfterMs: (window + 1) * windowMs - now };
  }
}
