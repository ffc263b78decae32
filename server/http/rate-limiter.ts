import type { Redis } from 'ioredis';

export interface RateDecision {
  allowed: boolean;
  remaining: number;
  retryAfterMs: number;
}

/**
 * Fixed one-minute windows counted in Redis (INCR + PEXPIRE in one round trip), shared by
 * every server replica. Fixed windows allow a burst of up to 2x at a window edge; that is
 * acceptable for API protection and costs one round trip instead of a sorted-set scan.
 */
export class RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'trinetra:rl',
  ) {}

  async hit(key: string, limitPerMinute: number, now = Date.now()): Promise<RateDecision> {
    const window = Math.floor(now / 60_000);
    const redisKey = `${this.prefix}:${key}:${window}`;
    const results = await this.redis.multi().incr(redisKey).pexpire(redisKey, 61_000).exec();
    const count = Number(results?.[0]?.[1] ?? 0);
    return { allowed: count <= limitPerMinute, remaining: Math.max(0, limitPerMinute - count), retryAfterMs: (window + 1) * 60_000 - now };
  }
}
