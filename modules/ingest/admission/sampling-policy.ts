import type { CameraTier } from '../domain/camera-tier';

/** Knobs of {@link samplingInterval}; defaults in {@link DEFAULT_SAMPLING}. */
export interface SamplingOptions {
  /** Largest N of 1-in-N. Default 8. Higher sheds more load but makes tracks coarser. */
  maxInterval: number;
  /** STANDARD starts sampling above this buffer fill (0..1). Default 0.5. */
  standardLowWater: number;
  /** BEST_EFFORT starts sampling above this fill. Default 0.25 (it yields early to the others). */
  bestEffortLowWater: number;
  /** CRITICAL samples only at or above this fill ("saturated"). Default 0.9. */
  criticalSaturation: number;
  /** Fill at which N reaches `maxInterval`. Default 0.95. */
  highWater: number;
  /** Motion (0..1) below which a scene counts as static: N doubles. Default 0.02. */
  staticMotion: number;
  /** Motion above which a scene counts as busy: N halves (more frames where things happen). Default 0.15. */
  busyMotion: number;
}

export const DEFAULT_SAMPLING: SamplingOptions = {
  maxInterval: 8,
  standardLowWater: 0.5,
  bestEffortLowWater: 0.25,
  criticalSaturation: 0.9,
  highWater: 0.95,
  staticMotion: 0.02,
  busyMotion: 0.15,
};

function ramp(fill: number, low: number, high: number, max: number): number {
  if (fill <= low) return 1;
  const t = Math.min(1, (fill - low) / Math.max(1e-9, high - low));
  return 1 + Math.round(t * (max - 1));
}

/**
 * N of the adaptive 1-in-N sampling for one frame, by tier (DESIGN.md drop governance):
 * BILLING and LIVE never sample (billing pushes back instead; live is latest-wins in the buffer),
 * CRITICAL samples only when the buffer is saturated, STANDARD by fill and motion, BEST_EFFORT
 * like STANDARD but from a lower fill. Motion only matters once N > 1 because of fill, except
 * that a static STANDARD/BEST_EFFORT scene is always thinned to 1-in-2.
 *
 * @param fill the camera's pending-buffer fill, 0 (empty) to 1 (full)
 * @param motion frame-to-frame motion 0..1, or undefined when unknown
 */
export function samplingInterval(tier: CameraTier, fill: number, motion: number | undefined, options: SamplingOptions = DEFAULT_SAMPLING): number {
  const o = options;
  let n: number;
  switch (tier) {
    case 'BILLING':
    case 'LIVE':
      return 1;
    case 'CRITICAL':
      n = fill >= o.criticalSaturation ? ramp(fill, o.criticalSaturation - 1e-9, 1, Math.max(2, Math.floor(o.maxInterval / 2))) : 1;
      break;
    case 'STANDARD':
      n = ramp(fill, o.standardLowWater, o.highWater, o.maxInterval);
      break;
    case 'BEST_EFFORT':
      n = ramp(fill, o.bestEffortLowWater, o.highWater, o.maxInterval);
      break;
  }
  if (motion === undefined) return n;
  if (motion < o.staticMotion && tier !== 'CRITICAL') return Math.min(o.maxInterval, Math.max(2, n * 2));
  if (motion > o.busyMotion) return Math.max(1, Math.ceil(n / 2));
  return n;
}
