-- Batch video jobs of the ingest module: one "VideoManifest" per imported CSV, one "VideoJob"
-- per manifest row that named a path.
-- Inputs: none (applied once by the migration runner after 20261122000000_init).
-- Effects: creates the enum "VideoJobStatus", tables "VideoManifest" and "VideoJob" with their
-- indexes and foreign keys, grants them to "trinetra_app" and gives both the tenant-isolation
-- row-level-security policy of the init migration (keyed on app.tenant_id).
-- Errors: fails if the objects already exist, or if the init migration has not run (role,
-- "Tenant" table).

CREATE TYPE "VideoJobStatus" AS ENUM ('queued', 'processing', 'done', 'failed', 'missing_file');

CREATE TABLE "VideoManifest" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "encoding" TEXT NOT NULL,
    "delimiter" TEXT NOT NULL,
    "rowCount" INTEGER NOT NULL,
    "malformed" JSONB NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "VideoManifest_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "VideoManifest_tenantId_createdAt_id_idx" ON "VideoManifest"("tenantId", "createdAt", "id");

CREATE TABLE "VideoJob" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "manifestId" UUID NOT NULL,
    "line" INTEGER NOT NULL,
    "localPath" TEXT NOT NULL,
    "filename" TEXT NOT NULL,
    "label" TEXT,
    "remoteUrl" TEXT,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "sha1" TEXT,
    "duplicateOfId" UUID,
    "status" "VideoJobStatus" NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "queuedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "heartbeatAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "frameCount" INTEGER,
    "quality" DOUBLE PRECISION,
    "outputPath" TEXT,
    "outputSha256" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "VideoJob_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "VideoJob_tenantId_createdAt_id_idx" ON "VideoJob"("tenantId", "createdAt", "id");
CREATE INDEX "VideoJob_tenantId_status_idx" ON "VideoJob"("tenantId", "status");
CREATE INDEX "VideoJob_tenantId_sha1_idx" ON "VideoJob"("tenantId", "sha1");
CREATE INDEX "VideoJob_manifestId_idx" ON "VideoJob"("manifestId");

ALTER TABLE "VideoManifest" ADD CONSTRAINT "VideoManifest_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "VideoJob" ADD CONSTRAINT "VideoJob_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "VideoJob" ADD CONSTRAINT "VideoJob_manifestId_fkey" FOREIGN KEY ("manifestId") REFERENCES "VideoManifest"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "VideoJob" ADD CONSTRAINT "VideoJob_duplicateOfId_fkey" FOREIGN KEY ("duplicateOfId") REFERENCES "VideoJob"("id") ON DELETE SET NULL ON UPDATE CASCADE;

GRANT SELECT, INSERT, UPDATE, DELETE ON "VideoManifest", "VideoJob" TO trinetra_app;

ALTER TABLE "VideoManifest" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "VideoManifest" USING ("tenantId" = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE "VideoJob" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "VideoJob" USING ("tenantId" = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
