import { Prisma } from '@trinetra/db';
import type { ZoneVisit } from '../domain/journeys';
import type { TenantSql } from './tenant-sql';

export interface AnalyticsSettingsRow {
  retentionDays: number;
  journeySkewMs: number;
}

/**
 * Finished zone visits for journeys, and the tenant's analytics settings. A visit's person is
 * identity's key when identity named the track, else the camera's track (`<cameraId>:track:<id>`).
 */
export class JourneyRepository {
  constructor(private readonly sql: TenantSql) {}

  /** Visits that ended in [from, to), oldest first, at most `limit` (callers ask for one more to detect overflow). */
  async visits(tenantId: string, from: Date, to: Date, cameraIds: readonly string[] | null, limit: number): Promise<ZoneVisit[]> {
    const cameras = cameraIds === null ? Prisma.empty : Prisma.sql`AND "cameraId" = ANY(${[...cameraIds]}::uuid[])`;
    const rows = await this.sql.query<{ personKey: string; cameraId: string; zoneId: string; enteredAt: Date; exitedAt: Date }>(
      tenantId,
      Prisma.sql`SELECT COALESCE("personKey", "cameraId"::text || ':track:' || "trackId") AS "personKey",
          "cameraId"::text AS "cameraId", "zoneId"::text AS "zoneId", "enteredAt", "at" AS "exitedAt"
        FROM "ZoneEvent"
        WHERE "tenantId" = ${tenantId}::uuid AND "kind" = 'EXIT' AND "at" >= ${from} AND "at" < ${to} ${cameras}
        ORDER BY "at", "id" LIMIT ${limit}::int`,
    );
    return rows.map((r) => ({ personKey: r.personKey, cameraId: r.cameraId, zoneId: r.zoneId, enteredAt: r.enteredAt.getTime(), exitedAt: r.exitedAt.getTime() }));
  }

  async settings(tenantId: string): Promise<AnalyticsSettingsRow | null> {
    const rows = await this.sql.query<AnalyticsSettingsRow>(
      tenantId,
      Prisma.sql`SELECT "retentionDays", "journeySkewMs" FROM "AnalyticsSettings" WHERE "tenantId" = ${tenantId}::uuid`,
    );
    return rows[0] ?? null;
  }

  async saveSettings(tenantId: string, settings: AnalyticsSettingsRow): Promise<AnalyticsSettingsRow> {
    const rows = await this.sql.query<AnalyticsSettingsRow>(
      tenantId,
      Prisma.sql`INSERT INTO "AnalyticsSettings" ("tenantId", "retentionDays", "journeySkewMs", "updatedAt")
        VALUES (${tenantId}::uuid, ${settings.retentionDays}::int, ${settings.journeySkewMs}::int, now())
        ON CONFLICT ("tenantId") DO UPDATE SET "retentionDays" = EXCLUDED."retentionDays", "journeySkewMs" = EXCLUDED."journeySkewMs", "updatedAt" = now()
        RETURNING "retentionDays", "journeySkewMs"`,
    );
    return rows[0]!;
  }
}
