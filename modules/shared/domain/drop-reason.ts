/**
 * The closed set of reasons a frame can leave the pipeline without reaching the tracker
 * (DESIGN.md, "Drop governance"). Every drop event, metric label and GraphQL enum uses these.
 */
export const DROP_REASONS = [
  /** Waited in the pending buffer past its deadline. */
  'ttl_expired',
  /** The camera's pending buffer was at capacity (or, for live cameras, a newer frame replaced it). */
  'buffer_full',
  /** Adaptive 1-in-N sampling skipped it (pipeline saturated or scene static). */
  'sampled_out',
  /** Arrived faster than the camera's token bucket allows. */
  'burst_suppressed',
  /** The worker pool's circuit breaker was open. */
  'breaker_open',
  /** A worker received it after its deadline and skipped it. */
  'deadline_missed',
  /** A result arrived for a frame already released or dropped (late or duplicate). */
  'orphaned_result',
  /** Its sequence or capture timestamp went backwards (or repeated) for its camera. */
  'out_of_order',
  /** The image could not be decoded. */
  'decode_failed',
  /** Refused so the source slows down (billing-tier cameras are paused, never dropped, so this applies to sources that cannot pause). */
  'backpressure',
  /** Its source failed while the frame was in flight. */
  'source_failed',
  /** Replaced by a newer frame of a latest-wins (live) camera before it was dispatched. */
  'superseded',
  /** Over the tenant's plan quota or rate limit. */
  'quota_exceeded',
  /** Uploaded to a camera that is not started (its desired state is STOPPED). */
  'camera_stopped',
] as const;

/** Why a frame was dropped; a closed set (see {@link DROP_REASONS}). */
export type DropReason = (typeof DROP_REASONS)[number];

const dropReasonSet: ReadonlySet<string> = new Set(DROP_REASONS);

/** Narrows an untrusted string (a Redis field, a worker reply) to a {@link DropReason}. */
export function isDropReason(value: unknown): value is DropReason {
  return typeof value === 'string' && dropReasonSet.has(value);
}
