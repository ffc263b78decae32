-- Analytics (modules/analytics): zone entries/exits, line crossings, zone transitions,
-- per-minute occupancy and heatmap buckets, alert rules and alerts.
-- Inputs: none. Effects: creates three enums and seven tables with their foreign keys
-- (ON DELETE CASCADE from Tenant, Camera, Zone and AlertRule), indexes, grants to trinetra_app
-- and the tenant_isolation RLS policy on each. Errors: fails if any of them exists.

CREATE TYPE "ZoneEventKind" AS ENUM ('ENTER', 'EXIT');
CREATE TYPE "LineCrossingDirection" AS ENUM ('IN', 'OUT');
CREATE TYPE "AlertRuleKind" AS ENUM ('LOITERING', 'OCCUPANCY');

CREATE TABLE "ZoneEvent" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "zoneId" UUID NOT NULL,
    "cameraId" UUID NOT NULL,
    "trackId" INTEGER NOT NULL,
    "kind" "ZoneEventKind" NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "enteredAt" TIMESTAMP(3),
    "dwellMs" INTEGER,
    CONSTRAINT "ZoneEvent_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "ZoneEvent_tenantId_zoneId_at_idx" ON "ZoneEvent"("tenantId", "zoneId", "at");

CREATE TABLE "LineCrossing" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "zoneId" UUID NOT NULL,
    "cameraId" UUID NOT NULL,
    "trackId" INTEGER NOT NULL,
    "direction" "LineCrossingDirection" NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "LineCrossing_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "LineCrossing_tenantId_zoneId_at_idx" ON "LineCrossing"("tenantId", "zoneId", "at");

CREATE TABLE "ZoneTransition" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "cameraId" UUID NOT NULL,
    "fromZoneId" UUID NOT NULL,
    "toZoneId" UUID NOT NULL,
    "trackId" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "ZoneTransition_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "ZoneTransition_tenantId_cameraId_at_idx" ON "ZoneTransition"("tenantId", "cameraId", "at");

CREATE TABLE "ZoneOccupancyMinute" (
    "tenantId" UUID NOT NULL,
    "zoneId" UUID NOT NULL,
    "bucketStart" TIMESTAMP(3) NOT NULL,
    "maxOccupancy" INTEGER NOT NULL,
    "occupancySum" INTEGER NOT NULL,
    "samples" INTEGER NOT NULL,
    CONSTRAINT "ZoneOccupancyMinute_pkey" PRIMARY KEY ("zoneId", "bucketStart")
);
CREATE INDEX "ZoneOccupancyMinute_tenantId_zoneId_bucketStart_idx" ON "ZoneOccupancyMinute"("tenantId", "zoneId", "bucketStart");

CREATE TABLE "HeatmapMinute" (
    "tenantId" UUID NOT NULL,
    "cameraId" UUID NOT NULL,
    "bucketStart" TIMESTAMP(3) NOT NULL,
    "cells" INTEGER[],
    CONSTRAINT "HeatmapMinute_pkey" PRIMARY KEY ("cameraId", "bucketStart")
);
CREATE INDEX "HeatmapMinute_tenantId_cameraId_bucketStart_idx" ON "HeatmapMinute"("tenantId", "cameraId", "bucketStart");

CREATE TABLE "AlertRule" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "cameraId" UUID NOT NULL,
    "zoneId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "AlertRuleKind" NOT NULL,
    "threshold" DOUBLE PRECISION NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "AlertRule_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "AlertRule_tenantId_createdAt_id_idx" ON "AlertRule"("tenantId", "createdAt", "id");
CREATE INDEX "AlertRule_zoneId_idx" ON "AlertRule"("zoneId");

CREATE TABLE "Alert" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "ruleId" UUID NOT NULL,
    "cameraId" UUID NOT NULL,
    "zoneId" UUID NOT NULL,
    "kind" "AlertRuleKind" NOT NULL,
    "trackId" INTEGER,
    "value" DOUBLE PRECISION NOT NULL,
    "threshold" DOUBLE PRECISION NOT NULL,
    "message" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "acknowledgedAt" TIMESTAMP(3),
    "acknowledgedBy" TEXT,
    CONSTRAINT "Alert_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "Alert_tenantId_createdAt_id_idx" ON "Alert"("tenantId", "createdAt", "id");
CREATE INDEX "Alert_tenantId_acknowledgedAt_idx" ON "Alert"("tenantId", "acknowledgedAt");

ALTER TABLE "ZoneEvent" ADD CONSTRAINT "ZoneEvent_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ZoneEvent" ADD CONSTRAINT "ZoneEvent_zoneId_fkey" FOREIGN KEY ("zoneId") REFERENCES "Zone"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ZoneEvent" ADD CONSTRAINT "ZoneEvent_cameraId_fkey" FOREIGN KEY ("cameraId") REFERENCES "Camera"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "LineCrossing" ADD CONSTRAINT "LineCrossing_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "LineCrossing" ADD CONSTRAINT "LineCrossing_zoneId_fkey" FOREIGN KEY ("zoneId") REFERENCES "Zone"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "LineCrossing" ADD CONSTRAINT "LineCrossing_cameraId_fkey" FOREIGN KEY ("cameraId") REFERENCES "Camera"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ZoneTransition" ADD CONSTRAINT "ZoneTransition_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ZoneTransition" ADD CONSTRAINT "ZoneTransition_cameraId_fkey" FOREIGN KEY ("cameraId") REFERENCES "Camera"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ZoneTransition" ADD CONSTRAINT "ZoneTransition_fromZoneId_fkey" FOREIGN KEY ("fromZoneId") REFERENCES "Zone"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ZoneTransition" ADD CONSTRAINT "ZoneTransition_toZoneId_fkey" FOREIGN KEY ("toZoneId") REFERENCES "Zone"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ZoneOccupancyMinute" ADD CONSTRAINT "ZoneOccupancyMinute_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ZoneOccupancyMinute" ADD CONSTRAINT "ZoneOccupancyMinute_zoneId_fkey" FOREIGN KEY ("zoneId") REFERENCES "Zone"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "HeatmapMinute" ADD CONSTRAINT "HeatmapMinute_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "HeatmapMinute" ADD CONSTRAINT "HeatmapMinute_cameraId_fkey" FOREIGN KEY ("cameraId") REFERENCES "Camera"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "AlertRule" ADD CONSTRAINT "AlertRule_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "AlertRule" ADD CONSTRAINT "AlertRule_cameraId_fkey" FOREIGN KEY ("cameraId") REFERENCES "Camera"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "AlertRule" ADD CONSTRAINT "AlertRule_zoneId_fkey" FOREIGN KEY ("zoneId") REFERENCES "Zone"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Alert" ADD CONSTRAINT "Alert_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Alert" ADD CONSTRAINT "Alert_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "AlertRule"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Alert" ADD CONSTRAINT "Alert_cameraId_fkey" FOREIGN KEY ("cameraId") REFERENCES "Camera"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Alert" ADD CONSTRAINT "Alert_zoneId_fkey" FOREIGN KEY ("zoneId") REFERENCES "Zone"("id") ON DELETE CASCADE ON UPDATE CASCADE;

GRANT SELECT, INSERT, UPDATE, DELETE ON "ZoneEvent", "LineCrossing", "ZoneTransition", "ZoneOccupancyMinute", "HeatmapMinute", "AlertRule", "Alert" TO trinetra_app;
ALTER TABLE "ZoneEvent" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "ZoneEvent" USING ("tenantId" = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE "LineCrossing" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "LineCrossing" USING ("tenantId" = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE "ZoneTransition" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "ZoneTransition" USING ("tenantId" = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE "ZoneOccupancyMinute" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "ZoneOccupancyMinute" USING ("tenantId" = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE "HeatmapMinute" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "HeatmapMinute" USING ("tenantId" = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE "AlertRule" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "AlertRule" USING ("tenantId" = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE "Alert" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "Alert" USING ("tenantId" = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
