-- Plan dimensions enforced by billing-safe's QuotaGate (docs/QUOTAS.md): concurrent live streams
-- and analyses per month, beside the existing cameras, frames per month, webhook endpoints and
-- API requests per minute; and the Freemium and Enterprise plans beside Starter and Pro.
-- Inputs: none. Effects: adds "Plan"."maxConcurrentStreams" and "Plan"."monthlyAnalysisQuota"
-- (defaults for plans an operator created), sets them for the seeded plan codes, inserts
-- freemium and enterprise when missing. Errors: fails if a column exists.

ALTER TABLE "Plan" ADD COLUMN "maxConcurrentStreams" INTEGER NOT NULL DEFAULT 4;
ALTER TABLE "Plan" ADD COLUMN "monthlyAnalysisQuota" INTEGER NOT NULL DEFAULT 1000;

UPDATE "Plan" SET "maxConcurrentStreams" = 4, "monthlyAnalysisQuota" = 1000 WHERE "code" = 'starter';
UPDATE "Plan" SET "maxConcurrentStreams" = 50, "monthlyAnalysisQuota" = 50000, "maxWebhookEndpoints" = 50 WHERE "code" = 'pro';

INSERT INTO "Plan" ("id", "code", "name", "maxCameras", "monthlyFrameQuota", "requestsPerMinute", "maxWebhookEndpoints", "maxConcurrentStreams", "monthlyAnalysisQuota")
VALUES
  (gen_random_uuid(), 'freemium', 'Freemium', 2, 1000000, 300, 2, 1, 50),
  (gen_random_uuid(), 'enterprise', 'Enterprise', 5000, 50000000000, 120000, 500, 1000, 5000000)
ON CONFLICT ("code") DO NOTHING;
