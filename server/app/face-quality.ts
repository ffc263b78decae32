/** A frame's track as far as face quality needs it (tracking's FrameTrack). */
export interface QualityTrack {
  trackId: number;
  score: number;
  keypoints: readonly { score: number }[];
}

/** COCO keypoint indices of the eyes: the worker aligns and embeds a face from these two. */
const LEFT_EYE = 1;
const RIGHT_EYE = 2;

/**
 * The face quality identity's gallery refresh needs, in [0, 1]. The worker sends no face
 * quality, so this uses what the frame carries: the weaker of the two eye keypoint scores (the
 * face crop is aligned by the eyes), or the detection score when the track has no keypoints.
 * Undefined when the track is not in the frame: that sighting then never refreshes a gallery.
 */
export function faceQualityOf(tracks: readonly QualityTrack[], trackId: number): number | undefined {
  const track = tracks.find((t) => t.trackId === trackId);
  if (!track) return undefined;
  const left = track.keypoints[LEFT_EYE];
  const right = track.keypoints[RIGHT_EYE];
  const q = left && right ? Math.min(left.score, right.score) : track.score;
  return Number.isFinite(q) ? Math.min(Math.max(q, 0), 1) : undefined;
}
