import type { Box, Keypoint } from '../inference/inference-backend';
import type { LetterboxTransform } from '../preprocess/letterbox.preprocessor';

/** Maps a point in model-input pixels back to original image pixels. */
export function undoLetterbox(x: number, y: number, t: LetterboxTransform): { x: number; y: number } {
  return { x: (x * t.sourceWidth) / t.contentWidth, y: (y * t.sourceHeight) / t.contentHeight };
}

/** Maps a keypoint; the score is kept. */
export function undoLetterboxKeypoint(k: Keypoint, t: LetterboxTransform): Keypoint {
  return { ...undoLetterbox(k.x, k.y, t), score: k.score };
}

/** Maps a box given by corners in model pixels, clamped to the original image. */
export function undoLetterboxBox(x1: number, y1: number, x2: number, y2: number, t: LetterboxTransform): Box {
  const a = undoLetterbox(x1, y1, t);
  const b = undoLetterbox(x2, y2, t);
  const left = clamp(Math.min(a.x, b.x), 0, t.sourceWidth);
  const top = clamp(Math.min(a.y, b.y), 0, t.sourceHeight);
  const right = clamp(Math.max(a.x, b.x), 0, t.sourceWidth);
  const bottom = clamp(Math.max(a.y, b.y), 0, t.sourceHeight);
  return { x: left, y: top, width: right - left, height: bottom - top };
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
