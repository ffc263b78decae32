import type { Region } from '../preprocess/frame-raster';
import { type ScoredBox, nonMaxSuppression } from './non-max-suppression';

/** A detector box in frame pixels and the region (whole frame or tile) it was found in. */
export interface RegionBox {
  box: ScoredBox;
  region: Region;
}

/** Options of {@link mergeRegionBoxes}. */
export interface MergeOptions {
  /** NMS IoU threshold. Default 0.5: pedestrians overlap a lot in crowds. */
  iouThreshold?: number;
  /** At most this many persons per frame. Default 50. */
  maxDetections?: number;
  /**
   * A tile box cut by an inner tile edge (within `edgeMargin` px) is dropped when this much of
   * it (intersection over its own area) lies inside a kept box: that is the same person seen
   * whole elsewhere. Default 0.6.
   */
  cutContainment?: number;
  edgeMargin?: number;
}

/**
 * Merges boxes found on the whole frame and on overlapping tiles: NMS across all of them, then
 * removal of tile boxes that a tile seam cut in half and that another kept box already covers
 * (plain IoU misses those: half a person has IoU ~0.5 with the whole).
 */
export function mergeRegionBoxes(candidates: readonly RegionBox[], frameWidth: number, frameHeight: number, options: MergeOptions = {}): ScoredBox[] {
  const iouThreshold = options.iouThreshold ?? 0.5;
  const containment = options.cutContainment ?? 0.6;
  const margin = options.edgeMargin ?? 2;
  const boxes = candidates.map((c) => c.box);
  const kept = nonMaxSuppression(boxes, iouThreshold, options.maxDetections ?? 50);
  const cut = (c: RegionBox): boolean => {
    const r = c.region;
    const b = c.box;
    return (
      (r.x > 0 && b.x1 <= r.x + margin) ||
      (r.y > 0 && b.y1 <= r.y + margin) ||
      (r.x + r.width < frameWidth && b.x2 >= r.x + r.width - margin) ||
      (r.y + r.height < frameHeight && b.y2 >= r.y + r.height - margin)
    );
  };
  return kept
    .filter((i) => {
      const c = candidates[i] as RegionBox;
      if (!cut(c)) return true;
      return !kept.some((j) => j !== i && !cut(candidates[j] as RegionBox) && overlapOfFirst(c.box, boxes[j] as ScoredBox) >= containment);
    })
    .map((i) => boxes[i] as ScoredBox);
}

/** Intersection over the area of `a`. */
function overlapOfFirst(a: ScoredBox, b: ScoredBox): number {
  const w = Math.max(0, Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1));
  const h = Math.max(0, Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1));
  const area = (a.x2 - a.x1) * (a.y2 - a.y1);
  return area > 0 ? (w * h) / area : 0;
}
