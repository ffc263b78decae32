import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { RateLimiter } from '../http/rate-limiter';

// The limiter's clock is an argument, so window boundaries are constructed exactly; Redis is real.
const WINDOW = 60_000;
/** The start of some window far from today, distinct per test run so keys never collide. */
const T0 = (Math.floor(Date.now() / WINDOW) + 1_000) * WINDOW;

describe('sliding-window rate limiter (real Redis, one Lua script)', () => {
  let redis: Redis;
  let limiter: RateLimiter;
  beforeAll(() => {
    redis = new Redis(process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379');
    limiter = new RateLimiter(redis, `trinetra:rl-test:${randomUUID()}`);
  });
  afterAll(() => redis.disconnect());

  async function burst(key: string, limit: number, n: number, at: number): Promise<number> {
    let admitted = 0;
    for (let i = 0; i < n; i += 1) if ((await limiter.hit(key, limit, WINDOW, at)).allowed) admitted += 1;
    return admitted;
  }

  it('a full burst at the end of one window and another at the start of the next admits the limit once, not twice', async () => {
    const key = `boundary:${randomUUID()}`;
    // 10 in the last 100 ms of window 0, then 10 more 100 ms into window 1: 200 ms apart, one minute's limit.
    expect(await burst(key, 10, 10, T0 + WINDOW - 100)).toBe(10);
    expect(await burst(key, 10, 10, T0 + WINDOW + 100)).toBe(0);
    // A fixed window would have admitted all 20 (the old implementation's documented 2x edge burst).
  });

  it('frees room as the previous window ages out, and Retry-After says exactly when', async () => {
    const key = `ageing:${randomUUID()}`;
    expect(await burst(key, 10, 10, T0 + WINDOW - 100)).toBe(10);
    const refused = await limiter.hit(key, 10, WINDOW, T0 + WINDOW + 100);
    expect(refused).toMatchObject({ allowed: false, limit: 10, remaining: 0 });
    // 10 * (1 - e/60000) <= 9 from e = 6000 ms into window 1.
    expect(refused.retryAfterMs).toBe(6_000 - 100);
    expect((await limiter.hit(key, 10, WINDOW, T0 + WINDOW + 100 + refused.retryAfterMs - 5)).allowed).toBe(false);
    const admitted = await limiter.hit(key, 10, WINDOW, T0 + WINDOW + 100 + refused.retryAfterMs);
    expect(admitted.allowed).toBe(true);
    expect(admitted.remaining).toBe(0);
    // Halfway through window 1, half of window 0's burst still counts: 5 + 1 used, 4 left.
    const halfway = await limiter.hit(key, 10, WINDOW, T0 + WINDOW + WINDOW / 2);
    expect(halfway).toMatchObject({ allowed: true, remaining: 3 });
  });

  it('a refused hit is not counted, so a client that keeps knocking is not locked out longer', async () => {
    const key = `knock:${randomUUID()}`;
    expect(await burst(key, 3, 3, T0 + 1_000)).toBe(3);
    expect(await burst(key, 3, 50, T0 + 2_000)).toBe(0);
    // In the next window only window 0's 3 hits weigh (3 * 0.5 = 1.5 halfway): 1 more fits.
    expect(await burst(key, 3, 5, T0 + WINDOW + WINDOW / 2)).toBe(1);
  });

  it('a refusal waiting for the next window reports the time to it plus the ageing there', async () => {
    const key = `next:${randomUUID()}`;
    expect(await burst(key, 4, 4, T0 + 10_000)).toBe(4);
    const refused = await limiter.hit(key, 4, WINDOW, T0 + 10_000);
    // Current bucket full: wait 50 s to window 1, then 4 * (1 - e/60000) <= 3 from e = 15 s.
    expect(refused.retryAfterMs).toBe(50_000 + 15_000);
    expect((await limiter.hit(key, 4, WINDOW, T0 + 10_000 + refused.retryAfterMs - 1)).allowed).toBe(false);
    expect((await limiter.hit(key, 4, WINDOW, T0 + 10_000 + refused.retryAfterMs)).allowed).toBe(true);
  });

  it('hitAll counts against every limit or none: a key refused by its own limit does not use up its tenant', async () => {
    const tenant = `t:${randomUUID()}`;
    const keyA = `k:${randomUUID()}`;
    const keyB = `k:${randomUUID()}`;
    const at = T0 + 30_000;
    for (let i = 0; i < 3; i += 1) expect((await limiter.hitAll([{ key: tenant, limit: 5 }, { key: keyA, limit: 3 }], WINDOW, at)).allowed).toBe(true);
    const refusedA = await limiter.hitAll([{ key: tenant, limit: 5 }, { key: keyA, limit: 3 }], WINDOW, at);
    expect(refusedA).toMatchObject({ allowed: false, limit: 3, remaining: 0 });
    // The tenant has used 3 of 5 (A's refused request was not counted): B gets 2, then the tenant refuses.
    const b1 = await limiter.hitAll([{ key: tenant, limit: 5 }, { key: keyB, limit: 3 }], WINDOW, at);
    expect(b1).toMatchObject({ allowed: true, limit: 5, remaining: 1 });
    expect((await limiter.hitAll([{ key: tenant, limit: 5 }, { key: keyB, limit: 3 }], WINDOW, at)).allowed).toBe(true);
    expect(await limiter.hitAll([{ key: tenant, limit: 5 }, { key: keyB, limit: 3 }], WINDOW, at)).toMatchObject({ allowed: false, limit: 5 });
  });

  it('record counts whatever the limit and peek counts nothing', async () => {
    const key = `record:${randomUUID()}`;
    for (let i = 0; i < 4; i += 1) await limiter.record(key, 2, WINDOW, T0 + 5_000);
    expect(await limiter.peek(key, 2, WINDOW, T0 + 5_000)).toMatchObject({ allowed: false, remaining: 0 });
    expect(await limiter.peek(key, 5, WINDOW, T0 + 5_000)).toMatchObject({ allowed: true, remaining: 1 });
    expect(await limiter.peek(key, 5, WINDOW, T0 + 5_000)).toMatchObject({ allowed: true, remaining: 1 });
  });
});
