import type { MatchThresholds } from './open-set-matcher';
import type { PairScores } from './verification-metrics';

/**
 * The faceres thresholds the product ships with, calibrated (not guessed, and not the seed's
 * 0.72 for ArcFace) by `npm run cli -- identity calibrate` on the enrol split of the shared
 * faces (photos 1-2 of five people: 5 genuine, 40 impostor pairs). Photos are found by BlazeFace
 * and aligned by its eye keypoints (server/app/identity-face-embedder.ts, the live path's
 * alignment): the threshold maximising F0.5 is 0.616 (precision 1.0, recall 0.8; it was 0.604
 * with centre crops, shipped as 0.6). Reported on the other photos (3-5) of the open-set test
 * it names 7/9 enrolled queries and no stranger (server/test/identity-open-set.int.test.ts). The review band
 * reaches 0.10 below: weak matches there raise UNKNOWN_IDENTITY for a person to look at.
 * A test recomputes the calibration so this constant cannot silently go stale.
 */
export const FACERES_THRESHOLDS: MatchThresholds = Object.freeze({ accept: 0.615, review: 0.515 });

/** A camera's offset may move its thresholds by at most this much (a bad offset must not accept everyone). */
export const MAX_CAMERA_OFFSET = 0.2;

/**
 * The thresholds for one camera: the model's thresholds moved by the camera's offset (a
 * camera with poor light or steep angles gets a negative offset after review, a camera at a
 * high-security door a positive one). The offset is clamped to ±MAX_CAMERA_OFFSET.
 */
export function cameraThresholds(base: MatchThresholds, offset: number): MatchThresholds {
  if (!Number.isFinite(offset)) throw new RangeError('threshold offset must be a finite number');
  const o = Math.max(-MAX_CAMERA_OFFSET, Math.min(MAX_CAMERA_OFFSET, offset));
  return { accept: base.accept + o, review: base.review + o };
}

/** One point of a threshold sweep. */
export interface FBetaPoint {
  threshold: number;
  precision: number;
  recall: number;
  fBeta: number;
}

/**
 * The threshold (accept when similarity >= t) that maximises F-beta on labelled pair scores.
 * beta < 1 weighs precision above recall: with beta = 0.5 a false accept (naming a stranger)
 * costs more than a miss. Ties go to the higher threshold (the safer one).
 */
export function fBetaThreshold(scores: PairScores, beta = 0.5): FBetaPoint {
  if (scores.genuine.length === 0) throw new RangeError('calibration needs at least one genuine pair (a person with two photos)');
  const b2 = beta * beta;
  let best: FBetaPoint = { threshold: 1, precision: 0, recall: 0, fBeta: 0 };
  for (const t of [...new Set([...scores.genuine, ...scores.impostor])].sort((a, b) => a - b)) {
    const tp = scores.genuine.filter((g) => g >= t).length;
    const fp = scores.impostor.filter((i) => i >= t).length;
    if (tp === 0) continue;
    const precision = tp / (tp + fp);
    const recall = tp / scores.genuine.length;
    const fBeta = ((1 + b2) * precision * recall) / (b2 * precision + recall);
    if (fBeta >= best.fBeta) best = { threshold: t, precision, recall, fBeta };
  }
  return best;
}
