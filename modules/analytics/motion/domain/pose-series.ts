/**
 * The input of every motion analysis: one athlete's keypoints over time, sampled at a fixed
 * rate. Keypoints are COCO-17 in image pixels (y grows downwards), the layout the tracking
 * module emits on `FrameTrack.keypoints` and in batch JSONL.gz files
 * (`modules/tracking/domain/pose/keypoint-layout.ts`, `COCO_17`).
 */

/** One keypoint in image pixels, with the model's confidence in [0, 1]. */
export interface MotionKeypoint {
  readonly x: number;
  readonly y: number;
  readonly score: number;
}

/**
 * A uniformly sampled pose sequence of one athlete. A frame is null where the athlete was not
 * tracked; analyses treat such frames as gaps, never as zeros.
 */
export interface PoseSeries {
  /** Sampling rate of `frames`, frames per second. */
  readonly fps: number;
  /** COCO-17 keypoints per frame, or null for a frame without the athlete. */
  readonly frames: readonly (readonly MotionKeypoint[] | null)[];
}

/** COCO-17 indices of the joints the analyses read. */
export const COCO = {
  nose: 0,
  leftShoulder: 5,
  rightShoulder: 6,
  leftHip: 11,
  rightHip: 12,
  leftKnee: 13,
  rightKnee: 14,
  leftAnkle: 15,
  rightAnkle: 16,
} as const;

/** Number of keypoints in a COCO-17 frame. */
export const COCO_17_LENGTH = 17;

/** For each COCO-17 joint, its index in BlazePose's 33 landmarks (same joint names). */
const BLAZEPOSE_INDEX_OF_COCO: readonly number[] = [0, 2, 5, 7, 8, 11, 12, 13, 14, 15, 16, 23, 24, 25, 26, 27, 28];

/**
 * Converts BlazePose-33 landmarks (`[x, y, z]` pixels, as in tfjs-models' expected outputs) to
 * COCO-17, so a BlazePose sequence can be analysed like MoveNet's. BlazePose files carry no
 * per-landmark score here, so every keypoint gets `score`.
 */
export function coco17FromBlazePose33(landmarks: readonly (readonly number[])[], score = 1): MotionKeypoint[] {
  if (landmarks.length !== 33) throw new RangeError(`expected 33 BlazePose landmarks, got ${landmarks.length}`);
  return BLAZEPOSE_INDEX_OF_COCO.map((i) => {
    const [x, y] = landmarks[i] ?? [];
    if (x === undefined || y === undefined) throw new RangeError(`BlazePose landmark ${i} lacks x or y`);
    return { x, y, score };
  });
}
