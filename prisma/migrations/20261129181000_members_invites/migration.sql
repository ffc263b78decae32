-- Tenant administration: the four roles of the permission table (docs/TEAM.md) and member invites.
-- Inputs: none. Effects: replaces "UserRole" (ADMIN, MEMBER) by (OWNER, ADMIN, MEMBER, VIEWER);
-- every existing ADMIN becomes OWNER (until now only sign-up made users, and the user who signed
-- a tenant up owns it); creates "Invite" with its foreign key, indexes, grants to trinetra_app
-- and the tenant_isolation RLS policy. Errors: fails if "Invite" or "UserRole_new" exists.

CREATE TYPE "UserRole_new" AS ENUM ('OWNER', 'ADMIN', 'MEMBER', 'VIEWER');
ALTER TABLE "User" ALTER COLUMN "role" DROP DEFAULT;
ALTER TABLE "User" ALTER COLUMN "role" TYPE "UserRole_new"
  USING (CASE WHEN "role"::text = 'ADMIN' THEN 'OWNER' ELSE "role"::text END)::"UserRole_new";
DROP TYPE "UserRole";
ALTER TYPE "UserRole_new" RENAME TO "UserRole";
ALTER TABLE "User" ALTER COLUMN "role" SET DEFAULT 'MEMBER';

CREATE TABLE "Invite" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "role" "UserRole" NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "invitedById" UUID,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "acceptedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Invite_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "Invite_tokenHash_key" ON "Invite"("tokenHash");
CREATE INDEX "Invite_tenantId_email_idx" ON "Invite"("tenantId", "email");

ALTER TABLE "Invite" ADD CONSTRAINT "Invite_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

GRANT SELECT, INSERT, UPDATE, DELETE ON "Invite" TO trinetra_app;

ALTER TABLE "Invite" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "Invite" USING ("tenantId" = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
