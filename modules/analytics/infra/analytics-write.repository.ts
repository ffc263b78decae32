import { randomUUID } from 'node:crypto';
import type { HeatmapMinute } from '../domain/heatmap.grid';
import type { OccupancyMinute } from '../domain/occupancy-minutes';
import type { AlertRuleKind } from '../domain/alert-rules';
import { Prisma, type TenantDbFactory } from '@trinetra/db';
import type { TenantSql } from './tenant-sql';

export interface ZoneEventRow {
  zoneId: string;
  trackId: number;
  kind: 'ENTER' | 'EXIT';
  at: Date;
  enteredAt: Date | null;
  dwellMs: number | null;
  /** Identity's person key when the track was named (cross-camera journeys); null otherwise. */
  personKey: string | null;
}

export interface LineCrossingRow {
  zoneId: string;
  trackId: number;
  direction: 'IN' | 'OUT';
  at: Date;
}

export interface ZoneTransitionRow {
  fromZoneId: string;
  toZoneId: string;
  trackId: number;
  at: Date;
}

/** An alert as raised, before it is stored. */
export interface NewAlertRow {
  id: string;
  ruleId: string;
  cameraId: string;
  zoneId: string;
  kind: AlertRuleKind;
  trackId: number | null;
  value: number;
  threshold: number;
  message: string;
  createdAt: Date;
}

/** What one camera produced since its last flush. */
export interface AnalyticsBatch {
  cameraId: string;
  zoneEvents: ZoneEventRow[];
  crossings: LineCrossingRow[];
  transitions: ZoneTransitionRow[];
  alerts: NewAlertRow[];
  occupancy: OccupancyMinute[];
  heatmaps: HeatmapMinute[];
}

export function newAlertId(): string {
  return randomUUID();
}

/**
 * Writes a camera's batch: events with one `createMany` per table (tenant-scoped client), and
 * the minute buckets with one additive upsert each (the domain hands out what accumulated
 * since the last flush: max is kept, counts are added).
 */
export class AnalyticsWriteRepository {
  constructor(
    private readonly tenantDb: TenantDbFactory,
    private readonly sql: TenantSql,
  ) {}

  async write(tenantId: string, batch: AnalyticsBatch): Promise<void> {
    const db = this.tenantDb(tenantId);
    const { cameraId } = batch;
    const writes: Promise<unknown>[] = [];
    if (batch.zoneEvents.length > 0) writes.push(db.zoneEvent.createMany({ data: batch.zoneEvents.map((e) => ({ ...e, tenantId, cameraId })) }));
    if (batch.crossings.length > 0) writes.push(db.lineCrossing.createMany({ data: batch.crossings.map((c) => ({ ...c, tenantId, cameraId })) }));
    if (batch.transitions.length > 0) writes.push(db.zoneTransition.createMany({ data: batch.transitions.map((t) => ({ ...t, tenantId, cameraId })) }));
    if (batch.alerts.length > 0) writes.push(db.alert.createMany({ data: batch.alerts.map((a) => ({ ...a, tenantId })) }));
    if (batch.occupancy.length > 0) writes.push(this.addOccupancy(tenantId, batch.occupancy));
    for (const heatmap of batch.heatmaps) writes.push(this.addHeatmap(tenantId, cameraId, heatmap));
    const results = await Promise.allSettled(writes);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /**
   * Minute rows and their hour and day rollups in ONE statement (data-modifying CTEs run
   * together, atomically), so a rollup always equals the sum of its minutes
   * (domain/rollup-plan.ts). A batch may hold several minutes of one hour: grouped first,
   * since one INSERT may not touch a row twice.
   */
  private addOccupancy(tenantId: string, minutes: readonly OccupancyMinute[]): Promise<number> {
    const rows = minutes.map(
      (m) =>
        Prisma.sql`(${tenantId}::uuid, ${m.zoneId}::uuid, ${new Date(m.bucketStart)}::timestamptz AT TIME ZONE 'UTC', ${m.max}::int, ${m.sum}::int, ${m.samples}::int)`,
    );
    const rollup = (table: string, unit: 'hour' | 'day'): Prisma.Sql =>
      Prisma.sql`INSERT INTO ${Prisma.raw(`"${table}"`)} ("tenantId", "zoneId", "bucketStart", "maxOccupancy", "occupancySum", "samples")
        SELECT t, z, date_trunc(${unit}, b), max(mx), sum(su)::int, sum(sa)::int FROM v GROUP BY 1, 2, 3
        ON CONFLICT ("zoneId", "bucketStart") DO UPDATE SET
          "maxOccupancy" = GREATEST(${Prisma.raw(`"${table}"`)}."maxOccupancy", EXCLUDED."maxOccupancy"),
          "occupancySum" = ${Prisma.raw(`"${table}"`)}."occupancySum" + EXCLUDED."occupancySum",
          "samples" = ${Prisma.raw(`"${table}"`)}."samples" + EXCLUDED."samples"`;
    return this.sql.execute(
      tenantId,
      Prisma.sql`WITH v(t, z, b, mx, su, sa) AS (VALUES ${Prisma.join(rows)}),
        m AS (INSERT INTO "ZoneOccupancyMinute" ("tenantId", "zoneId", "bucketStart", "maxOccupancy", "occupancySum", "samples")
          SELECT t, z, b, mx, su, sa FROM v
          ON CONFLICT ("zoneId", "bucketStart") DO UPDATE SET
            "maxOccupancy" = GREATEST("ZoneOccupancyMinute"."maxOccupancy", EXCLUDED."maxOccupancy"),
            "occupancySum" = "ZoneOccupancyMinute"."occupancySum" + EXCLUDED."occupancySum",
            "samples" = "ZoneOccupancyMinute"."samples" + EXCLUDED."samples"),
        h AS (${rollup('ZoneOccupancyHour', 'hour')})
        ${rollup('ZoneOccupancyDay', 'day')}`,
    );
  }

  /** One camera-minute of heatmap counts added to its minute row and every rollup of it, in one statement. */
  private addHeatmap(tenantId: string, cameraId: string, minute: HeatmapMinute): Promise<number> {
    // Sent as one array literal parameter: 3,072 counts, not 3,072 parameters.
    const cells = `{${minute.cells.join(',')}}`;
    const add = (table: string, bucket: Prisma.Sql): Prisma.Sql =>
      Prisma.sql`INSERT INTO ${Prisma.raw(`"${table}"`)} ("tenantId", "cameraId", "bucketStart", "cells")
        SELECT ${tenantId}::uuid, ${cameraId}::uuid, ${bucket}, v.c FROM v
        ON CONFLICT ("cameraId", "bucketStart") DO UPDATE SET "cells" = (
          SELECT array_agg(x.a + x.b ORDER BY x.i)
          FROM unnest(${Prisma.raw(`"${table}"`)}."cells", EXCLUDED."cells") WITH ORDINALITY AS x(a, b, i))`;
    const at = Prisma.sql`(${new Date(minute.bucketStart)}::timestamptz AT TIME ZONE 'UTC')`;
    // Bins aligned to the epoch, as domain/rollup-plan.ts plans them.
    const bin = (width: string): Prisma.Sql => Prisma.sql`date_bin(${Prisma.raw(`'${width}'`)}, ${at}, TIMESTAMP '1970-01-01')`;
    return this.sql.execute(
      tenantId,
      Prisma.sql`WITH v(c) AS (SELECT ${cells}::int[]),
        m AS (${add('HeatmapMinute', at)}),
        t AS (${add('HeatmapTenMinutes', bin('10 minutes'))}),
        h AS (${add('HeatmapHour', bin('1 hour'))}),
        s AS (${add('HeatmapSixHours', bin('6 hours'))})
        ${add('HeatmapDay', bin('1 day'))}`,
    );
  }
}
