import type { Cursor, Page } from '@trinetra/shared';
import type { ManifestProblem } from '../batch/manifest-import';
import type { VideoJobStatus } from '../batch/video-job';

/** One persisted batch video job. */
export interface VideoJobRecord {
  id: string;
  tenantId: string;
  manifestId: string;
  line: number;
  localPath: string;
  filename: string;
  label: string | null;
  remoteUrl: string | null;
  metadata: Record<string, string>;
  sha1: string | null;
  /** The job whose output this one reuses (same SHA-1). */
  duplicateOfId: string | null;
  status: VideoJobStatus;
  attempts: number;
  error: string | null;
  queuedAt: Date;
  startedAt: Date | null;
  heartbeatAt: Date | null;
  finishedAt: Date | null;
  frameCount: number | null;
  quality: number | null;
  outputPath: string | null;
  outputSha256: string | null;
  /** Warnings about the result (`VIDEO_JOB_WARNINGS`), e.g. nobody was detected. */
  warnings: string[];
  createdAt: Date;
}

/** A job to create with its manifest; `id` is chosen by the caller so duplicates can point at it. */
export type NewVideoJob = Pick<VideoJobRecord, 'id' | 'line' | 'localPath' | 'filename' | 'label' | 'remoteUrl' | 'metadata' | 'sha1' | 'duplicateOfId'> & {
  status: 'queued' | 'missing_file';
  error: string | null;
};

export interface NewVideoManifest {
  id: string;
  name: string;
  encoding: string;
  delimiter: string;
  rowCount: number;
  malformed: ManifestProblem[];
}

/** Which jobs a listing returns; null fields do not filter. */
export interface VideoJobFilter {
  status: VideoJobStatus | null;
  manifestId: string | null;
}

/** A runner's hold on a processing job: its id and the attempt number it claimed. */
export interface VideoJobClaim {
  id: string;
  attempt: number;
}

/** Outputs of finished work to record. */
export interface VideoJobCompletion {
  frameCount: number;
  quality: number;
  outputPath: string;
  outputSha256: string;
  warnings?: string[];
}

/**
 * Persistence of batch jobs, always for one tenant. Every status change is a compare-and-set
 * on the expected old status, so two runners can never both start, or both finish, one job.
 */
export interface VideoJobStore {
  createManifest(tenantId: string, manifest: NewVideoManifest, jobs: readonly NewVideoJob[]): Promise<void>;
  /** The earliest job of the tenant with each SHA-1 that is not itself a duplicate. */
  findOriginalsBySha1(tenantId: string, sha1s: readonly string[]): Promise<Map<string, VideoJobRecord>>;
  findById(tenantId: string, id: string): Promise<VideoJobRecord | null>;
  /**
   * Claims the oldest queued job that is not a duplicate: queued -> processing (attempts + 1).
   * The returned `attempts` is the claim's fencing token: only the runner holding it can finish the job.
   */
  claimNext(tenantId: string, now: Date): Promise<VideoJobRecord | null>;
  heartbeat(tenantId: string, claims: readonly VideoJobClaim[], now: Date): Promise<void>;
  /**
   * processing -> done for the holder of claim `attempt`; false when the job is no longer that
   * claim's (finished, or requeued and claimed again by another runner).
   */
  complete(tenantId: string, id: string, attempt: number, result: VideoJobCompletion, now: Date): Promise<boolean>;
  /** processing -> failed, for the holder of claim `attempt`. */
  fail(tenantId: string, id: string, attempt: number, error: string, now: Date): Promise<boolean>;
  /** queued | processing | failed -> missing_file. */
  markMissing(tenantId: string, id: string, now: Date): Promise<boolean>;
  /** Queued duplicates, with the status and outputs of the job they duplicate. */
  queuedDuplicates(tenantId: string): Promise<Array<{ job: VideoJobRecord; original: VideoJobRecord | null }>>;
  /** queued -> done with another job's outputs (a duplicate), or -> failed. */
  settleDuplicate(tenantId: string, id: string, outcome: { done: VideoJobCompletion } | { failed: string }, now: Date): Promise<boolean>;
  /** failed -> queued, and processing -> queued when its heartbeat is older than `staleBefore` (its runner died). */
  requeue(tenantId: string, staleBefore: Date, now: Date): Promise<{ failed: number; orphaned: number }>;
  /** Jobs by status, of one manifest or (null) of the whole tenant. */
  countByStatus(tenantId: string, manifestId?: string | null): Promise<Record<VideoJobStatus, number>>;
  page(tenantId: string, take: number, after: Cursor | null, filter: VideoJobFilter): Promise<Page<VideoJobRecord>>;
}
