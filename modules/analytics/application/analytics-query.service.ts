import { InvalidInputError, NotFoundError, type CameraDirectory } from '@trinetra/shared';
import { HEATMAP_COLS, HEATMAP_ROWS } from '../domain/heatmap.grid';
import { rollupPlan, rollupRowCount } from '../domain/rollup-plan';
import type { AnalyticsQueryRepository, BucketedRange, TransitionCountRow } from '../infra/analytics-query.repository';
import type { ZoneRepository, ZoneRow } from '../infra/zone.repository';

export const STATS_BUCKETS = { MINUTE: 60_000, HOUR: 3_600_000, DAY: 86_400_000 } as const;
export type StatsBucket = keyof typeof STATS_BUCKETS;

/**
 * The page limit of analytics series: at most this many buckets per answer (a day of minutes,
 * two months of hours, four years of days). Heatmaps and journeys sum at most this many minutes.
 */
export const MAX_STATS_BUCKETS = 1440;

export interface ZoneStatsBucket {
  start: Date;
  entries: number;
  exits: number;
  occupancyMax: number;
  occupancyMean: number;
  /** Of visits that ended in the bucket; null when none did. */
  dwellMeanS: number | null;
  dwellP90S: number | null;
}

export interface LineCountBucket {
  start: Date;
  in: number;
  out: number;
}

export interface HeatmapGrid {
  cameraId: string;
  cols: number;
  rows: number;
  /** Row-major person-frames per cell. */
  cells: number[];
  max: number;
  total: number;
}

/** Checks a range once for every series: real dates, `to` after `from`, within the page limit. */
export function bucketedRange(from: Date, to: Date, bucket: StatsBucket, limitField = 'bucket'): BucketedRange & { first: number; count: number } {
  if (Number.isNaN(from.getTime())) throw new InvalidInputError('from: not a date', { field: 'from' });
  if (Number.isNaN(to.getTime())) throw new InvalidInputError('to: not a date', { field: 'to' });
  if (to.getTime() <= from.getTime()) throw new InvalidInputError('to: must be after from', { field: 'to' });
  const bucketMs = STATS_BUCKETS[bucket];
  const first = Math.floor(from.getTime() / bucketMs);
  const count = Math.floor((to.getTime() - 1) / bucketMs) - first + 1;
  if (count > MAX_STATS_BUCKETS) {
    throw new InvalidInputError(
      `${limitField}: ${count} ${bucket} buckets from ${from.toISOString()} to ${to.toISOString()}; at most ${MAX_STATS_BUCKETS} per query (use a larger bucket or a shorter range)`,
      {
        field: limitField,
        limit: MAX_STATS_BUCKETS,
      },
    );
  }
  return { from, to, bucketMs, first, count };
}

/**
 * A heatmap sums stored rows (day, hour and minute rollups, domain/rollup-plan.ts); the page
 * limit caps the rows one camera's answer reads, so 30 days cost about 30 day rows, not 43,200.
 */
export function heatmapRange(from: Date, to: Date): void {
  bucketedRange(from, to, 'DAY', 'to');
  const rows = rollupRowCount(rollupPlan(from.getTime(), to.getTime(), 'DAY'));
  if (rows > MAX_STATS_BUCKETS) {
    throw new InvalidInputError(`to: the range needs ${rows} stored buckets; at most ${MAX_STATS_BUCKETS} per heatmap (shorten the range)`, {
      field: 'to',
      limit: MAX_STATS_BUCKETS,
    });
  }
}

function seconds(ms: number | null): number | null {
  return ms === null ? null : ms / 1000;
}

/** Reads analytics series: validates, checks ownership (a foreign id is NOT_FOUND), asks SQL. */
export class AnalyticsQueryService {
  constructor(
    private readonly queries: AnalyticsQueryRepository,
    private readonly zones: ZoneRepository,
    private readonly cameras: CameraDirectory,
  ) {}

  async zoneOrThrow(tenantId: string, zoneId: string, kind: 'AREA' | 'LINE', field: string): Promise<ZoneRow> {
    const zone = await this.zones.find(tenantId, zoneId);
    if (!zone) throw new NotFoundError('Zone', zoneId);
    if (zone.kind !== kind) throw new InvalidInputError(`${field}: zone ${zoneId} is a ${zone.kind} zone; this needs a ${kind} zone`, { field });
    return zone;
  }

  async zoneStats(tenantId: string, zoneId: string, from: Date, to: Date, bucket: StatsBucket): Promise<ZoneStatsBucket[]> {
    const range = bucketedRange(from, to, bucket);
    await this.zoneOrThrow(tenantId, zoneId, 'AREA', 'zoneId');
    const { visits, occupancy } = await this.queries.zoneStats(tenantId, zoneId, range);
    const byBucket = new Map(visits.map((v) => [v.bucket, v]));
    const occByBucket = new Map(occupancy.map((o) => [o.bucket, o]));
    return Array.from({ length: range.count }, (_, i) => {
      const b = range.first + i;
      const v = byBucket.get(b);
      const o = occByBucket.get(b);
      return {
        start: new Date(b * range.bucketMs),
        entries: v?.entries ?? 0,
        exits: v?.exits ?? 0,
        occupancyMax: o?.max ?? 0,
        occupancyMean: o?.mean ?? 0,
        dwellMeanS: seconds(v?.dwellMeanMs ?? null),
        dwellP90S: seconds(v?.dwellP90Ms ?? null),
      };
    });
  }

  async lineCounts(tenantId: string, lineId: string, from: Date, to: Date, bucket: StatsBucket): Promise<LineCountBucket[]> {
    const range = bucketedRange(from, to, bucket);
    await this.zoneOrThrow(tenantId, lineId, 'LINE', 'lineId');
    const byBucket = new Map((await this.queries.lineCounts(tenantId, lineId, range)).map((r) => [r.bucket, r]));
    return Array.from({ length: range.count }, (_, i) => {
      const r = byBucket.get(range.first + i);
      return { start: new Date((range.first + i) * range.bucketMs), in: r?.in ?? 0, out: r?.out ?? 0 };
    });
  }

  async heatmap(tenantId: string, cameraId: string, from: Date, to: Date): Promise<HeatmapGrid> {
    heatmapRange(from, to);
    if (!(await this.cameras.find(tenantId, cameraId))) throw new NotFoundError('Camera', cameraId);
    const cells = await this.queries.heatmap(tenantId, cameraId, from, to);
    let max = 0;
    let total = 0;
    for (const c of cells) {
      if (c > max) max = c;
      total += c;
    }
    return { cameraId, cols: HEATMAP_COLS, rows: HEATMAP_ROWS, cells, max, total };
  }

  async transitions(tenantId: string, cameraId: string, from: Date, to: Date): Promise<TransitionCountRow[]> {
    bucketedRange(from, to, 'MINUTE', 'to');
    if (!(await this.cameras.find(tenantId, cameraId))) throw new NotFoundError('Camera', cameraId);
    return this.queries.transitions(tenantId, cameraId, from, to);
  }
}
