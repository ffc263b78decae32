/**
 * The wire protocol between the tracking control plane (producer) and the gpu-worker pool
 * (consumer). See `docs/frame-batch-protocol.md` next to this file.
 *
 * - A micro-batch is one BullMQ job named {@link FRAME_BATCH_JOB} whose data is a
 *   {@link FrameBatchJob}: frame references and deadlines, never the image bytes.
 * - Each frame's encoded image is a binary Redis string at `bytesKey`, written with `PX` equal
 *   to the time the frame may still be processed, so Redis forgets frames by itself.
 * - The worker answers with one entry per batch on the Redis stream `resultsKey` (field `r`:
 *   JSON array of {@link FrameReport}), one report per frame of the batch.
 */
import { z } from 'zod';

/** BullMQ job name of a frame micro-batch. */
export const FRAME_BATCH_JOB = 'infer-frame-batch';

/**
 * How the worker must look at a frame, decided by the server from the camera (its kind and its
 * perception profile), never by the worker from the bytes a client sent:
 * - `SIMULATED`: simulator cameras only; the ground truth in the JPEG's comment is the result;
 * - `SCENE`: person detector over the frame (optionally 2x2 tiles), then single-person pose on each person's crop;
 * - `CLOSE_UP`: MoveNet MultiPose over the whole frame (webcams, coaching).
 */
export const FRAME_PERCEPTIONS = ['SIMULATED', 'SCENE', 'CLOSE_UP'] as const;
export type FramePerception = (typeof FRAME_PERCEPTIONS)[number];

export const frameRefSchema = z.object({
  frameId: z.string().min(1),
  cameraId: z.string().min(1),
  seq: z.number().int().nonnegative(),
  /** Epoch milliseconds after which the worker must skip the frame; null: never skip (billing). */
  deadline: z.number().nullable(),
  /** Redis key of the frame's encoded bytes. */
  bytesKey: z.string().min(1),
  /** How to look at it (see {@link FRAME_PERCEPTIONS}). */
  perception: z.enum(FRAME_PERCEPTIONS),
  /** SCENE only: also run the detector on a 2x2 grid of overlapping tiles (dense or small people). */
  tiled: z.boolean().default(false),
  /**
   * Embed each seen face (the camera has identity on, with recorded consent). Set by the server
   * from the camera, never from the bytes; absent or false: persons carry no face vector.
   */
  faces: z.boolean().default(false),
});
export type FrameRef = z.infer<typeof frameRefSchema>;

export const frameBatchJobSchema = z.object({
  batchId: z.string().min(1),
  /** Redis stream the worker appends its reports to (one per control plane instance). */
  resultsKey: z.string().min(1),
  /** Epoch ms when the control plane enqueued the batch (queue latency starts here). */
  enqueuedAt: z.number(),
  frames: z.array(frameRefSchema).min(1),
});
export type FrameBatchJob = z.infer<typeof frameBatchJobSchema>;

const keypointSchema = z.object({ x: z.number(), y: z.number(), score: z.number() });
const personSchema = z.object({
  box: z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() }),
  score: z.number(),
  keypoints: z.array(keypointSchema),
  /** L2-normalised face embedding (FaceRes, 1024-d); only on frames sent with `faces: true`. Never an image. */
  embedding: z.array(z.number()).optional(),
});

/** What the worker ran for one frame. */
export const frameDetectionsSchema = z.object({
  width: z.number(),
  height: z.number(),
  persons: z.array(personSchema),
  /** The backend that produced it (`simulated`, `onnx:…`). */
  backend: z.string(),
  /**
   * What produced it, for every output (results, subscriptions, batch files, summaries):
   * `backend` is `simulated` or `onnx`, `model` names the models (`nanodet-m+movenet-lightning`,
   * `movenet-multipose`, `ground-truth`).
   */
  provenance: z.object({ backend: z.enum(['simulated', 'onnx']), model: z.string() }),
});
export type FrameDetections = z.infer<typeof frameDetectionsSchema>;

const reportBase = { frameId: z.string(), cameraId: z.string(), seq: z.number().int() };

/** The worker's answer for one frame. */
export const frameReportSchema = z.discriminatedUnion('status', [
  z.object({ ...reportBase, status: z.literal('ok'), startedAt: z.number(), inferenceMs: z.number(), detections: frameDetectionsSchema }),
  /** The worker picked the frame up after its deadline and skipped it. */
  z.object({ ...reportBase, status: z.literal('deadline_missed') }),
  /** The bytes could not be decoded. */
  z.object({ ...reportBase, status: z.literal('decode_failed'), message: z.string() }),
  /** The bytes were gone from Redis (expired or Redis restarted): the control plane may resend. */
  z.object({ ...reportBase, status: z.literal('missing') }),
  /**
   * Inference failed for the whole micro-batch (the backend threw: out of memory, a broken
   * session). Every frame of the batch carries the same message; the control plane handles them
   * as one failed batch (retried until its deadline, counted by the breaker).
   */
  z.object({ ...reportBase, status: z.literal('batch_failed'), message: z.string() }),
]);
export type FrameReport = z.infer<typeof frameReportSchema>;

/** Field of a results stream entry that holds the JSON array of reports. */
export const REPORTS_FIELD = 'r';

/** Redis key of a frame's bytes under a key prefix (e.g. `trinetra:cp:<instance>`). */
export function frameBytesKey(prefix: string, frameId: string): string {
  return `${prefix}:frame:${frameId}`;
}
