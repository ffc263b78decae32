import { Prisma, type SystemDb } from '@trinetra/db';
import type { TenantSql } from './tenant-sql';

/** Analytics tables and the time column retention reads; fixed here, never from input. */
export const RETAINED_TABLES = [
  ['ZoneEvent', 'at'],
  ['LineCrossing', 'at'],
  ['ZoneTransition', 'at'],
  ['Alert', 'createdAt'],
  ['ZoneOccupancyMinute', 'bucketStart'],
  ['ZoneOccupancyHour', 'bucketStart'],
  ['ZoneOccupancyDay', 'bucketStart'],
  ['HeatmapMinute', 'bucketStart'],
  ['HeatmapTenMinutes', 'bucketStart'],
  ['HeatmapHour', 'bucketStart'],
  ['HeatmapSixHours', 'bucketStart'],
  ['HeatmapDay', 'bucketStart'],
] as const;
export type RetainedTable = (typeof RETAINED_TABLES)[number][0];

export const DEFAULT_RETENTION_DAYS = 90;

export interface TenantRetention {
  tenantId: string;
  retentionDays: number;
}

/**
 * Deletes old analytics rows in bounded batches. Which tenants exist is read with the owner
 * client (a system job, like sign-up: no tenant to scope to yet); every delete then runs as
 * that tenant (RLS) and filters by tenant too, so one tenant's setting can never touch another's rows.
 */
export class AnalyticsRetentionRepository {
  constructor(
    private readonly db: SystemDb,
    private readonly sql: TenantSql,
  ) {}

  /** Every tenant with its retention (the default where it has no settings row). */
  tenants(): Promise<TenantRetention[]> {
    return this.db.$queryRaw<TenantRetention[]>(
      Prisma.sql`SELECT t."id"::text AS "tenantId", COALESCE(s."retentionDays", ${DEFAULT_RETENTION_DAYS}::int)::int AS "retentionDays"
        FROM "Tenant" t LEFT JOIN "AnalyticsSettings" s ON s."tenantId" = t."id" ORDER BY t."id"`,
    );
  }

  /** Deletes at most `limit` rows of `table` older than `before`; returns how many it deleted. */
  deleteBatch(tenantId: string, table: RetainedTable, before: Date, limit: number): Promise<number> {
    const column = RETAINED_TABLES.find(([t]) => t === table)![1];
    const t = Prisma.raw(`"${table}"`);
    const c = Prisma.raw(`"${column}"`);
    // By ctid: works for every table whatever its key; the inner LIMIT bounds the transaction.
    return this.sql.execute(
      tenantId,
      Prisma.sql`DELETE FROM ${t} WHERE ctid = ANY(ARRAY(
        SELECT ctid FROM ${t} WHERE "tenantId" = ${tenantId}::uuid AND ${c} < ${before} LIMIT ${limit}::int))`,
    );
  }
}
