/**
 * What analytics needs of one tracked frame. Structurally a subset of tracking's `TrackedFrame`
 * (modules/tracking/domain/session), so the pipeline hands its frames over as they are and
 * analytics depends on nothing but shared.
 */
export interface AnalyticsFrame {
  /** Capture time, ms since the epoch: all analytics time is frame time, never wall time. */
  captureTs: number;
  width: number;
  height: number;
  tracks: readonly AnalyticsTrack[];
}

export interface AnalyticsTrack {
  trackId: number;
  /** Pixels. */
  box: { x: number; y: number; width: number; height: number };
  /** COCO-17 keypoints in pixels; empty when the detector gave none. */
  keypoints: readonly { x: number; y: number; score: number }[];
}

/** COCO-17 indices of the ankles. */
const LEFT_ANKLE = 15;
const RIGHT_ANKLE = 16;
/** Smoothed keypoint score above which an ankle counts as seen. */
export const ANKLE_MIN_SCORE = 0.3;

/**
 * Where a person stands, normalized to the image (0..1): the middle of the ankles when both
 * are seen (the floor contact, stable when the box is cut by the image edge or an occluder),
 * else the bottom centre of the box.
 */
export function footPoint(track: AnalyticsTrack, width: number, height: number): { x: number; y: number } {
  const left = track.keypoints[LEFT_ANKLE];
  const right = track.keypoints[RIGHT_ANKLE];
  if (left && right && left.score >= ANKLE_MIN_SCORE && right.score >= ANKLE_MIN_SCORE) {
    return { x: (left.x + right.x) / 2 / width, y: (left.y + right.y) / 2 / height };
  }
  return { x: (track.box.x + track.box.width / 2) / width, y: (track.box.y + track.box.height) / height };
}

/** Start of the UTC minute holding `ts`. */
export function minuteOf(ts: number): number {
  return Math.floor(ts / 60_000) * 60_000;
}
