-- Track summaries: one row per person track the tracker ended.
-- Inputs: none. Effects: creates "TrackSummary" with its foreign keys, index, grants to
-- trinetra_app and the tenant_isolation RLS policy. Errors: fails if the table exists.

CREATE TABLE "TrackSummary" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "cameraId" UUID NOT NULL,
    "trackId" INTEGER NOT NULL,
    "firstSeenAt" TIMESTAMP(3) NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,
    "frames" INTEGER NOT NULL,
    "pathLengthPx" DOUBLE PRECISION NOT NULL,
    "meanQuality" DOUBLE PRECISION NOT NULL,
    "issues" TEXT[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "TrackSummary_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "TrackSummary_tenantId_cameraId_lastSeenAt_idx" ON "TrackSummary"("tenantId", "cameraId", "lastSeenAt");
ALTER TABLE "TrackSummary" ADD CONSTRAINT "TrackSummary_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "TrackSummary" ADD CONSTRAINT "TrackSummary_cameraId_fkey" FOREIGN KEY ("cameraId") REFERENCES "Camera"("id") ON DELETE CASCADE ON UPDATE CASCADE;

GRANT SELECT, INSERT, UPDATE, DELETE ON "TrackSummary" TO trinetra_app;
ALTER TABLE "TrackSummary" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "TrackSummary" USING ("tenantId" = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
