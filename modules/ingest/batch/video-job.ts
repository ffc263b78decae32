import { IngestError, IngestErrorCode } from '../domain/ingest.error';

/**
 * Warnings a finished job can carry (a job can be `done` and still be worth a look):
 * `NO_DETECTIONS`: frames were processed but nobody was detected in any of them.
 */
export const VIDEO_JOB_WARNINGS = ['NO_DETECTIONS'] as const;
export type VideoJobWarning = (typeof VIDEO_JOB_WARNINGS)[number];

/** What each warning means and what to try, in words (shown by the dashboard and the CLI). */
export const VIDEO_JOB_WARNING_MESSAGES: Readonly<Record<VideoJobWarning, string>> = {
  NO_DETECTIONS:
    'No one was detected in any frame. If people are visible, they may be too small for the SCENE detector: try a higher-resolution video, or one where people fill more of the frame.',
};

/** Status of one video of a batch. */
export type VideoJobStatus = 'queued' | 'processing' | 'done' | 'failed' | 'missing_file';

/** Every {@link VideoJobStatus}, in lifecycle order. */
export const VIDEO_JOB_STATUSES: readonly VideoJobStatus[] = ['queued', 'processing', 'done', 'failed', 'missing_file'];

/** One batch video job (persisted by the lead's repository; this is its pure state). */
export interface VideoJob {
  id: string;
  status: VideoJobStatus;
  attempts: number;
  error: string | null;
  /** Epoch ms. */
  queuedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  frameCount: number | null;
  /** Mean tracking quality 0..1 of the output. */
  quality: number | null;
  outputPath: string | null;
  outputSha256: string | null;
}

export type VideoJobEvent =
  | { type: 'start'; at: number }
  | { type: 'complete'; at: number; frameCount: number; quality: number; outputPath: string; outputSha256: string }
  | { type: 'fail'; at: number; error: string }
  | { type: 'file_missing'; at: number }
  /** Resume after a crash or for a retry: `processing` (orphaned by a killed run) and `failed` go back to `queued`. */
  | { type: 'requeue'; at: number };

const ALLOWED: Record<VideoJobEvent['type'], readonly VideoJobStatus[]> = {
  start: ['queued'],
  complete: ['processing'],
  fail: ['processing'],
  file_missing: ['queued', 'processing', 'failed'],
  requeue: ['processing', 'failed', 'missing_file'],
};

/** Whether `event` may happen in `status`. */
export function canApply(status: VideoJobStatus, event: VideoJobEvent['type']): boolean {
  return ALLOWED[event].includes(status);
}

/**
 * The job state machine (pure): queued -> processing -> done | failed; missing_file when the
 * path is gone; `requeue` for resume. `done` is final, so a video is never processed twice;
 * the repository applies transitions with a compare-and-set on the old status so two workers
 * cannot both start one job.
 * @throws IngestError JOB_TRANSITION_INVALID for a transition the machine does not allow.
 */
export function applyVideoJobEvent(job: VideoJob, event: VideoJobEvent): VideoJob {
  if (!canApply(job.status, event.type)) {
    throw new IngestError(IngestErrorCode.JOB_TRANSITION_INVALID, `video job ${job.id} cannot ${event.type} while ${job.status}`, { jobId: job.id, status: job.status, event: event.type });
  }
  switch (event.type) {
    case 'start':
      return { ...job, status: 'processing', attempts: job.attempts + 1, startedAt: event.at, finishedAt: null, error: null };
    case 'complete':
      return { ...job, status: 'done', finishedAt: event.at, frameCount: event.frameCount, quality: event.quality, outputPath: event.outputPath, outputSha256: event.outputSha256, error: null };
    case 'fail':
      return { ...job, status: 'failed', finishedAt: event.at, error: event.error };
    case 'file_missing':
      return { ...job, status: 'missing_file', finishedAt: event.at, error: 'file not found' };
    case 'requeue':
      return { ...job, status: 'queued', queuedAt: event.at, startedAt: null, finishedAt: null };
  }
}

/** Statuses `resume` picks up (a `processing` job after a crash was orphaned by the killed run). */
export const RESUMABLE_STATUSES: readonly VideoJobStatus[] = ['queued', 'processing', 'failed'];

export function newVideoJob(id: string, at: number, fileMissing = false): VideoJob {
  return {
    id,
    status: fileMissing ? 'missing_file' : 'queued',
    attempts: 0,
    error: fileMissing ? 'file not found' : null,
    queuedAt: at,
    startedAt: null,
    finishedAt: null,
    frameCount: null,
    quality: null,
    outputPath: null,
    outputSha256: null,
  };
}
