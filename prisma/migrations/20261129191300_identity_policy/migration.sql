-- Identity policy: person tags, per-camera threshold offset, the camera graph of minimum
-- transit times, and per-tenant identity settings (retention of unknown visitors' vectors).
-- Whether identity is on for a camera, and the consent, live on "Camera" (20261129183000_camera_identity).
-- Inputs: none. Effects: adds "Person"."tags"; creates "CameraIdentityPolicy", "IdentityCameraLink"
-- and "IdentitySettings" with foreign keys (camera rows go with their camera), grants to
-- trinetra_app and the tenant_isolation RLS policy. Tenant and Camera get no Prisma back-relation
-- (scalar ids; the foreign keys live here), so their models stay untouched.
-- Errors: fails if a table exists.

ALTER TABLE "Person" ADD COLUMN "tags" TEXT[] NOT NULL DEFAULT '{}';

CREATE TABLE "CameraIdentityPolicy" (
    "cameraId" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "thresholdOffset" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "CameraIdentityPolicy_pkey" PRIMARY KEY ("cameraId"),
    CONSTRAINT "CameraIdentityPolicy_offset_check" CHECK ("thresholdOffset" BETWEEN -0.2 AND 0.2)
);
CREATE INDEX "CameraIdentityPolicy_tenantId_idx" ON "CameraIdentityPolicy"("tenantId");

CREATE TABLE "IdentityCameraLink" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "fromCameraId" UUID NOT NULL,
    "toCameraId" UUID NOT NULL,
    "minTransitSeconds" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "IdentityCameraLink_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "IdentityCameraLink_distinct_check" CHECK ("fromCameraId" <> "toCameraId"),
    CONSTRAINT "IdentityCameraLink_transit_check" CHECK ("minTransitSeconds" BETWEEN 0 AND 86400)
);
CREATE UNIQUE INDEX "IdentityCameraLink_tenantId_fromCameraId_toCameraId_key" ON "IdentityCameraLink"("tenantId", "fromCameraId", "toCameraId");

CREATE TABLE "IdentitySettings" (
    "tenantId" UUID NOT NULL,
    "unknownRetentionHours" INTEGER NOT NULL DEFAULT 24,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "IdentitySettings_pkey" PRIMARY KEY ("tenantId"),
    CONSTRAINT "IdentitySettings_retention_check" CHECK ("unknownRetentionHours" BETWEEN 1 AND 720)
);

ALTER TABLE "CameraIdentityPolicy" ADD CONSTRAINT "CameraIdentityPolicy_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "CameraIdentityPolicy" ADD CONSTRAINT "CameraIdentityPolicy_cameraId_fkey" FOREIGN KEY ("cameraId") REFERENCES "Camera"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "IdentityCameraLink" ADD CONSTRAINT "IdentityCameraLink_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "IdentityCameraLink" ADD CONSTRAINT "IdentityCameraLink_fromCameraId_fkey" FOREIGN KEY ("fromCameraId") REFERENCES "Camera"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "IdentityCameraLink" ADD CONSTRAINT "IdentityCameraLink_toCameraId_fkey" FOREIGN KEY ("toCameraId") REFERENCES "Camera"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "IdentitySettings" ADD CONSTRAINT "IdentitySettings_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

GRANT SELECT, INSERT, UPDATE, DELETE ON "CameraIdentityPolicy", "IdentityCameraLink", "IdentitySettings" TO trinetra_app;

ALTER TABLE "CameraIdentityPolicy" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "CameraIdentityPolicy" USING ("tenantId" = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE "IdentityCameraLink" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "IdentityCameraLink" USING ("tenantId" = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE "IdentitySettings" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "IdentitySettings" USING ("tenantId" = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
