import type { CameraSourceKind } from './camera-directory';

/**
 * The one definition of a camera's perception profile: how the worker looks at its frames.
 * Prisma's enum, the GraphQL enum, camera input validation and the dashboard use these
 * spellings (checked by modules/ingest/infra/camera-vocabulary.test.ts).
 *
 * - `SCENE`: a store camera, people small and many: person detector, then pose per person;
 * - `CLOSE_UP`: one or a few people filling the frame (a phone, a webcam, coaching): multi-person
 *   pose over the whole frame.
 *
 * Simulator cameras are the exception the server decides from the camera's kind, never from
 * the bytes: their frames are always looked at as `SIMULATED` (modules/tracking/pipeline/frame-perception.ts).
 */
export const CAMERA_PERCEPTIONS = ['SCENE', 'CLOSE_UP'] as const;

export type CameraPerception = (typeof CAMERA_PERCEPTIONS)[number];

/** The profile a new camera gets when none is given: store cameras see scenes, uploads (phones, webcams) close-ups. */
export function defaultPerceptionFor(kind: CameraSourceKind): CameraPerception {
  return kind === 'UPLOAD' ? 'CLOSE_UP' : 'SCENE';
}
