import { minuteOf } from './analytics-frame';

/** Occupancy of one zone over one UTC minute, sampled once per processed frame. */
export interface OccupancyMinute {
  zoneId: string;
  bucketStart: number;
  max: number;
  /** Sum of the per-frame occupancy; with `samples`, the minute's mean. */
  sum: number;
  samples: number;
}

/** Per-zone occupancy per minute; changed buckets are handed out whole, like the heatmap's. */
export class OccupancyMinutes {
  private readonly buckets = new Map<string, OccupancyMinute & { changed: boolean }>();

  add(ts: number, zoneId: string, occupancy: number): void {
    const start = minuteOf(ts);
    const key = `${zoneId}:${start}`;
    let b = this.buckets.get(key);
    if (!b) {
      b = { zoneId, bucketStart: start, max: 0, sum: 0, samples: 0, changed: false };
      this.buckets.set(key, b);
    }
    b.max = Math.max(b.max, occupancy);
    b.sum += occupancy;
    b.samples += 1;
    b.changed = true;
  }

  takeChanged(keepFrom: number): OccupancyMinute[] {
    const out: OccupancyMinute[] = [];
    for (const [key, b] of this.buckets) {
      if (b.changed) out.push({ zoneId: b.zoneId, bucketStart: b.bucketStart, max: b.max, sum: b.sum, samples: b.samples });
      b.changed = false;
      if (b.bucketStart < keepFrom) this.buckets.delete(key);
    }
    return out;
  }
}
