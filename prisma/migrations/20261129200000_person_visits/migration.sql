-- Identity: visit numbers of named people (issue 13), so analytics' REPEAT_VISITOR can fire.
-- Inputs: none. Effects: adds "visitCount" (visits so far, 0 until first seen live) and
-- "lastSeenAt" (capture time of the last live sighting) to "Person". A sighting more than
-- 30 minutes after "lastSeenAt" starts a new visit (modules/identity/infra/person-visit.store.ts).
-- "Person" already has RLS (tenant_isolation) and trinetra_app's UPDATE grant covers the new
-- columns; nothing else changes. Errors: fails if a column exists.

ALTER TABLE "Person" ADD COLUMN "visitCount" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Person" ADD COLUMN "lastSeenAt" TIMESTAMP(3);
ALTER TABLE "Person" ADD CONSTRAINT "Person_visitCount_check" CHECK ("visitCount" >= 0);
