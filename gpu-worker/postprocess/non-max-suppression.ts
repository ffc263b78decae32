/** A candidate box as corners, with a score. */
export interface ScoredBox {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  score: number;
}

/** Intersection over union of two corner boxes (0 when either is empty). */
export function iou(a: ScoredBox, b: ScoredBox): number {
  const w = Math.max(0, Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1));
  const h = Math.max(0, Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1));
  const inter = w * h;
  const union = (a.x2 - a.x1) * (a.y2 - a.y1) + (b.x2 - b.x1) * (b.y2 - b.y1) - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * Greedy non-maximum suppression: keeps the best box, drops every other whose IoU with a kept
 * box exceeds `iouThreshold`, up to `maxDetections`. Returns indices into `boxes`, best first.
 * A lower threshold merges more (fewer duplicates, but people standing close get merged).
 */
export function nonMaxSuppression(boxes: readonly ScoredBox[], iouThreshold: number, maxDetections: number): number[] {
  const order = boxes.map((_, i) => i).sort((a, b) => (boxes[b]?.score ?? 0) - (boxes[a]?.score ?? 0));
  const kept: number[] = [];
  for (const i of order) {
    if (kept.length >= maxDetections) break;
    const box = boxes[i] as ScoredBox;
    if (kept.every((k) => iou(boxes[k] as ScoredBox, box) <= iouThreshold)) kept.push(i);
  }
  return kept;
}
