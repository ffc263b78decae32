import { minuteOf } from './analytics-frame';
import type { Point } from './polygon';

/** The heatmap grid every camera uses: 64 x 48 cells over the image (4:3 cells on 16:9 images too). */
export const HEATMAP_COLS = 64;
export const HEATMAP_ROWS = 48;

/** Foot-point samples of one camera in one UTC minute, counted per grid cell (row-major). */
export interface HeatmapMinute {
  bucketStart: number;
  cells: Uint32Array;
}

/**
 * Accumulates foot points per minute: one count per track per frame in the cell under its
 * foot, so a cell's value is person-frames (time spent there times the frame rate). Buckets
 * changed since the last {@link takeChanged} are handed out whole (cumulative), so writing them
 * is an idempotent replace and a flush that fails can simply be retried.
 */
export class HeatmapAccumulator {
  private readonly buckets = new Map<number, { cells: Uint32Array; changed: boolean }>();

  add(ts: number, points: readonly Point[]): void {
    if (points.length === 0) return;
    const start = minuteOf(ts);
    let bucket = this.buckets.get(start);
    if (!bucket) {
      bucket = { cells: new Uint32Array(HEATMAP_COLS * HEATMAP_ROWS), changed: false };
      this.buckets.set(start, bucket);
    }
    for (const p of points) {
      const col = Math.min(HEATMAP_COLS - 1, Math.max(0, Math.floor(p.x * HEATMAP_COLS)));
      const row = Math.min(HEATMAP_ROWS - 1, Math.max(0, Math.floor(p.y * HEATMAP_ROWS)));
      bucket.cells[row * HEATMAP_COLS + col]! += 1;
    }
    bucket.changed = true;
  }

  /**
   * The buckets that changed, with their totals so far; buckets older than `keepFrom` are
   * released after being handed out (frames arrive in order, so they will not change again).
   */
  takeChanged(keepFrom: number): HeatmapMinute[] {
    const out: HeatmapMinute[] = [];
    for (const [start, bucket] of this.buckets) {
      if (bucket.changed) out.push({ bucketStart: start, cells: bucket.cells.slice() });
      bucket.changed = false;
      if (start < keepFrom) this.buckets.delete(start);
    }
    return out;
  }
}
