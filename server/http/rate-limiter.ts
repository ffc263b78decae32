import type { Redis } from 'ioredis';

/** One limit to check: `limit` events per window under `key`. */
export interface RateLimit {
  key: string;
  limit: number;
}

export interface RateDecision {
  allowed: boolean;
  /** The key of the limit this decision is about (the binding one when several were checked). */
  key: string;
  /** The limit this decision is about (the binding one when several were checked). */
  limit: number;
  /** Events still allowed now, after this one was counted (whole events, rounded down). */
  remaining: number;
  /** When refused: ms until one more event would be admitted; when allowed: 0. */
  retryAfterMs: number;
  /** ms until the current bucket ends and its count starts to age out (the `RateLimit-Reset` of an admitted request). */
  resetMs: number;
}

const MINUTE_MS = 60_000;

/**
 * Sliding-window counter, two buckets per key (current and previous fixed window), checked and
 * counted in one Lua script so every server replica shares it and a check and its count cannot
 * interleave with another replica's. The estimate of the last `windowMs` is
 * `previous * (1 - elapsed/window) + current`; a burst of `limit` at the end of one window still
 * weighs almost fully at the start of the next, so a burst across a boundary cannot double the
 * limit (as fixed windows allowed). Chosen over a sorted-set log of timestamps because its cost
 * is two small integers per key whatever the limit (an Enterprise plan allows 120,000 requests
 * a minute: a log would hold 120,000 members per key), at the price of assuming the previous
 * window's events were spread evenly: it can refuse or admit a few events early, never double.
 *
 * Mode per call: `hit` counts the event only when every limit admits it (a refused request does
 * not count, so `Retry-After` is honest); `record` counts it always (a failed sign-in happened,
 * whatever the limit says); `peek` counts nothing.
 */
const SCRIPT = `
local mode = ARGV[1]
local window = tonumber(ARGV[2])
local elapsed = tonumber(ARGV[3])
local n = (#KEYS) / 2
local out = {}
local allowed = 1
for i = 1, n do
  local cur = tonumber(redis.call('GET', KEYS[2 * i - 1]) or '0')
  local prev = tonumber(redis.call('GET', KEYS[2 * i]) or '0')
  local limit = tonumber(ARGV[3 + i])
  local used = prev * (window - elapsed) / window + cur
  if mode == 'peek' then
    if used >= limit then allowed = 0 end
  elseif used + 1 > limit then
    allowed = 0
  end
  out[2 * i - 1] = cur
  out[2 * i] = prev
end
if mode == 'record' or (mode == 'hit' and allowed == 1) then
  for i = 1, n do
    out[2 * i - 1] = redis.call('INCR', KEYS[2 * i - 1])
    redis.call('PEXPIRE', KEYS[2 * i - 1], 2 * window + 1000)
  end
end
table.insert(out, 1, allowed)
return out
`;

type Mode = 'hit' | 'record' | 'peek';

/** The script as ioredis defines it on the client (EVALSHA, falling back to EVAL once per connection). */
interface SlidingWindowCommand {
  slidingWindow(numKeys: number, ...args: (string | number)[]): Promise<unknown>;
}

export class RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'trinetra:rl',
  ) {
    if (!(this.redis as Partial<SlidingWindowCommand>).slidingWindow) this.redis.defineCommand('slidingWindow', { lua: SCRIPT });
  }

  /** Counts one event against `key` if it is within `limit` per window (default a minute); a refused event is not counted. */
  async hit(key: string, limit: number, windowMs = MINUTE_MS, now = Date.now()): Promise<RateDecision> {
    return this.run('hit', [{ key, limit }], windowMs, now);
  }

  /** Counts one event against every limit, or against none when any refuses; the decision of the tightest one. */
  async hitAll(limits: readonly RateLimit[], windowMs = MINUTE_MS, now = Date.now()): Promise<RateDecision> {
    return this.run('hit', limits, windowMs, now);
  }

  /** Counts one event whatever the limit (something that already happened, e.g. a failed sign-in). */
  async record(key: string, limit: number, windowMs = MINUTE_MS, now = Date.now()): Promise<RateDecision> {
    return this.run('record', [{ key, limit }], windowMs, now);
  }

  /** Whether `key` has already used up `limit` in the last window, without counting anything. */
  async peek(key: string, limit: number, windowMs = MINUTE_MS, now = Date.now()): Promise<RateDecision> {
    return this.run('peek', [{ key, limit }], windowMs, now);
  }

  private async run(mode: Mode, limits: readonly RateLimit[], windowMs: number, now: number): Promise<RateDecision> {
    if (limits.length === 0) throw new Error('no rate limit to check');
    const index = Math.floor(now / windowMs);
    const elapsed = now - index * windowMs;
    const keys = limits.flatMap(({ key }) => [`${this.prefix}:${key}:${windowMs}:${index}`, `${this.prefix}:${key}:${windowMs}:${index - 1}`]);
    const raw = (await (this.redis as unknown as SlidingWindowCommand).slidingWindow(keys.length, ...keys, mode, windowMs, elapsed, ...limits.map((l) => l.limit))) as number[];
    const allowed = raw[0] === 1;
    const decisions = limits.map(({ key, limit }, i): RateDecision => {
      const cur = Number(raw[1 + 2 * i]);
      const prev = Number(raw[2 + 2 * i]);
      const used = (prev * (windowMs - elapsed)) / windowMs + cur;
      const blocked = mode === 'peek' ? used >= limit : mode === 'hit' && !allowed && used + 1 > limit;
      return {
        allowed: !blocked,
        key,
        limit,
        remaining: Math.max(0, Math.floor(limit - used)),
        retryAfterMs: blocked ? retryAfterMs(limit, cur, prev, windowMs, elapsed) : 0,
        resetMs: windowMs - elapsed,
      };
    });
    const blocked = decisions.filter((d) => !d.allowed);
    if (blocked.length > 0) {
      const worst = blocked.reduce((a, b) => (b.retryAfterMs > a.retryAfterMs ? b : a));
      return { ...worst, resetMs: worst.retryAfterMs };
    }
    return decisions.reduce((a, b) => (b.remaining < a.remaining ? b : a));
  }
}

/**
 * Time until `used + 1 <= limit` with no further events: first within the current window, as
 * the previous bucket's weight falls; else in the next one, where the current bucket becomes
 * the previous (and falls from full weight).
 */
export function retryAfterMs(limit: number, cur: number, prev: number, windowMs: number, elapsed: number): number {
  const room = limit - 1 - cur;
  if (room >= 0) {
    // prev * (window - e) / window <= room  <=>  e >= window * (1 - room / prev)
    const at = prev > 0 ? windowMs * (1 - room / prev) : elapsed;
    return Math.max(1, Math.ceil(at - elapsed));
  }
  const atNext = cur > 0 ? windowMs * Math.max(0, 1 - (limit - 1) / cur) : 0;
  return Math.max(1, Math.ceil(windowMs - elapsed + atNext));
}
