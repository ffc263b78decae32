-- Perception profile per camera and provenance of track summaries (issue 12).
-- Inputs: none. Effects: creates the "CameraPerception" enum; adds "Camera"."perception"
-- (existing UPLOAD cameras become CLOSE_UP, every other camera SCENE) and "Camera"."tiled";
-- adds nullable "TrackSummary"."provenanceBackend" and "provenanceModel" (older rows stay null).
-- Errors: fails if the enum or a column exists.

CREATE TYPE "CameraPerception" AS ENUM ('SCENE', 'CLOSE_UP');
ALTER TABLE "Camera" ADD COLUMN "perception" "CameraPerception" NOT NULL DEFAULT 'SCENE';
ALTER TABLE "Camera" ADD COLUMN "tiled" BOOLEAN NOT NULL DEFAULT false;
UPDATE "Camera" SET "perception" = 'CLOSE_UP' WHERE "sourceKind" = 'UPLOAD';

ALTER TABLE "TrackSummary" ADD COLUMN "provenanceBackend" TEXT;
ALTER TABLE "TrackSummary" ADD COLUMN "provenanceModel" TEXT;
