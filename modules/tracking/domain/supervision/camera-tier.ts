import { CAMERA_TIERS, type CameraTier } from '@trinetra/shared';

/**
 * Dispatch classes of the control plane and their drop policies (docs/ARCHITECTURE.md, "Drop
 * governance"): the camera tiers of modules/shared plus `BATCH` for recorded videos of batch
 * jobs. A class decides how long a frame may wait (its deadline), how many frames a camera may
 * hold, what happens when that is full, and when frames are sampled out.
 */

/** Every dispatch class, in dispatch priority order (`BATCH` last: imports never starve live cameras). */
export const DISPATCH_TIERS = [...CAMERA_TIERS, 'BATCH'] as const;

export type DispatchTier = CameraTier | 'BATCH';

/** Narrows an untrusted value to a {@link DispatchTier}. */
export function isDispatchTier(value: unknown): value is DispatchTier {
  return typeof value === 'string' && (DISPATCH_TIERS as readonly string[]).includes(value);
}

/** Adaptive 1-in-N sampling, applied before a frame enters the pending buffer. */
export type SamplingPolicy =
  /** Keep every frame. */
  | { kind: 'none' }
  /** Keep 1 in `oneIn` frames while the worker pool is saturated (all in-flight slots used). */
  | { kind: 'when_saturated'; oneIn: number }
  /**
   * Keep 1 in `oneIn` of the first step whose `fill` (0..1 of buffer capacity) is reached; steps
   * sorted by ascending fill. Frames whose `motion` hint is below `staticBelow` are kept 1 in
   * `staticOneIn` (a still scene loses little when sampled).
   */
  | { kind: 'by_fill'; steps: ReadonlyArray<{ fill: number; oneIn: number }>; staticBelow: number; staticOneIn: number };

/** Everything the control plane needs to know about one tier. */
export interface TierPolicy {
  /**
   * Frames a camera may hold at once (waiting, in flight, or done and waiting for an earlier
   * frame). Larger absorbs longer worker stalls; smaller bounds memory and staleness.
   */
  capacity: number;
  /**
   * Milliseconds from admission to a frame's deadline. After it, a waiting frame is dropped
   * (`ttl_expired`) and an in-flight one (`deadline_missed`, after the in-flight grace). Shorter
   * keeps output fresh; longer drops less under jitter. Ignored for `neverDrop` tiers.
   */
  ttlMs: number;
  /**
   * Never drop: a full buffer refuses with backpressure (the source must slow down or pause),
   * frames have no deadline, and a frame whose worker vanished is dispatched again.
   */
  neverDrop: boolean;
  /** Latest-wins: at most one frame waits for dispatch; a newer one supersedes it. */
  latestWins: boolean;
  sampling: SamplingPolicy;
}

/** Policies straight from the DESIGN table; override per camera where a deployment needs it. */
export const DEFAULT_TIER_POLICIES: Readonly<Record<DispatchTier, TierPolicy>> = {
  BILLING: { capacity: 256, ttlMs: Number.POSITIVE_INFINITY, neverDrop: true, latestWins: false, sampling: { kind: 'none' } },
  CRITICAL: { capacity: 64, ttlMs: 1000, neverDrop: false, latestWins: false, sampling: { kind: 'when_saturated', oneIn: 2 } },
  STANDARD: {
    capacity: 32,
    ttlMs: 500,
    neverDrop: false,
    latestWins: false,
    sampling: {
      kind: 'by_fill',
      steps: [
        { fill: 0.5, oneIn: 2 },
        { fill: 0.75, oneIn: 4 },
      ],
      staticBelow: 0,
      staticOneIn: 3,
    },
  },
  // Its hard low rate (BEST_EFFORT_MAX_FPS in modules/shared) is admission's, at the edge: enforced once.
  BEST_EFFORT: { capacity: 4, ttlMs: 300, neverDrop: false, latestWins: false, sampling: { kind: 'none' } },
  LIVE: { capacity: 4, ttlMs: 300, neverDrop: false, latestWins: true, sampling: { kind: 'none' } },
  // Recorded video: every frame matters and nobody waits for it live, so it never drops (the
  // decoder is paused instead) and is dispatched last, after every live tier.
  BATCH: { capacity: 32, ttlMs: Number.POSITIVE_INFINITY, neverDrop: true, latestWins: false, sampling: { kind: 'none' } },
};
