/**
 * Camera tiers and their drop policies (DESIGN.md, "Drop governance"). A tier decides how long
 * a frame may wait (its deadline), how many frames a camera may hold, what happens when that is
 * full, and when frames are sampled out.
 */

/** The closed set of camera tiers, in dispatch priority order. */
export const CAMERA_TIERS = ['billing', 'critical', 'standard', 'best_effort', 'live', 'batch'] as const;

/**
 * `billing` = tier 0, `critical` = 1, `standard` = 2, `best_effort` = 3, `live` = webcams,
 * `batch` = recorded videos of batch jobs. The order is dispatch priority.
 */
export type CameraTier = (typeof CAMERA_TIERS)[number];

/** Narrows an untrusted value to a {@link CameraTier}. */
export function isCameraTier(value: unknown): value is CameraTier {
  return typeof value === 'string' && (CAMERA_TIERS as readonly string[]).includes(value);
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
  | { kind: 'by_fill'; steps: ReadonlyArray<{ fill: number; oneIn: number }>; staticBelow: number; staticOneIn: number }
  /** A hard rate cap: at most `maxFps` frames per second are kept. */
  | { kind: 'max_rate'; maxFps: number };

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
export const DEFAULT_TIER_POLICIES: Readonly<Record<CameraTier, TierPolicy>> = {
  billing: { capacity: 256, ttlMs: Number.POSITIVE_INFINITY, neverDrop: true, latestWins: false, sampling: { kind: 'none' } },
  critical: { capacity: 64, ttlMs: 1000, neverDrop: false, latestWins: false, sampling: { kind: 'when_saturated', oneIn: 2 } },
  standard: {
    capacity: 32,
    ttlMs: 500,
    neverDrop: false,
    latestWins: false,
    sampling: { kind: 'by_fill', steps: [{ fill: 0.5, oneIn: 2 }, { fill: 0.75, oneIn: 4 }], staticBelow: 0, staticOneIn: 3 },
  },
  best_effort: { capacity: 4, ttlMs: 300, neverDrop: false, latestWins: false, sampling: { kind: 'max_rate', maxFps: 2 } },
  live: { capacity: 4, ttlMs: 300, neverDrop: false, latestWins: true, sampling: { kind: 'none' } },
  // Recorded video: every frame matters and nobody waits for it live, so it never drops (the
  // decoder is paused instead) and is dispatched last, after every live tier.
  batch: { capacity: 32, ttlMs: Number.POSITIVE_INFINITY, neverDrop: true, latestWins: false, sampling: { kind: 'none' } },
};
