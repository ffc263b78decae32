import type { Keypoint } from '../inference/inference-backend';

/** L2-normalizes a vector; a zero vector stays zero. */
export function l2Normalize(v: ArrayLike<number>): number[] {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += (v[i] ?? 0) ** 2;
  const inv = sum > 0 ? 1 / Math.sqrt(sum) : 0;
  return Array.from(v, (x) => x * inv);
}

/** Options of {@link faceRegionFromKeypoints}. */
export interface FaceRegionOptions {
  /** Keypoint score below which a face keypoint is ignored. Default 0.3. */
  minKeypointScore?: number;
  /** Side of the square as a multiple of the eye distance. Default 2.6 (forehead to chin). */
  eyeDistanceScale?: number;
  /** Smallest face side in pixels worth embedding. Default 16; smaller crops embed noise. */
  minSide?: number;
}

/**
 * A square face region from COCO keypoints (0 nose, 1-2 eyes, 3-4 ears), clamped to the image,
 * or undefined when both eyes are not visible or the face is too small. The square is centred
 * a little below the eyes, towards the nose, as aligned face crops are.
 */
export function faceRegionFromKeypoints(
  keypoints: readonly Keypoint[],
  imageWidth: number,
  imageHeight: number,
  options: FaceRegionOptions = {},
): { x: number; y: number; side: number } | undefined {
  const min = options.minKeypointScore ?? 0.3;
  const [nose, leftEye, rightEye, leftEar, rightEar] = keypoints;
  if (!leftEye || !rightEye || leftEye.score < min || rightEye.score < min) return undefined;
  const eyeDist = Math.hypot(leftEye.x - rightEye.x, leftEye.y - rightEye.y);
  const earDist =
    leftEar && rightEar && leftEar.score >= min && rightEar.score >= min ? Math.hypot(leftEar.x - rightEar.x, leftEar.y - rightEar.y) : 0;
  let side = Math.max(eyeDist * (options.eyeDistanceScale ?? 2.6), earDist * 1.2);
  const eyesX = (leftEye.x + rightEye.x) / 2;
  const eyesY = (leftEye.y + rightEye.y) / 2;
  const cx = nose && nose.score >= min ? (eyesX + nose.x) / 2 : eyesX;
  const cy = nose && nose.score >= min ? (eyesY + nose.y) / 2 : eyesY + side * 0.15;
  side = Math.min(side, imageWidth, imageHeight);
  if (side < (options.minSide ?? 16)) return undefined;
  const x = Math.min(Math.max(0, cx - side / 2), imageWidth - side);
  const y = Math.min(Math.max(0, cy - side / 2), imageHeight - side);
  return { x, y, side };
}
