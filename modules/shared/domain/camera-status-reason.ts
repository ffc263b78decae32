/**
 * The one definition of why a camera is not delivering frames (issue 18): Prisma's enum, the
 * GraphQL enum (`enumOf`), the frame sources and the dashboard use these spellings (checked by
 * modules/ingest/infra/camera-vocabulary.test.ts). A closed set, so a client can branch on it;
 * the human `statusMessage` beside it carries the detail (never URL credentials).
 *
 * - `SOURCE_NOT_FOUND`: the file is gone (deleted or moved after the camera was created);
 * - `SOURCE_UNREACHABLE`: the network camera did not answer (refused, timed out, gave up retrying);
 * - `SOURCE_NOT_ALLOWED`: the address is refused by the SSRF guard or the tenant's allowlist now;
 * - `DECODE_ERROR`: the source answered but ffmpeg could not decode what it sent;
 * - `STALLED`: a live source stopped delivering frames (the source is retrying);
 * - `ENDED`: a finite source (a file, a bounded simulator) reached its end.
 */
export const CAMERA_STATUS_REASONS = ['SOURCE_NOT_FOUND', 'SOURCE_UNREACHABLE', 'SOURCE_NOT_ALLOWED', 'DECODE_ERROR', 'STALLED', 'ENDED'] as const;

export type CameraStatusReason = (typeof CAMERA_STATUS_REASONS)[number];

export function isCameraStatusReason(value: unknown): value is CameraStatusReason {
  return typeof value === 'string' && (CAMERA_STATUS_REASONS as readonly string[]).includes(value);
}

/** What a person can do next, per reason: shown after the message on the camera page and list. */
export const CAMERA_STATUS_NEXT_STEP: Readonly<Record<CameraStatusReason, string>> = {
  SOURCE_NOT_FOUND: 'Check that the file still exists under one of your media folders, then edit the camera or start it again.',
  SOURCE_UNREACHABLE: 'Check the address, that the camera is switched on and reachable from the server, then start the camera again.',
  SOURCE_NOT_ALLOWED: "The address is not allowed for this account: use a public address or ask an admin to add it to the tenant's allowlist.",
  DECODE_ERROR: 'The source is not a video the server can decode (H.264/H.265/MJPEG work): convert it or pick another stream, then start again.',
  STALLED: 'The camera stopped sending frames; the server is reconnecting. Check the camera if it does not come back within a minute.',
  ENDED: 'The video reached its end. Start the camera again to replay it, or import it as a batch job to get its full output.',
};

/** The message stored with a reason: the detail the source gave, then what to do next. */
export function cameraStatusMessage(reason: CameraStatusReason, detail: string | null): string {
  const next = CAMERA_STATUS_NEXT_STEP[reason];
  return detail ? `${detail.trim().slice(0, 300)}. ${next}` : next;
}
