-- Initial schema: plans, tenants, users, refresh tokens, API keys, cameras, zones.
-- Inputs: none. Effects: creates the enums and tables of schema.prisma, the non-login role
-- "trinetra_app" that tenant-scoped transactions switch to, and row-level-security policies
-- keyed on the transaction setting app.tenant_id (the second wall behind the tenant-scoped
-- client). Errors: fails if the tables already exist (the runner applies it once).

CREATE TYPE "CameraTier" AS ENUM ('BILLING', 'CRITICAL', 'STANDARD', 'BEST_EFFORT', 'LIVE');
CREATE TYPE "SourceKind" AS ENUM ('FILE', 'NETWORK', 'UPLOAD', 'SIMULATOR');
CREATE TYPE "CameraDesiredStatus" AS ENUM ('RUNNING', 'STOPPED');
CREATE TYPE "CameraStatus" AS ENUM ('IDLE', 'CONNECTING', 'LIVE', 'STALLED', 'RECONNECTING', 'FAILED', 'STOPPED');
CREATE TYPE "ZoneKind" AS ENUM ('AREA', 'LINE');
CREATE TYPE "UserRole" AS ENUM ('ADMIN', 'MEMBER');

CREATE TABLE "Plan" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "maxCameras" INTEGER NOT NULL,
    "monthlyFrameQuota" BIGINT NOT NULL,
    "requestsPerMinute" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Plan_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "Plan_code_key" ON "Plan"("code");

CREATE TABLE "Tenant" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "planId" UUID NOT NULL,
    "networkAllowlist" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Tenant_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "User" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "role" "UserRole" NOT NULL DEFAULT 'MEMBER',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
CREATE INDEX "User_tenantId_idx" ON "User"("tenantId");

CREATE TABLE "RefreshToken" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "familyId" UUID NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "RefreshToken_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "RefreshToken_tokenHash_key" ON "RefreshToken"("tokenHash");
CREATE INDEX "RefreshToken_familyId_idx" ON "RefreshToken"("familyId");

CREATE TABLE "ApiKey" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "secretHash" TEXT NOT NULL,
    "scopes" TEXT[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    CONSTRAINT "ApiKey_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "ApiKey_prefix_key" ON "ApiKey"("prefix");
CREATE INDEX "ApiKey_tenantId_idx" ON "ApiKey"("tenantId");

CREATE TABLE "Camera" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "purpose" TEXT NOT NULL DEFAULT 'general',
    "tier" "CameraTier" NOT NULL DEFAULT 'STANDARD',
    "sourceKind" "SourceKind" NOT NULL,
    "sourceUrl" TEXT,
    "targetFps" DOUBLE PRECISION NOT NULL DEFAULT 10,
    "desiredStatus" "CameraDesiredStatus" NOT NULL DEFAULT 'STOPPED',
    "status" "CameraStatus" NOT NULL DEFAULT 'IDLE',
    "statusChangedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "Camera_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "Camera_tenantId_createdAt_id_idx" ON "Camera"("tenantId", "createdAt", "id");

CREATE TABLE "Zone" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "cameraId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "ZoneKind" NOT NULL DEFAULT 'AREA',
    "polygon" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "Zone_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "Zone_cameraId_name_key" ON "Zone"("cameraId", "name");
CREATE INDEX "Zone_tenantId_idx" ON "Zone"("tenantId");

ALTER TABLE "Tenant" ADD CONSTRAINT "Tenant_planId_fkey" FOREIGN KEY ("planId") REFERENCES "Plan"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "User" ADD CONSTRAINT "User_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "RefreshToken" ADD CONSTRAINT "RefreshToken_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "RefreshToken" ADD CONSTRAINT "RefreshToken_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Camera" ADD CONSTRAINT "Camera_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Zone" ADD CONSTRAINT "Zone_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Zone" ADD CONSTRAINT "Zone_cameraId_fkey" FOREIGN KEY ("cameraId") REFERENCES "Camera"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Row-level security: the second wall. Tenant-scoped transactions run as "trinetra_app" with
-- app.tenant_id set; the connecting (owner) role keeps full access for auth and migrations.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'trinetra_app') THEN
        CREATE ROLE trinetra_app NOLOGIN;
    END IF;
END
$$;
GRANT trinetra_app TO CURRENT_USER;
GRANT USAGE ON SCHEMA public TO trinetra_app;
GRANT SELECT ON "Plan" TO trinetra_app;
GRANT SELECT ON "Tenant" TO trinetra_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON "User", "RefreshToken", "ApiKey", "Camera", "Zone" TO trinetra_app;

ALTER TABLE "Tenant" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "Tenant" USING ("id" = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE "User" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "User" USING ("tenantId" = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE "RefreshToken" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "RefreshToken" USING ("tenantId" = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE "ApiKey" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "ApiKey" USING ("tenantId" = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE "Camera" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "Camera" USING ("tenantId" = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE "Zone" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "Zone" USING ("tenantId" = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
