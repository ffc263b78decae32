/**
 * The one definition of camera tiers (docs/ARCHITECTURE.md, "Drop governance"), most protected
 * first. Prisma's enum, the GraphQL enum, admission, the control plane and the dashboard all
 * use these spellings; the control plane adds `BATCH` for recorded videos (see `DispatchTier`
 * in modules/tracking).
 *
 * `BILLING` never drops (backpressure instead), `CRITICAL` samples only when saturated,
 * `STANDARD` samples by buffer fill and motion, `BEST_EFFORT` has a hard low rate, `LIVE` is
 * latest-wins (a phone or browser webcam).
 */
export const CAMERA_TIERS = ['BILLING', 'CRITICAL', 'STANDARD', 'BEST_EFFORT', 'LIVE'] as const;

export type CameraTier = (typeof CAMERA_TIERS)[number];

export function isCameraTier(value: unknown): value is CameraTier {
  return typeof value === 'string' && (CAMERA_TIERS as readonly string[]).includes(value);
}

/**
 * BEST_EFFORT's hard ceiling in frames per second, whatever the camera's target rate. Enforced
 * once, by admission's token bucket at the edge (sources and uploads both pass it).
 */
export const BEST_EFFORT_MAX_FPS = 2;
