/**
 * When an endpoint that keeps failing is switched off. Both conditions must hold, so a burst of
 * events during a five-minute outage (dozens of quick failed attempts) does not disable it, and
 * a receiver that fails once a day for a week (few attempts) does not either.
 */
export interface EndpointFailurePolicy {
  /** Failed attempts in a row, across deliveries. Default 30. Lower disables sooner and loses more events to short outages. */
  readonly disableAfterFailures: number;
  /** Since the first failure of the streak. Default 24 h, the give-up horizon of one delivery. */
  readonly disableAfterMs: number;
}

export const DEFAULT_ENDPOINT_FAILURE_POLICY: EndpointFailurePolicy = { disableAfterFailures: 30, disableAfterMs: 24 * 3600_000 };

/** An endpoint's failure streak (reset by any successful attempt). */
export interface FailureStreak {
  consecutiveFailures: number;
  /** Epoch ms of the streak's first failure; null when there is no streak. */
  failingSince: number | null;
}

/** The streak after one more attempt. */
export function nextFailureStreak(streak: FailureStreak, succeeded: boolean, now: number): FailureStreak {
  if (succeeded) return { consecutiveFailures: 0, failingSince: null };
  return { consecutiveFailures: streak.consecutiveFailures + 1, failingSince: streak.failingSince ?? now };
}

export function shouldDisableEndpoint(policy: EndpointFailurePolicy, streak: FailureStreak, now: number): boolean {
  return streak.failingSince !== null && streak.consecutiveFailures >= policy.disableAfterFailures && now - streak.failingSince >= policy.disableAfterMs;
}
