import { HEATMAP_COLS, HEATMAP_ROWS } from '../domain/heatmap.grid';
import { HEATMAP_LEVELS, OCCUPANCY_LEVELS, ROLLUP_MS, rollupPlan, type RollupLevel, type RollupPiece } from '../domain/rollup-plan';
import { Prisma } from '@trinetra/db';
import type { TenantSql } from './tenant-sql';

/** A time range split into buckets of `bucketMs`; bucket k starts at k * bucketMs (UTC epoch). */
export interface BucketedRange {
  from: Date;
  to: Date;
  bucketMs: number;
}

const LEVEL_OF_BUCKET: Record<number, RollupLevel> = { 60_000: 'MINUTE', 3_600_000: 'HOUR', 86_400_000: 'DAY' };

const TABLES: Record<'heatmap' | 'occupancy', Partial<Record<RollupLevel, string>>> = {
  heatmap: { MINUTE: '"HeatmapMinute"', TEN_MINUTES: '"HeatmapTenMinutes"', HOUR: '"HeatmapHour"', SIX_HOURS: '"HeatmapSixHours"', DAY: '"HeatmapDay"' },
  occupancy: { MINUTE: '"ZoneOccupancyMinute"', HOUR: '"ZoneOccupancyHour"', DAY: '"ZoneOccupancyDay"' },
};

/**
 * The bucket of a timestamp column (bucket k starts at k * bucketMs since the epoch): rows are
 * grouped by `bin` (date_bin, timestamp arithmetic) and only each group's `key` is turned into a
 * number, since `extract(epoch ...)` is numeric arithmetic, several times slower per row. The
 * width is written into the SQL text (both expressions must match for GROUP BY); it is one of the
 * fixed bucket sizes, checked here, never user text.
 */
function bucketOf(column: string, bucketMs: number): { bin: Prisma.Sql; key: Prisma.Sql } {
  if (!Number.isInteger(bucketMs) || bucketMs <= 0) throw new RangeError(`bucketMs must be a positive integer, got ${bucketMs}`);
  const bin = `date_bin(interval '${bucketMs} milliseconds', ${column}, TIMESTAMP '1970-01-01')`;
  return { bin: Prisma.raw(bin), key: Prisma.raw(`(extract(epoch FROM ${bin}) * 1000 / ${bucketMs})::float8`) };
}

/**
 * One SELECT per piece of the plan, glued with UNION ALL; table names come from the fixed map
 * above (never from input), bounds and ids are parameters.
 */
function planned(plan: readonly RollupPiece[], table: keyof typeof TABLES, select: (table: Prisma.Sql, piece: RollupPiece) => Prisma.Sql): Prisma.Sql {
  return Prisma.join(
    plan.map((p) => {
      const name = TABLES[table][p.level];
      if (!name) throw new Error(`no ${table} rows at ${p.level}`);
      return select(Prisma.raw(name), p);
    }),
    ' UNION ALL ',
  );
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
        Prisma.sql`SELECT ${bucketOf('"at"', range.bucketMs).key} AS "bucket",
            count(*) FILTER (WHERE "kind" = 'ENTER')::int AS "entries",
            count(*) FILTER (WHERE "kind" = 'EXIT')::int AS "exits",
            avg("dwellMs")::float8 AS "dwellMeanMs",
            percentile_cont(0.9) WITHIN GROUP (ORDER BY "dwellMs")::float8 AS "dwellP90Ms"
          FROM "ZoneEvent"
          WHERE "tenantId" = ${tenantId}::uuid AND "zoneId" = ${zoneId}::uuid AND "at" >= ${range.from} AND "at" < ${range.to}
          GROUP BY ${bucketOf('"at"', range.bucketMs).bin} ORDER BY 1`,
      ),
      this.occupancy(tenantId, zoneId, range),
    ]);
    return { visits, occupancy };
  }

  /**
   * Occupancy per bucket from the coarsest rollup rows that answer the range exactly (never
   * coarser than the bucket asked for; `coarsest` lowers that further, e.g. to compare with minutes).
   */
  occupancy(tenantId: string, zoneId: string, range: BucketedRange, coarsest: RollupLevel = LEVEL_OF_BUCKET[range.bucketMs] ?? 'MINUTE'): Promise<OccupancyRow[]> {
    const plan = rollupPlan(range.from.getTime(), range.to.getTime(), finerOf(coarsest, LEVEL_OF_BUCKET[range.bucketMs] ?? 'MINUTE'), OCCUPANCY_LEVELS);
    if (plan.length === 0) return Promise.resolve([]);
    const rows = planned(
      plan,
      'occupancy',
      (table, p) => Prisma.sql`SELECT "bucketStart", "maxOccupancy", "occupancySum", "samples" FROM ${table}
        WHERE "tenantId" = ${tenantId}::uuid AND "zoneId" = ${zoneId}::uuid AND "bucketStart" >= ${new Date(p.from)} AND "bucketStart" < ${new Date(p.to)}`,
    );
    return this.sql.query<OccupancyRow>(
      tenantId,
      Prisma.sql`SELECT ${bucketOf('r."bucketStart"', range.bucketMs).key} AS "bucket",
          max(r."maxOccupancy")::int AS "max",
          (sum(r."occupancySum")::float8 / NULLIF(sum(r."samples"), 0))::float8 AS "mean"
        FROM (${rows}) r
        GROUP BY ${bucketOf('r."bucketStart"', range.bucketMs).bin} ORDER BY 1`,
    );
  }

  lineCounts(tenantId: string, zoneId: string, range: BucketedRange): Promise<LineCountRow[]> {
    return this.sql.query<LineCountRow>(
      tenantId,
      Prisma.sql`SELECT ${bucketOf('"at"', range.bucketMs).key} AS "bucket",
          count(*) FILTER (WHERE "direction" = 'IN')::int AS "in",
          count(*) FILTER (WHERE "direction" = 'OUT')::int AS "out"
        FROM "LineCrossing"
        WHERE "tenantId" = ${tenantId}::uuid AND "zoneId" = ${zoneId}::uuid AND "at" >= ${range.from} AND "at" < ${range.to}
        GROUP BY ${bucketOf('"at"', range.bucketMs).bin} ORDER BY 1`,
    );
  }

  /**
   * The camera's grid summed over the minutes in [from, to), row-major, 64 x 48: from day, hour
   * and minute rows as the range allows (`coarsest` caps the level, e.g. MINUTE to read minutes
   * only). The plan bounds the rows read (at most 74 for 30 ragged days, never more than the page limit),
   * so they are added up here: Postgres adds 3,072-cell arrays element by element an order of
   * magnitude slower (unnest + hash aggregate, ~1 ms per row; `npm run bench:analytics-query`).
   */
  async heatmap(tenantId: string, cameraId: string, from: Date, to: Date, coarsest: RollupLevel = 'DAY'): Promise<number[]> {
    const size = HEATMAP_COLS * HEATMAP_ROWS;
    const cells = new Array<number>(size).fill(0);
    const plan = rollupPlan(from.getTime(), to.getTime(), coarsest, HEATMAP_LEVELS);
    if (plan.length === 0) return cells;
    const rows = await this.sql.query<{ c: string }>(
      tenantId,
      planned(
        plan,
        'heatmap',
        // As text: one string per row parses several times faster than a driver-decoded int[].
        (table, p) => Prisma.sql`SELECT array_to_string("cells", ',') AS "c" FROM ${table}
          WHERE "tenantId" = ${tenantId}::uuid AND "cameraId" = ${cameraId}::uuid AND "bucketStart" >= ${new Date(p.from)} AND "bucketStart" < ${new Date(p.to)}`,
      ),
    );
    for (const { c } of rows) addCells(cells, c);
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

function finerOf(a: RollupLevel, b: RollupLevel): RollupLevel {
  return ROLLUP_MS[a] <= ROLLUP_MS[b] ? a : b;
}

/** Adds a comma-separated row of counts into `into` (stored rows hold exactly one count per cell). */
function addCells(into: number[], text: string): void {
  let cell = 0;
  let value = 0;
  for (let k = 0; k < text.length; k += 1) {
    const ch = text.charCodeAt(k);
    if (ch === 44) {
      if (cell < into.length) into[cell]! += value;
      cell += 1;
      value = 0;
    } else {
      value = value * 10 + (ch - 48);
    }
  }
  if (text.length > 0 && cell < into.length) into[cell]! += value;
}
