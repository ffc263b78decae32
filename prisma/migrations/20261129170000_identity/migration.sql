-- Identity module: enrolled people, their face embeddings (encrypted at rest), the per-tenant
-- data key that encrypts them (wrapped by the server's IDENTITY_MASTER_KEY) and the identity
-- audit log.
-- Inputs: none. Effects: creates "Person", "PersonEmbedding", "IdentityDataKey" and
-- "IdentityAuditLog" with foreign keys, indexes, grants to trinetra_app and the
-- tenant_isolation RLS policy. "IdentityAuditLog" and "IdentityDataKey" are append-only for
-- trinetra_app (no UPDATE or DELETE); the audit log has no foreign key to "Person", so an
-- erasure's record outlives the person. Errors: fails if a table exists.

CREATE TABLE "Person" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "displayName" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Person_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "Person_tenantId_createdAt_id_idx" ON "Person"("tenantId", "createdAt", "id");

CREATE TABLE "PersonEmbedding" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "personId" UUID NOT NULL,
    "model" TEXT NOT NULL,
    "dimensions" INTEGER NOT NULL,
    "sealed" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "PersonEmbedding_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "PersonEmbedding_tenantId_personId_idx" ON "PersonEmbedding"("tenantId", "personId");

CREATE TABLE "IdentityDataKey" (
    "tenantId" UUID NOT NULL,
    "wrappedKey" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "IdentityDataKey_pkey" PRIMARY KEY ("tenantId")
);

CREATE TABLE "IdentityAuditLog" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "action" TEXT NOT NULL,
    "personId" UUID,
    "actor" TEXT NOT NULL,
    "detail" TEXT NOT NULL DEFAULT '',
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "IdentityAuditLog_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "IdentityAuditLog_tenantId_at_id_idx" ON "IdentityAuditLog"("tenantId", "at", "id");

ALTER TABLE "Person" ADD CONSTRAINT "Person_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "PersonEmbedding" ADD CONSTRAINT "PersonEmbedding_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "PersonEmbedding" ADD CONSTRAINT "PersonEmbedding_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "IdentityDataKey" ADD CONSTRAINT "IdentityDataKey_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "IdentityAuditLog" ADD CONSTRAINT "IdentityAuditLog_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

GRANT SELECT, INSERT, UPDATE, DELETE ON "Person", "PersonEmbedding" TO trinetra_app;
GRANT SELECT, INSERT ON "IdentityDataKey", "IdentityAuditLog" TO trinetra_app;

ALTER TABLE "Person" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "Person" USING ("tenantId" = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE "PersonEmbedding" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "PersonEmbedding" USING ("tenantId" = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE "IdentityDataKey" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "IdentityDataKey" USING ("tenantId" = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE "IdentityAuditLog" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "IdentityAuditLog" USING ("tenantId" = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
