import type { Keypoint } from '../inference/inference-backend';
import { type ScoredBox, nonMaxSuppression } from './non-max-suppression';

/** Side of BlazeFace's (full-range) input. */
export const BLAZEFACE_SIDE = 256;
/** Regressors per anchor: box centre offset (2), box size (2), 6 keypoints (12). */
const REGRESSORS = 16;
/** BlazeFace keypoints, in the model's order. "Right"/"left" are the person's own sides. */
export const BLAZEFACE_KEYPOINTS = ['rightEye', 'leftEye', 'nose', 'mouth', 'rightEar', 'leftEar'] as const;

/** Where the detector's input came from: input pixel = source pixel * scale + pad. */
export interface BlazeFaceTransform {
  scale: number;
  padX: number;
  padY: number;
}

/** A face found by BlazeFace, in source-image pixels. */
export interface DetectedFace {
  box: { x: number; y: number; width: number; height: number };
  score: number;
  /** The six keypoints in {@link BLAZEFACE_KEYPOINTS} order (scores are the face's score). */
  keypoints: Keypoint[];
}

/** Options of {@link decodeBlazeFace}. */
export interface BlazeFaceDecodeOptions {
  /** Face score (sigmoid of the logit) below which an anchor is dropped. Default 0.5 (MediaPipe's). */
  minScore?: number;
  /** NMS IoU above which the weaker of two boxes is dropped. Default 0.3. */
  iouThreshold?: number;
  /** At most this many faces. Default 20. */
  maxFaces?: number;
}

/**
 * Anchor centres in input pixels, in the model's output order: the 16x16 level (stride 16, two
 * anchors per cell) then the 8x8 level (stride 32, six per cell), cells row-major, centres at
 * +0.5 cell. Anchors are fixed-size in this model: the regressed size is the box's size.
 */
export function blazeFaceAnchors(side = BLAZEFACE_SIDE): Float32Array {
  const levels = [
    { stride: side / 16, perCell: 2 },
    { stride: side / 8, perCell: 6 },
  ];
  const out: number[] = [];
  for (const { stride, perCell } of levels) {
    const cells = Math.ceil(side / stride);
    for (let gy = 0; gy < cells; gy++) {
      for (let gx = 0; gx < cells; gx++) {
        for (let n = 0; n < perCell; n++) out.push(stride * (gx + 0.5), stride * (gy + 0.5));
      }
    }
  }
  return Float32Array.from(out);
}

const ANCHORS = blazeFaceAnchors();
const ANCHOR_COUNT = ANCHORS.length / 2;

/**
 * The model's four outputs (two score maps, two regressor maps, any order) put back in anchor
 * order, told apart by their length: 512 and 8192 values for the 16x16 level, 384 and 6144 for
 * the 8x8 one. Anything else is not the full-range BlazeFace.
 */
function byLevel(outputs: readonly Float32Array[]): { scores: Float32Array; regressors: Float32Array } {
  const find = (n: number): Float32Array => {
    const o = outputs.find((x) => x.length === n);
    if (!o) throw new Error(`BlazeFace output of ${n} values missing (got lengths ${outputs.map((x) => x.length).join(', ')})`);
    return o;
  };
  const scores = new Float32Array(ANCHOR_COUNT);
  scores.set(find(512), 0);
  scores.set(find(384), 512);
  const regressors = new Float32Array(ANCHOR_COUNT * REGRESSORS);
  regressors.set(find(512 * REGRESSORS), 0);
  regressors.set(find(384 * REGRESSORS), 512 * REGRESSORS);
  return { scores, regressors };
}

/**
 * Faces from BlazeFace's outputs, best first, in source pixels: box centre = anchor + offset,
 * box size as regressed, keypoint = anchor + offset (all in input pixels), then greedy NMS.
 * MediaPipe blends overlapping boxes ("weighted NMS"); plain NMS keeps the best box, which is
 * what the eye keypoints used for alignment need (a blend of keypoints is not a keypoint).
 */
export function decodeBlazeFace(outputs: readonly Float32Array[], transform: BlazeFaceTransform, options: BlazeFaceDecodeOptions = {}): DetectedFace[] {
  const minScore = options.minScore ?? 0.5;
  const { scores, regressors } = byLevel(outputs);
  const minLogit = Math.log(minScore / (1 - minScore));
  const candidates: (ScoredBox & { anchor: number })[] = [];
  for (let a = 0; a < ANCHOR_COUNT; a++) {
    const logit = scores[a] as number;
    if (!(logit >= minLogit)) continue;
    const r = a * REGRESSORS;
    const cx = (regressors[r] as number) + (ANCHORS[a * 2] as number);
    const cy = (regressors[r + 1] as number) + (ANCHORS[a * 2 + 1] as number);
    const w = regressors[r + 2] as number;
    const h = regressors[r + 3] as number;
    if (!(w > 0 && h > 0)) continue;
    candidates.push({ x1: cx - w / 2, y1: cy - h / 2, x2: cx + w / 2, y2: cy + h / 2, score: 1 / (1 + Math.exp(-Math.max(-100, Math.min(100, logit)))), anchor: a });
  }
  const kept = nonMaxSuppression(candidates, options.iouThreshold ?? 0.3, options.maxFaces ?? 20);
  const toX = (x: number): number => (x - transform.padX) / transform.scale;
  const toY = (y: number): number => (y - transform.padY) / transform.scale;
  return kept.map((i) => {
    const c = candidates[i] as ScoredBox & { anchor: number };
    const r = c.anchor * REGRESSORS;
    const ax = ANCHORS[c.anchor * 2] as number;
    const ay = ANCHORS[c.anchor * 2 + 1] as number;
    const keypoints: Keypoint[] = BLAZEFACE_KEYPOINTS.map((_, k) => ({
      x: toX((regressors[r + 4 + k * 2] as number) + ax),
      y: toY((regressors[r + 5 + k * 2] as number) + ay),
      score: c.score,
    }));
    const x = toX(c.x1);
    const y = toY(c.y1);
    return { box: { x, y, width: toX(c.x2) - x, height: toY(c.y2) - y }, score: c.score, keypoints };
  });
}
