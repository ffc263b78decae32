-- Per-camera face embeddings for identity (issues 12 and 13).
-- Inputs: none. Effects: adds "Camera"."identity" (off for every existing camera) and the record
-- of consent: "identityConsentBy" (the actor who turned it on, `user:<id>` / `apiKey:<id>`) and
-- "identityConsentAt". Both stay set while identity is on and are cleared when it is turned off.
-- The table's row-level security (tenant policy) already covers the new columns.
-- Errors: fails if a column exists.

ALTER TABLE "Camera" ADD COLUMN "identity" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "Camera" ADD COLUMN "identityConsentBy" TEXT;
ALTER TABLE "Camera" ADD COLUMN "identityConsentAt" TIMESTAMP(3);
-- Consent is recorded whenever identity is on: the database refuses one without the other.
ALTER TABLE "Camera" ADD CONSTRAINT "Camera_identity_consent" CHECK (NOT "identity" OR ("identityConsentBy" IS NOT NULL AND "identityConsentAt" IS NOT NULL));
