import type { PersonDetection } from '../inference/inference-backend';
import type { LetterboxTransform } from '../preprocess/letterbox.preprocessor';
import { undoLetterboxBox, undoLetterboxKeypoint } from './letterbox-inverse';
import { type ScoredBox, nonMaxSuppression } from './non-max-suppression';

/** Options of {@link decodeYoloV8Pose}. */
export interface YoloV8PoseDecodeOptions {
  /** Minimum person confidence. Default 0.25 (Ultralytics' default). */
  minScore?: number;
  /** NMS IoU threshold. Default 0.45; lower merges close people, higher keeps duplicates. */
  iouThreshold?: number;
  /** At most this many persons per frame. Default 100. */
  maxDetections?: number;
}

/**
 * Decodes one frame of a YOLOv8-pose head, `[56, N]` channel-major as Ultralytics exports it:
 * rows cx, cy, w, h, person score, then 17 x (x, y, visibility) — all in input pixels.
 * `data` is the frame's slice; `anchors` is N.
 */
export function decodeYoloV8Pose(
  data: Float32Array,
  anchors: number,
  transform: LetterboxTransform,
  options: YoloV8PoseDecodeOptions = {},
): PersonDetection[] {
  const minScore = options.minScore ?? 0.25;
  const at = (channel: number, i: number): number => data[channel * anchors + i] ?? 0;
  const candidates: (ScoredBox & { index: number })[] = [];
  for (let i = 0; i < anchors; i++) {
    const score = at(4, i);
    if (score < minScore) continue;
    const cx = at(0, i);
    const cy = at(1, i);
    const w = at(2, i);
    const h = at(3, i);
    candidates.push({ x1: cx - w / 2, y1: cy - h / 2, x2: cx + w / 2, y2: cy + h / 2, score, index: i });
  }
  const kept = nonMaxSuppression(candidates, options.iouThreshold ?? 0.45, options.maxDetections ?? 100);
  return kept.map((k) => {
    const c = candidates[k] as ScoredBox & { index: number };
    const keypoints = Array.from({ length: 17 }, (_, j) =>
      undoLetterboxKeypoint({ x: at(5 + j * 3, c.index), y: at(6 + j * 3, c.index), score: at(7 + j * 3, c.index) }, transform),
    );
    return { box: undoLetterboxBox(c.x1, c.y1, c.x2, c.y2, transform), score: c.score, keypoints };
  });
}
