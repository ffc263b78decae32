import type { Cursor, Page } from '@trinetra/shared';
import type { MotionSport } from '../domain/motion-analysis';
import type { MotionEventRecord, MotionSignalPlot } from '../domain/motion-report';

/** Lifecycle of an analysis: QUEUED -> RUNNING -> DONE | FAILED (FAILED always carries a reason). */
export const MOTION_ANALYSIS_STATUSES = ['QUEUED', 'RUNNING', 'DONE', 'FAILED'] as const;
export type MotionAnalysisStatus = (typeof MOTION_ANALYSIS_STATUSES)[number];

/**
 * Why an analysis has no numbers. The first four are the analysis's own typed outcomes; the
 * rest are about the source: nobody in it, a track id that is not there, a video job that
 * failed, an error of ours (logged; the row still ends FAILED, never stuck RUNNING).
 */
export const MOTION_FAILURE_REASONS = [
  'NO_EVENT_DETECTED',
  'INSUFFICIENT_FRAME_RATE',
  'INSUFFICIENT_KEYPOINTS',
  'IMPLAUSIBLE',
  'NO_PERSON',
  'TRACK_NOT_FOUND',
  'SOURCE_FAILED',
  'INVALID_INPUT',
  'INTERNAL_ERROR',
] as const;
export type MotionFailureReason = (typeof MOTION_FAILURE_REASONS)[number];

export const MOTION_SOURCE_KINDS = ['UPLOAD', 'VIDEO_JOB', 'CAMERA_WINDOW'] as const;
export type MotionSourceKind = (typeof MOTION_SOURCE_KINDS)[number];

/** How the analysed person was chosen among the tracks of the source. */
export type TrackChoice = 'REQUESTED' | 'MAIN';

/** One analysis as stored. */
export interface MotionAnalysisRow extends Cursor {
  id: string;
  tenantId: string;
  sport: MotionSport;
  status: MotionAnalysisStatus;
  reason: MotionFailureReason | null;
  reasonDetail: string | null;
  sourceKind: MotionSourceKind;
  videoJobId: string | null;
  cameraId: string | null;
  windowStart: Date | null;
  windowEnd: Date | null;
  filename: string | null;
  athleteHeightCm: number | null;
  athleteMassKg: number | null;
  requestedTrackId: number | null;
  trackId: number | null;
  trackChoice: TrackChoice | null;
  candidateTrackIds: number[];
  fps: number | null;
  frameCount: number | null;
  progress: number;
  metrics: Record<string, unknown> | null;
  phases: { name: string; startS: number; endS: number }[] | null;
  flags: { check: string; observed: number; limit: number; unit: string }[] | null;
  signal: MotionSignalPlot | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** What a new analysis is created with. */
export interface NewMotionAnalysis {
  sport: MotionSport;
  sourceKind: MotionSourceKind;
  videoJobId: string | null;
  cameraId: string | null;
  windowStart: Date | null;
  windowEnd: Date | null;
  filename: string | null;
  athleteHeightCm: number | null;
  athleteMassKg: number | null;
  requestedTrackId: number | null;
}

/** How an analysis ended. */
export interface FinishedMotionAnalysis {
  status: 'DONE' | 'FAILED';
  reason: MotionFailureReason | null;
  reasonDetail: string | null;
  trackId: number | null;
  trackChoice: TrackChoice | null;
  candidateTrackIds: number[];
  fps: number | null;
  frameCount: number | null;
  metrics: Record<string, unknown> | null;
  phases: MotionAnalysisRow['phases'];
  flags: MotionAnalysisRow['flags'];
  signal: MotionSignalPlot | null;
  events: readonly MotionEventRecord[];
}

/** A stored per-event result. */
export interface MotionResultRow extends MotionEventRecord {
  id: string;
  analysisId: string;
}

export interface MotionAnalysisFilter {
  sport?: MotionSport;
  status?: MotionAnalysisStatus;
}

/** Postgres, under RLS (infra/motion-analysis.repository.ts). */
export interface MotionAnalysisStore {
  create(tenantId: string, analysis: NewMotionAnalysis): Promise<MotionAnalysisRow>;
  get(tenantId: string, id: string): Promise<MotionAnalysisRow | null>;
  page(tenantId: string, filter: MotionAnalysisFilter, take: number, after: Cursor | null): Promise<Page<MotionAnalysisRow>>;
  /** QUEUED -> RUNNING; false when it was not QUEUED (another worker has it, or it ended). */
  claim(tenantId: string, id: string): Promise<boolean>;
  setProgress(tenantId: string, id: string, progress: number): Promise<void>;
  /** Ends the analysis and stores its events, in one transaction; null when it had already ended. */
  finish(tenantId: string, id: string, finished: FinishedMotionAnalysis): Promise<MotionAnalysisRow | null>;
  results(tenantId: string, analysisId: string): Promise<MotionResultRow[]>;
  /** Analyses of live sources still open (a restarted server ends them). */
  openLive(tenantId: string | null): Promise<MotionAnalysisRow[]>;
}

/** Thrown by a {@link MotionVideoSource} when the video could not be turned into poses. */
export class MotionSourceFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MotionSourceFailure';
  }
}

/**
 * Videos become pose sequences through ingest's batch video jobs (decode, the worker pool's
 * pose model, tracking; docs/batch-jobs.md). The server implements this port, since analytics
 * may not import ingest (module boundaries).
 */
export interface MotionVideoSource {
  /** Stores an uploaded video in the tenant's media area and queues it as a batch job. */
  submitUpload(tenantId: string, filename: string, content: Uint8Array): Promise<{ videoJobId: string }>;
  /** NOT_FOUND (the same for another tenant's job) when the job does not exist. */
  assertJobExists(tenantId: string, videoJobId: string): Promise<void>;
  /**
   * Waits until the job is done and returns its output's lines (parsed JSON). Throws
   * {@link MotionSourceFailure} when the job failed or its file is unusable.
   */
  poseLines(tenantId: string, videoJobId: string, onProgress: (fraction: number) => void): Promise<unknown[]>;
}

/** Whether a camera of this tenant exists (the live source). */
export type MotionCameraLookup = (tenantId: string, cameraId: string) => Promise<boolean>;

/**
 * The plan's "analyses per month" quota (docs/QUOTAS.md): asked before an analysis is created
 * (throws FORBIDDEN, QUOTA_EXCEEDED, when spent), and told once it exists (one
 * `analyses_created` unit, keyed by the analysis id). The server wires billing-safe's QuotaGate
 * and usage ledger here.
 */
export interface MotionAnalysisQuota {
  assertCanCreate(tenantId: string): Promise<void>;
  recordCreated(tenantId: string, analysisId: string, at: Date): Promise<void>;
}

/** Progress of an analysis (subscription `analysisProgress`). */
export interface AnalysisProgressEvent {
  analysisId: string;
  status: MotionAnalysisStatus;
  progress: number;
  stage: 'QUEUED' | 'DECODING' | 'ANALYSING' | 'LIVE' | 'FINISHED';
  at: Date;
}

/** One new event of a live analysis (subscription `metricUpdated`, webhook `metric.updated`). */
export interface MetricUpdatedEvent {
  analysisId: string;
  sport: MotionSport;
  cameraId: string | null;
  trackId: number;
  event: MotionEventRecord;
  /** Frame time of the event's end. */
  at: Date;
}

/** Where analyses' news goes: pub/sub for subscriptions, webhooks beside it (server/app). */
export interface MotionAnalysisPublisher {
  progress(tenantId: string, event: AnalysisProgressEvent): Promise<void> | void;
  completed(tenantId: string, analysis: MotionAnalysisRow): Promise<void> | void;
  metricUpdated(tenantId: string, event: MetricUpdatedEvent): Promise<void> | void;
}

/** Runs batch analyses off the request path (BullMQ in infra). */
export interface MotionAnalysisQueue {
  enqueue(tenantId: string, analysisId: string): Promise<void>;
}
