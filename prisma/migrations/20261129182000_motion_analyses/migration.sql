-- Coaching motion analyses (modules/analytics/motion): one row per requested analysis and one
-- per measured event (a jump, a squat rep, a running step).
-- Inputs: none. Effects: creates the "MotionAnalysisStatus" enum, "MotionAnalysis" and
-- "MotionAnalysisResult" with foreign keys (tenant, analysis; cascade), indexes, grants to
-- trinetra_app and the tenant_isolation RLS policy. Scalar tenant ids in the Prisma schema
-- (no relation field on Tenant). Errors: fails if a table or the enum exists.

CREATE TYPE "MotionAnalysisStatus" AS ENUM ('QUEUED', 'RUNNING', 'DONE', 'FAILED');

CREATE TABLE "MotionAnalysis" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "sport" TEXT NOT NULL,
    "status" "MotionAnalysisStatus" NOT NULL DEFAULT 'QUEUED',
    -- Why a FAILED analysis has no numbers (NO_EVENT_DETECTED, INSUFFICIENT_FRAME_RATE, NO_PERSON, ...).
    "reason" TEXT,
    "reasonDetail" TEXT,
    -- UPLOAD | VIDEO_JOB | CAMERA_WINDOW and what it names.
    "sourceKind" TEXT NOT NULL,
    "videoJobId" UUID,
    "cameraId" UUID,
    "windowStart" TIMESTAMP(3),
    "windowEnd" TIMESTAMP(3),
    "filename" TEXT,
    "athleteHeightCm" DOUBLE PRECISION,
    "athleteMassKg" DOUBLE PRECISION,
    "requestedTrackId" INTEGER,
    "trackId" INTEGER,
    -- How the analysed person was chosen: REQUESTED or MOST_SEEN (main track), and who else was seen.
    "trackChoice" TEXT,
    "candidateTrackIds" INTEGER[] NOT NULL DEFAULT ARRAY[]::INTEGER[],
    "fps" DOUBLE PRECISION,
    "frameCount" INTEGER,
    "progress" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "metrics" JSONB,
    "phases" JSONB,
    "flags" JSONB,
    -- The plotted signal (time, value) and its name and unit.
    "signal" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "MotionAnalysis_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "MotionAnalysis_tenantId_createdAt_id_idx" ON "MotionAnalysis"("tenantId", "createdAt", "id");

CREATE TABLE "MotionAnalysisResult" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "analysisId" UUID NOT NULL,
    -- JUMP | REP | STEP, numbered from 1 within the analysis.
    "kind" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "startS" DOUBLE PRECISION NOT NULL,
    "endS" DOUBLE PRECISION NOT NULL,
    "values" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "MotionAnalysisResult_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "MotionAnalysisResult_analysisId_kind_index_key" ON "MotionAnalysisResult"("analysisId", "kind", "index");
CREATE INDEX "MotionAnalysisResult_tenantId_idx" ON "MotionAnalysisResult"("tenantId");

ALTER TABLE "MotionAnalysis" ADD CONSTRAINT "MotionAnalysis_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "MotionAnalysisResult" ADD CONSTRAINT "MotionAnalysisResult_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "MotionAnalysisResult" ADD CONSTRAINT "MotionAnalysisResult_analysisId_fkey" FOREIGN KEY ("analysisId") REFERENCES "MotionAnalysis"("id") ON DELETE CASCADE ON UPDATE CASCADE;

GRANT SELECT, INSERT, UPDATE, DELETE ON "MotionAnalysis", "MotionAnalysisResult" TO trinetra_app;

ALTER TABLE "MotionAnalysis" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "MotionAnalysis" USING ("tenantId" = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE "MotionAnalysisResult" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "MotionAnalysisResult" USING ("tenantId" = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
