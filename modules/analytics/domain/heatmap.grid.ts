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
 * foot, so a cell's value is person-frames (time spent there times the frame rate). What
 * accumulated since the last {@link take} is handed out and forgotten: the store adds it to
 * the minute's row, so a camera whose state is rebuilt mid-minute (zones edited, a restart)
 * adds to the minute instead of overwriting it.
 */
export class HeatmapAccumulator {
  private readonly buckets = new Map<number, Uint32Array>();

  add(ts: number, points: readonly Point[]): void {
    if (points.length === 0) return;
    const start = minuteOf(ts);
    let cells = this.buckets.get(start);
    if (!cells) {
      cells = new Uint32Array(HEATMAP_COLS * HEATMAP_ROWS);
      this.buckets.set(start, cells);
    }
    for (const p of points) {
      const col = Math.min(HEATMAP_COLS - 1, Math.max(0, Math.floor(p.x * HEATMAP_COLS)));
      const row = Math.min(HEATMAP_ROWS - 1, Math.max(0, Math.floor(p.y * HEATMAP_ROWS)));
      cells[row * HEATMAP_COLS + col]! += 1;
    }
  }

  /** Counts added since the last call, per minute. */
  take(): HeatmapMinute[] {
    const out = [...this.buckets].map(([bucketStart, cells]) => ({ bucketStart, cells }));
    this.buckets.clear();
    return out;
  }
}
