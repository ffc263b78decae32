-- Analytics rollups, retention and journey settings (modules/analytics).
-- Inputs: the tables of 20261129150000_analytics. Effects: rollups of the minute buckets
-- (HeatmapTenMinutes, HeatmapHour, HeatmapSixHours, HeatmapDay, ZoneOccupancyHour,
-- ZoneOccupancyDay; UTC, 10-minute and 6-hour bins aligned to the epoch) filled from the minute
-- rows already stored (so rollups equal their minutes from the start); per-tenant analytics
-- settings (retention days, default 90; cross-camera clock-skew tolerance, default 2000 ms);
-- ZoneEvent."personKey" (identity or anonymous visit id, for journeys across cameras);
-- the ZoneEvent (tenantId, zoneId, at) index now covering kind and dwellMs; (tenantId, at) indexes the retention job deletes by; alert kinds VIP_ARRIVAL and
-- REPEAT_VISITOR. Grants to trinetra_app and the tenant_isolation RLS policy on each new table.
-- Errors: fails if any of them exists.

ALTER TYPE "AlertRuleKind" ADD VALUE 'VIP_ARRIVAL';
ALTER TYPE "AlertRuleKind" ADD VALUE 'REPEAT_VISITOR';

ALTER TABLE "ZoneEvent" ADD COLUMN "personKey" TEXT;
-- zoneStats reads entries, exits and dwell of one zone over a range: covering the index with
-- kind and dwell lets Postgres answer from the index alone (index-only scan).
DROP INDEX "ZoneEvent_tenantId_zoneId_at_idx";
CREATE INDEX "ZoneEvent_tenantId_zoneId_at_idx" ON "ZoneEvent"("tenantId", "zoneId", "at") INCLUDE ("kind", "dwellMs");
CREATE INDEX "ZoneEvent_tenantId_at_idx" ON "ZoneEvent"("tenantId", "at");
CREATE INDEX "LineCrossing_tenantId_at_idx" ON "LineCrossing"("tenantId", "at");
CREATE INDEX "ZoneTransition_tenantId_at_idx" ON "ZoneTransition"("tenantId", "at");

CREATE TABLE "HeatmapTenMinutes" (
    "tenantId" UUID NOT NULL,
    "cameraId" UUID NOT NULL,
    "bucketStart" TIMESTAMP(3) NOT NULL,
    "cells" INTEGER[],
    CONSTRAINT "HeatmapTenMinutes_pkey" PRIMARY KEY ("cameraId", "bucketStart")
);
CREATE INDEX "HeatmapTenMinutes_tenantId_cameraId_bucketStart_idx" ON "HeatmapTenMinutes"("tenantId", "cameraId", "bucketStart");

CREATE TABLE "HeatmapHour" (
    "tenantId" UUID NOT NULL,
    "cameraId" UUID NOT NULL,
    "bucketStart" TIMESTAMP(3) NOT NULL,
    "cells" INTEGER[],
    CONSTRAINT "HeatmapHour_pkey" PRIMARY KEY ("cameraId", "bucketStart")
);
CREATE INDEX "HeatmapHour_tenantId_cameraId_bucketStart_idx" ON "HeatmapHour"("tenantId", "cameraId", "bucketStart");

CREATE TABLE "HeatmapSixHours" (
    "tenantId" UUID NOT NULL,
    "cameraId" UUID NOT NULL,
    "bucketStart" TIMESTAMP(3) NOT NULL,
    "cells" INTEGER[],
    CONSTRAINT "HeatmapSixHours_pkey" PRIMARY KEY ("cameraId", "bucketStart")
);
CREATE INDEX "HeatmapSixHours_tenantId_cameraId_bucketStart_idx" ON "HeatmapSixHours"("tenantId", "cameraId", "bucketStart");

CREATE TABLE "HeatmapDay" (
    "tenantId" UUID NOT NULL,
    "cameraId" UUID NOT NULL,
    "bucketStart" TIMESTAMP(3) NOT NULL,
    "cells" INTEGER[],
    CONSTRAINT "HeatmapDay_pkey" PRIMARY KEY ("cameraId", "bucketStart")
);
CREATE INDEX "HeatmapDay_tenantId_cameraId_bucketStart_idx" ON "HeatmapDay"("tenantId", "cameraId", "bucketStart");

CREATE TABLE "ZoneOccupancyHour" (
    "tenantId" UUID NOT NULL,
    "zoneId" UUID NOT NULL,
    "bucketStart" TIMESTAMP(3) NOT NULL,
    "maxOccupancy" INTEGER NOT NULL,
    "occupancySum" INTEGER NOT NULL,
    "samples" INTEGER NOT NULL,
    CONSTRAINT "ZoneOccupancyHour_pkey" PRIMARY KEY ("zoneId", "bucketStart")
);
CREATE INDEX "ZoneOccupancyHour_tenantId_zoneId_bucketStart_idx" ON "ZoneOccupancyHour"("tenantId", "zoneId", "bucketStart");

CREATE TABLE "ZoneOccupancyDay" (
    "tenantId" UUID NOT NULL,
    "zoneId" UUID NOT NULL,
    "bucketStart" TIMESTAMP(3) NOT NULL,
    "maxOccupancy" INTEGER NOT NULL,
    "occupancySum" INTEGER NOT NULL,
    "samples" INTEGER NOT NULL,
    CONSTRAINT "ZoneOccupancyDay_pkey" PRIMARY KEY ("zoneId", "bucketStart")
);
CREATE INDEX "ZoneOccupancyDay_tenantId_zoneId_bucketStart_idx" ON "ZoneOccupancyDay"("tenantId", "zoneId", "bucketStart");

CREATE TABLE "AnalyticsSettings" (
    "tenantId" UUID NOT NULL,
    "retentionDays" INTEGER NOT NULL DEFAULT 90,
    "journeySkewMs" INTEGER NOT NULL DEFAULT 2000,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "AnalyticsSettings_pkey" PRIMARY KEY ("tenantId"),
    CONSTRAINT "AnalyticsSettings_retentionDays_check" CHECK ("retentionDays" BETWEEN 1 AND 3650),
    CONSTRAINT "AnalyticsSettings_journeySkewMs_check" CHECK ("journeySkewMs" BETWEEN 0 AND 60000)
);

-- Rollups of what is already stored (a deployment upgraded with minute rows in place).
INSERT INTO "ZoneOccupancyHour" ("tenantId", "zoneId", "bucketStart", "maxOccupancy", "occupancySum", "samples")
SELECT "tenantId", "zoneId", date_trunc('hour', "bucketStart"), max("maxOccupancy"), sum("occupancySum"), sum("samples")
FROM "ZoneOccupancyMinute" GROUP BY 1, 2, 3;
INSERT INTO "ZoneOccupancyDay" ("tenantId", "zoneId", "bucketStart", "maxOccupancy", "occupancySum", "samples")
SELECT "tenantId", "zoneId", date_trunc('day', "bucketStart"), max("maxOccupancy"), sum("occupancySum"), sum("samples")
FROM "ZoneOccupancyMinute" GROUP BY 1, 2, 3;
INSERT INTO "HeatmapTenMinutes" ("tenantId", "cameraId", "bucketStart", "cells")
SELECT s."tenantId", s."cameraId", s."b", array_agg(s."v" ORDER BY s."i")
FROM (SELECT h."tenantId", h."cameraId", date_bin('10 minutes', h."bucketStart", TIMESTAMP '1970-01-01') AS "b", u.i AS "i", sum(u.v)::int AS "v"
      FROM "HeatmapMinute" h, unnest(h."cells") WITH ORDINALITY AS u(v, i) GROUP BY 1, 2, 3, 4) s
GROUP BY 1, 2, 3;
INSERT INTO "HeatmapHour" ("tenantId", "cameraId", "bucketStart", "cells")
SELECT s."tenantId", s."cameraId", s."b", array_agg(s."v" ORDER BY s."i")
FROM (SELECT h."tenantId", h."cameraId", date_trunc('hour', h."bucketStart") AS "b", u.i AS "i", sum(u.v)::int AS "v"
      FROM "HeatmapMinute" h, unnest(h."cells") WITH ORDINALITY AS u(v, i) GROUP BY 1, 2, 3, 4) s
GROUP BY 1, 2, 3;
INSERT INTO "HeatmapSixHours" ("tenantId", "cameraId", "bucketStart", "cells")
SELECT s."tenantId", s."cameraId", s."b", array_agg(s."v" ORDER BY s."i")
FROM (SELECT h."tenantId", h."cameraId", date_bin('6 hours', h."bucketStart", TIMESTAMP '1970-01-01') AS "b", u.i AS "i", sum(u.v)::int AS "v"
      FROM "HeatmapMinute" h, unnest(h."cells") WITH ORDINALITY AS u(v, i) GROUP BY 1, 2, 3, 4) s
GROUP BY 1, 2, 3;
INSERT INTO "HeatmapDay" ("tenantId", "cameraId", "bucketStart", "cells")
SELECT s."tenantId", s."cameraId", s."b", array_agg(s."v" ORDER BY s."i")
FROM (SELECT h."tenantId", h."cameraId", date_trunc('day', h."bucketStart") AS "b", u.i AS "i", sum(u.v)::int AS "v"
      FROM "HeatmapMinute" h, unnest(h."cells") WITH ORDINALITY AS u(v, i) GROUP BY 1, 2, 3, 4) s
GROUP BY 1, 2, 3;

ALTER TABLE "HeatmapTenMinutes" ADD CONSTRAINT "HeatmapTenMinutes_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "HeatmapTenMinutes" ADD CONSTRAINT "HeatmapTenMinutes_cameraId_fkey" FOREIGN KEY ("cameraId") REFERENCES "Camera"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "HeatmapSixHours" ADD CONSTRAINT "HeatmapSixHours_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "HeatmapSixHours" ADD CONSTRAINT "HeatmapSixHours_cameraId_fkey" FOREIGN KEY ("cameraId") REFERENCES "Camera"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "HeatmapHour" ADD CONSTRAINT "HeatmapHour_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "HeatmapHour" ADD CONSTRAINT "HeatmapHour_cameraId_fkey" FOREIGN KEY ("cameraId") REFERENCES "Camera"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "HeatmapDay" ADD CONSTRAINT "HeatmapDay_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "HeatmapDay" ADD CONSTRAINT "HeatmapDay_cameraId_fkey" FOREIGN KEY ("cameraId") REFERENCES "Camera"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ZoneOccupancyHour" ADD CONSTRAINT "ZoneOccupancyHour_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ZoneOccupancyHour" ADD CONSTRAINT "ZoneOccupancyHour_zoneId_fkey" FOREIGN KEY ("zoneId") REFERENCES "Zone"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ZoneOccupancyDay" ADD CONSTRAINT "ZoneOccupancyDay_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ZoneOccupancyDay" ADD CONSTRAINT "ZoneOccupancyDay_zoneId_fkey" FOREIGN KEY ("zoneId") REFERENCES "Zone"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "AnalyticsSettings" ADD CONSTRAINT "AnalyticsSettings_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

GRANT SELECT, INSERT, UPDATE, DELETE ON "HeatmapTenMinutes", "HeatmapHour", "HeatmapSixHours", "HeatmapDay", "ZoneOccupancyHour", "ZoneOccupancyDay", "AnalyticsSettings" TO trinetra_app;
ALTER TABLE "HeatmapTenMinutes" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "HeatmapTenMinutes" USING ("tenantId" = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE "HeatmapSixHours" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "HeatmapSixHours" USING ("tenantId" = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE "HeatmapHour" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "HeatmapHour" USING ("tenantId" = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE "HeatmapDay" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "HeatmapDay" USING ("tenantId" = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE "ZoneOccupancyHour" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "ZoneOccupancyHour" USING ("tenantId" = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE "ZoneOccupancyDay" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "ZoneOccupancyDay" USING ("tenantId" = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE "AnalyticsSettings" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "AnalyticsSettings" USING ("tenantId" = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
