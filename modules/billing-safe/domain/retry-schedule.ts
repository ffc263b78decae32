/**
 * When a failed webhook delivery is tried again. Policy as data: each number is a trade-off
 * between a receiver's short blip (fast early retries catch a deploy or a restart) and not
 * hammering one that is down (the gaps grow to hours).
 */
export interface RetrySchedule {
  /** Wait after the 1st, 2nd, ... failed attempt. When they run out, the delivery gives up. */
  readonly delaysMs: readonly number[];
  /**
   * No attempt is scheduled later than this after the first one: a later retry is pulled in to
   * the deadline (the last attempt lands on it), and a failure at or after it gives up.
   */
  readonly giveUpAfterMs: number;
}

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * 1 s, 2 s, 4 s, 8 s (a restarting receiver), 15 min (a deploy or an outage), 1 h, then the
 * daily retry pulled in to the 24 h deadline. Eight attempts at most: t = 0, 1 s, 3 s, 7 s,
 * 15 s, ~15 min, ~1 h 15 min, 24 h.
 */
export const STANDARD_RETRY_SCHEDULE: RetrySchedule = {
  delaysMs: [SECOND, 2 * SECOND, 4 * SECOND, 8 * SECOND, 15 * MINUTE, HOUR, 24 * HOUR],
  giveUpAfterMs: 24 * HOUR,
};

/**
 * The time (epoch ms) of the next attempt after `attemptsMade` attempts that all failed, the
 * first at `firstAttemptAt` and the last just now; null when the delivery gives up.
 */
export function nextAttemptAt(schedule: RetrySchedule, attemptsMade: number, firstAttemptAt: number, now: number): number | null {
  if (!Number.isInteger(attemptsMade) || attemptsMade < 1) throw new RangeError(`attemptsMade must be a positive integer, got ${attemptsMade}`);
  const delay = schedule.delaysMs[attemptsMade - 1];
  const deadline = firstAttemptAt + schedule.giveUpAfterMs;
  if (delay === undefined || now >= deadline) return null;
  return Math.min(now + delay, deadline);
}
