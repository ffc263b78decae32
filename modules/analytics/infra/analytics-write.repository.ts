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

  private addOccupancy(tenantId: string, minutes: readonly OccupancyMinute[]): Promise<number> {
    const rows = minutes.map(
      (m) =>
        Prisma.sql`(${tenantId}::uuid, ${m.zoneId}::uuid, ${new Date(m.bucketStart)}::timestamptz AT TIME ZONE 'UTC', ${m.max}::int, ${m.sum}::int, ${m.samples}::int)`,
    );
    return this.sql.execute(
      tenantId,
      Prisma.sql`INSERT INTO "ZoneOccupancyMinute" ("tenantId", "zoneId", "bucketStart", "maxOccupancy", "occupancySum", "samples")
        VALUES ${Prisma.join(rows)}
        ON CONFLICT ("zoneId", "bucketStart") DO UPDATE SET
          "maxOccupancy" = GREATEST("ZoneOccupancyMinute"."maxOccupancy", EXCLUDED."maxOccupancy"),
          "occupancySum" = "ZoneOccupancyMinute"."occupancySum" + EXCLUDED."occupancySum",
          "samples" = "ZoneOccupancyMinute"."samples" + EXCLUDED."samples"`,
    );
  }

  private addHeatmap(tenantId: string, cameraId: string, minute: HeatmapMinute): Promise<number> {
    // Sent as one array literal parameter: 3,072 counts, not 3,072 parameters.
    const cells = `{${minute.cells.join(',')}}`;
    return this.sql.execute(
      tenantId,
      Prisma.sql`INSERT INTO "HeatmapMinute" ("tenantId", "cameraId", "bucketStart", "cells")
        VALUES (${tenantId}::uuid, ${cameraId}::uuid, ${new Date(minute.bucketStart)}::timestamptz AT TIME ZONE 'UTC', ${cells}::int[])
        ON CONFLICT ("cameraId", "bucketStart") DO UPDATE SET "cells" = (
          SELECT array_agg(x.a + x.b ORDER BY x.i)
          FROM unnest("HeatmapMinute"."cells", EXCLUDED."cells") WITH ORDINALITY AS x(a, b, i))`,
    );
  }
}
