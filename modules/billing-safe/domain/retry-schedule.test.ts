import { nextAttemptAt, STANDARD_RETRY_SCHEDULE, type RetrySchedule } from './retry-schedule';
import { DEFAULT_ENDPOINT_FAILURE_POLICY, nextFailureStreak, shouldDisableEndpoint, type FailureStreak } from './endpoint-failure-policy';

const S = 1_000;
const MIN = 60 * S;
const H = 60 * MIN;

/** Runs a delivery that always fails against a manual clock: every attempt time until it gives up. */
function attemptTimes(schedule: RetrySchedule, lateBy = 0): number[] {
  const times = [0];
  let now = 0;
  for (;;) {
    const next = nextAttemptAt(schedule, times.length, 0, now);
    if (next === null) return times;
    now = next + lateBy;
    times.push(now);
  }
}

describe('STANDARD_RETRY_SCHEDULE', () => {
  it('retries after 1 s, 2 s, 4 s, 8 s, 15 min, 1 h, then once more at the 24 h deadline, and gives up', () => {
    expect(attemptTimes(STANDARD_RETRY_SCHEDULE)).toEqual([0, 1 * S, 3 * S, 7 * S, 15 * S, 15 * S + 15 * MIN, 15 * S + 15 * MIN + H, 24 * H]);
  });

  it('gives up at the deadline even when attempts ran late (a queue backlog)', () => {
    const times = attemptTimes(STANDARD_RETRY_SCHEDULE, 5 * H);
    expect(times.at(-1)).toBeLessThanOrEqual(24 * H + 5 * H);
    expect(times.length).toBeLessThan(8);
  });

  it.each([
    { attemptsMade: 1, now: 0, expected: 1 * S },
    { attemptsMade: 5, now: 15 * S, expected: 15 * S + 15 * MIN },
    { attemptsMade: 7, now: 2 * H, expected: 24 * H },
    { attemptsMade: 8, now: 24 * H, expected: null },
    { attemptsMade: 2, now: 24 * H, expected: null },
  ])('after $attemptsMade failed attempts at $now ms: next at $expected', ({ attemptsMade, now, expected }) => {
    expect(nextAttemptAt(STANDARD_RETRY_SCHEDULE, attemptsMade, 0, now)).toBe(expected);
  });

  it.each([0, -1, 1.5])('refuses attemptsMade = %p', (n) => {
    expect(() => nextAttemptAt(STANDARD_RETRY_SCHEDULE, n, 0, 0)).toThrow(RangeError);
  });
});

describe('endpoint failure policy', () => {
  const fail = (streak: FailureStreak, now: number): FailureStreak => nextFailureStreak(streak, false, now);

  it('disables only after enough failures in a row spanning long enough; a success resets the streak', () => {
    let streak: FailureStreak = { consecutiveFailures: 0, failingSince: null };
    for (let i = 0; i < 100; i++) streak = fail(streak, i * S);
    expect(shouldDisableEndpoint(DEFAULT_ENDPOINT_FAILURE_POLICY, streak, 100 * S)).toBe(false);
    expect(shouldDisableEndpoint(DEFAULT_ENDPOINT_FAILURE_POLICY, streak, 25 * H)).toBe(true);
    streak = nextFailureStreak(streak, true, 25 * H);
    expect(streak).toEqual({ consecutiveFailures: 0, failingSince: null });
    expect(shouldDisableEndpoint(DEFAULT_ENDPOINT_FAILURE_POLICY, streak, 50 * H)).toBe(false);
  });

  it('does not disable a receiver that fails rarely, however long', () => {
    let streak: FailureStreak = { consecutiveFailures: 0, failingSince: null };
    for (let day = 0; day < 7; day++) streak = fail(streak, day * 24 * H);
    expect(shouldDisableEndpoint(DEFAULT_ENDPOINT_FAILURE_POLICY, streak, 7 * 24 * H)).toBe(false);
  });
});
