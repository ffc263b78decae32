-- Why a camera is not delivering frames, and warnings on finished batch jobs (issue 18).
-- Inputs: none. Effects: creates the "CameraStatusReason" enum (the closed set of
-- modules/shared/domain/camera-status-reason.ts); adds nullable "Camera"."statusReason" and
-- "Camera"."statusMessage" (existing cameras: null, no reason known); adds
-- "VideoJob"."warnings" (empty for existing jobs). Both tables keep their RLS policy and grants
-- (new columns of an existing table need none). Errors: fails if the enum or a column exists.

CREATE TYPE "CameraStatusReason" AS ENUM ('SOURCE_NOT_FOUND', 'SOURCE_UNREACHABLE', 'SOURCE_NOT_ALLOWED', 'DECODE_ERROR', 'STALLED', 'ENDED');
ALTER TABLE "Camera" ADD COLUMN "statusReason" "CameraStatusReason";
ALTER TABLE "Camera" ADD COLUMN "statusMessage" TEXT;

ALTER TABLE "VideoJob" ADD COLUMN "warnings" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];
