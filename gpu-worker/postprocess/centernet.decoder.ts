import type { ScoredBox } from './non-max-suppression';

/** Values per CenterNet detection row: x1, y1, x2, y2 (model-input pixels), score, class. */
export const CENTERNET_ROW = 6;

/**
 * Decodes the `[1, 100, 6]` detections of MB3-CenterNet (its graph already picks the top 100
 * peaks) into person boxes (class 0) in model-input pixels, before NMS.
 */
export function decodeCenterNetPersons(detections: Float32Array, options: { minScore?: number } = {}): ScoredBox[] {
  const minScore = options.minScore ?? 0.3;
  const out: ScoredBox[] = [];
  for (let o = 0; o + CENTERNET_ROW <= detections.length; o += CENTERNET_ROW) {
    const score = detections[o + 4] ?? 0;
    if (score < minScore || Math.round(detections[o + 5] ?? -1) !== 0) continue;
    out.push({ x1: detections[o] ?? 0, y1: detections[o + 1] ?? 0, x2: detections[o + 2] ?? 0, y2: detections[o + 3] ?? 0, score });
  }
  return out;
}
