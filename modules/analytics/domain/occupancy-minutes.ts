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

/**
 * Per-zone occupancy per minute, handed out as what was sampled since the last take (the
 * store keeps the greater max and adds sums and samples), like the heatmap's buckets.
 */
export class OccupancyMinutes {
  private readonly buckets = new Map<string, OccupancyMinute>();

  add(ts: number, zoneId: string, occupancy: number): void {
    const start = minuteOf(ts);
    const key = `${zoneId}:${start}`;
    let b = this.buckets.get(key);
    if (!b) {
      b = { zoneId, bucketStart: start, max: 0, sum: 0, samples: 0 };
      this.buckets.set(key, b);
    }
    b.max = Math.max(b.max, occupancy);
    b.sum += occupancy;
    b.samples += 1;
  }

  take(): OccupancyMinute[] {
    const out = [...this.buckets.values()];
    this.buckets.clear();
    return out;
  }
}
