import { HEATMAP_COLS, HEATMAP_ROWS } from '../domain/heatmap.grid';
import { Prisma } from '@trinetra/db';
import type { TenantSql } from './tenant-sql';

/** A time range split into buckets of `bucketMs`; bucket k starts at k * bucketMs (UTC epoch). */
export interface BucketedRange {
  from: Date;
  to: Date;
  bucketMs: number;
}

export interface ZoneStatsRow {
  bucket: number;
  entries: number;
  exits: number;
  dwellMeanMs: number | null;
  dwellP90Ms: number | null;
}

export interface OccupancyRow {
  bucket: number;
  max: number;
  mean: number | null;
}

export interface LineCountRow {
  bucket: number;
  in: number;
  out: number;
}

export interface TransitionCountRow {
  fromZoneId: string;
  toZoneId: string;
  count: number;
}

/**
 * Aggregates computed in Postgres, one statement per question: rows never travel to Node,
 * only one row per non-empty bucket (or per grid cell, per zone pair). Every statement filters
 * by tenant as well as running under RLS (tenant-sql.ts).
 */
export class AnalyticsQueryRepository {
  constructor(private readonly sql: TenantSql) {}

  async zoneStats(tenantId: string, zoneId: string, range: BucketedRange): Promise<{ visits: ZoneStatsRow[]; occupancy: OccupancyRow[] }> {
    const [visits, occupancy] = await Promise.all([
      this.sql.query<ZoneStatsRow>(
        tenantId,
        Prisma.sql`SELECT floor(extract(epoch FROM "at") * 1000 / ${range.bucketMs}::float8)::float8 AS "bucket",
            count(*) FILTER (WHERE "kind" = 'ENTER')::int AS "entries",
            count(*) FILTER (WHERE "kind" = 'EXIT')::int AS "exits",
            avg("dwellMs")::float8 AS "dwellMeanMs",
            percentile_cont(0.9) WITHIN GROUP (ORDER BY "dwellMs")::float8 AS "dwellP90Ms"
          FROM "ZoneEvent"
          WHERE "tenantId" = ${tenantId}::uuid AND "zoneId" = ${zoneId}::uuid AND "at" >= ${range.from} AND "at" < ${range.to}
          GROUP BY 1 ORDER BY 1`,
      ),
      this.sql.query<OccupancyRow>(
        tenantId,
        Prisma.sql`SELECT floor(extract(epoch FROM "bucketStart") * 1000 / ${range.bucketMs}::float8)::float8 AS "bucket",
            max("maxOccupancy")::int AS "max",
            (sum("occupancySum")::float8 / NULLIF(sum("samples"), 0))::float8 AS "mean"
          FROM "ZoneOccupancyMinute"
          WHERE "tenantId" = ${tenantId}::uuid AND "zoneId" = ${zoneId}::uuid AND "bucketStart" >= ${range.from} AND "bucketStart" < ${range.to}
          GROUP BY 1 ORDER BY 1`,
      ),
    ]);
    return { visits, occupancy };
  }

  lineCounts(tenantId: string, zoneId: string, range: BucketedRange): Promise<LineCountRow[]> {
    return this.sql.query<LineCountRow>(
      tenantId,
      Prisma.sql`SELECT floor(extract(epoch FROM "at") * 1000 / ${range.bucketMs}::float8)::float8 AS "bucket",
          count(*) FILTER (WHERE "direction" = 'IN')::int AS "in",
          count(*) FILTER (WHERE "direction" = 'OUT')::int AS "out"
        FROM "LineCrossing"
        WHERE "tenantId" = ${tenantId}::uuid AND "zoneId" = ${zoneId}::uuid AND "at" >= ${range.from} AND "at" < ${range.to}
        GROUP BY 1 ORDER BY 1`,
    );
  }

  /** The camera's grid summed over the minutes in [from, to), row-major, 64 x 48. */
  async heatmap(tenantId: string, cameraId: string, from: Date, to: Date): Promise<number[]> {
    const rows = await this.sql.query<{ i: number; v: number }>(
      tenantId,
      Prisma.sql`SELECT (u.i - 1)::int AS "i", sum(u.v)::float8 AS "v"
        FROM "HeatmapMinute" h, unnest(h."cells") WITH ORDINALITY AS u(v, i)
        WHERE h."tenantId" = ${tenantId}::uuid AND h."cameraId" = ${cameraId}::uuid AND h."bucketStart" >= ${from} AND h."bucketStart" < ${to}
        GROUP BY u.i`,
    );
    const cells = new Array<number>(HEATMAP_COLS * HEATMAP_ROWS).fill(0);
    for (const r of rows) if (r.i >= 0 && r.i < cells.length) cells[r.i] = r.v;
    return cells;
  }

  /** Zone-to-zone moves on a camera in [from, to) (journeys). */
  transitions(tenantId: string, cameraId: string, from: Date, to: Date): Promise<TransitionCountRow[]> {
    return this.sql.query<TransitionCountRow>(
      tenantId,
      Prisma.sql`SELECT "fromZoneId"::text AS "fromZoneId", "toZoneId"::text AS "toZoneId", count(*)::int AS "count"
        FROM "ZoneTransition"
        WHERE "tenantId" = ${tenantId}::uuid AND "cameraId" = ${cameraId}::uuid AND "at" >= ${from} AND "at" < ${to}
        GROUP BY 1, 2 ORDER BY 3 DESC`,
    );
  }
}
