/**
 * Camera tiers of DESIGN.md's drop-governance table, most protected first:
 * `BILLING` never drops (backpressure instead), `CRITICAL` samples only when saturated,
 * `STANDARD` samples by fill and motion, `BEST_EFFORT` has a hard low rate, `LIVE` is latest-wins.
 */
export const CAMERA_TIERS = ['BILLING', 'CRITICAL', 'STANDARD', 'BEST_EFFORT', 'LIVE'] as const;

export type CameraTier = (typeof CAMERA_TIERS)[number];

export function isCameraTier(value: unknown): value is CameraTier {
  return typeof value === 'string' && (CAMERA_TIERS as readonly string[]).includes(value);
}
