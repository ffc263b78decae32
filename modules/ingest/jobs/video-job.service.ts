import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { systemClock, type Clock, type Cursor, type Page } from '@trinetra/shared';
import { sweepTemporaryOutputs } from '../batch/jsonl-gz.writer';
import { parseManifest, planManifest, type ManifestFileAccess, type ManifestProblem } from '../batch/manifest-import';
import type { VideoJobStatus } from '../batch/video-job';
import type { NewVideoJob, VideoJobRecord, VideoJobStore } from './video-job.store';
import type { VideoProcessor } from './video-processor';

/** Options of {@link VideoJobService}. */
export interface VideoJobServiceOptions {
  /** Root of the outputs; each tenant gets `<outputDir>/<tenantId>/<jobId>.jsonl.gz`. */
  outputDir: string;
  /**
   * Videos processed at once. Default 2 (one per core here); raise it to the worker pool's
   * capacity when the pipeline processor is wired, since decoding then waits on inference.
   */
  concurrency?: number;
  clock?: Clock;
  /** How often a runner renews its jobs' heartbeat, ms. Default 10000. */
  heartbeatMs?: number;
  /**
   * A `processing` job whose heartbeat is older than this belonged to a runner that died, and
   * `resume` requeues it. Default 30000 (three missed heartbeats): lower resumes sooner after a
   * crash but risks requeueing a job whose runner is merely slow to write.
   */
  orphanedAfterMs?: number;
}

/** What an import did. */
export interface ManifestImportSummary {
  manifestId: string;
  encoding: string;
  delimiter: string;
  /** Jobs created (queued + duplicates + missing). */
  jobs: number;
  queued: number;
  /** Rows whose video (by SHA-1) was already in this or an earlier manifest: they reuse its output. */
  duplicates: number;
  missing: number;
  malformed: ManifestProblem[];
}

/** Progress of a run, for progress bars and subscriptions. */
export type VideoJobProgress =
  | { type: 'started'; job: VideoJobRecord }
  | { type: 'frames'; job: VideoJobRecord; frames: number; total: number | null }
  | { type: 'finished'; job: VideoJobRecord; status: VideoJobStatus; error: string | null };

/** What a run did. */
export interface VideoJobRunSummary {
  done: number;
  failed: number;
  missing: number;
  /** Duplicates settled with their original's output. */
  reused: number;
  cancelled: boolean;
}

export interface VideoJobRunOptions {
  signal?: AbortSignal;
  onProgress?(event: VideoJobProgress): void;
}

/**
 * Batch video jobs of one tenant: imports manifests (parse, validate paths, SHA-1 duplicates,
 * within the manifest and against earlier imports), runs queued jobs with bounded parallelism
 * through a {@link VideoProcessor}, settles duplicates from their original's output, and
 * resumes after a crash (failed and orphaned jobs are queued again; `done` is final, so no
 * video is processed twice).
 */
export class VideoJobService {
  private readonly clock: Clock;
  private readonly concurrency: number;
  private readonly heartbeatMs: number;
  private readonly orphanedAfterMs: number;

  constructor(
    private readonly store: VideoJobStore,
    private readonly files: ManifestFileAccess,
    private readonly processor: VideoProcessor,
    private readonly options: VideoJobServiceOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.concurrency = Math.max(1, Math.floor(options.concurrency ?? 2));
    this.heartbeatMs = options.heartbeatMs ?? 10_000;
    this.orphanedAfterMs = options.orphanedAfterMs ?? 30_000;
  }

  /**
   * Imports a manifest CSV. Malformed rows are reported and skipped; missing files become
   * `missing_file` jobs; a video seen before (same SHA-1) becomes a duplicate of the first job.
   * @throws IngestError MANIFEST_INVALID when nothing can be imported (no header / no `local_path`).
   */
  async importManifest(tenantId: string, name: string, bytes: Uint8Array): Promise<ManifestImportSummary> {
    const parsed = parseManifest(bytes);
    const planned = await planManifest(parsed.entries, this.files);
    const earlier = await this.store.findOriginalsBySha1(tenantId, [...new Set(planned.flatMap((p) => (p.sha1 ? [p.sha1] : [])))]);
    const idOfLine = new Map<number, string>();
    const jobs: NewVideoJob[] = [];
    for (const p of planned) {
      const id = randomUUID();
      idOfLine.set(p.line, id);
      let duplicateOfId: string | null = null;
      if (p.sha1) duplicateOfId = earlier.get(p.sha1)?.id ?? (p.duplicateOf !== null ? (idOfLine.get(p.duplicateOf) ?? null) : null);
      const missing = p.status === 'missing_file';
      jobs.push({
        id,
        line: p.line,
        localPath: p.localPath,
        filename: p.filename,
        label: p.label,
        remoteUrl: p.remoteUrl,
        metadata: p.metadata,
        sha1: p.sha1,
        duplicateOfId,
        status: missing ? 'missing_file' : 'queued',
        error: missing ? 'file not found' : null,
      });
    }
    const manifestId = randomUUID();
    await this.store.createManifest(
      tenantId,
      { id: manifestId, name, encoding: parsed.encoding, delimiter: parsed.delimiter, rowCount: parsed.entries.length + parsed.malformed.length, malformed: parsed.malformed },
      jobs,
    );
    const duplicates = jobs.filter((j) => j.duplicateOfId !== null).length;
    const missing = jobs.filter((j) => j.status === 'missing_file').length;
    return { manifestId, encoding: parsed.encoding, delimiter: parsed.delimiter, jobs: jobs.length, queued: jobs.length - duplicates - missing, duplicates, missing, malformed: parsed.malformed };
  }

  /** Requeues failed jobs and those orphaned by a dead runner, then runs. */
  async resume(tenantId: string, options: VideoJobRunOptions = {}): Promise<VideoJobRunSummary & { requeued: { failed: number; orphaned: number } }> {
    const now = this.clock.now();
    const requeued = await this.store.requeue(tenantId, new Date(now - this.orphanedAfterMs), new Date(now));
    return { ...(await this.run(tenantId, options)), requeued };
  }

  /** Processes queued jobs until none is left (or the signal aborts), `concurrency` at a time. */
  async run(tenantId: string, options: VideoJobRunOptions = {}): Promise<VideoJobRunSummary> {
    const summary: VideoJobRunSummary = { done: 0, failed: 0, missing: 0, reused: 0, cancelled: false };
    const outputDir = join(this.options.outputDir, tenantId);
    await mkdir(outputDir, { recursive: true });
    await sweepTemporaryOutputs(outputDir);
    summary.reused += await this.settleDuplicates(tenantId, options);
    const active = new Set<string>();
    const heartbeat = setInterval(() => {
      void this.store.heartbeat(tenantId, [...active], new Date(this.clock.now())).catch(() => undefined);
    }, this.heartbeatMs);
    heartbeat.unref();
    const worker = async (): Promise<void> => {
      while (!options.signal?.aborted) {
        const job = await this.store.claimNext(tenantId, new Date(this.clock.now()));
        if (!job) return;
        active.add(job.id);
        try {
          const status = await this.processOne(tenantId, job, outputDir, options);
          if (status === 'done') summary.done += 1;
          else if (status === 'missing_file') summary.missing += 1;
          else summary.failed += 1;
        } finally {
          active.delete(job.id);
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: this.concurrency }, worker));
    } finally {
      clearInterval(heartbeat);
    }
    summary.cancelled = options.signal?.aborted ?? false;
    summary.reused += await this.settleDuplicates(tenantId, options);
    return summary;
  }

  list(tenantId: string, take: number, after: Cursor | null, status: VideoJobStatus | null): Promise<Page<VideoJobRecord>> {
    return this.store.page(tenantId, take, after, status);
  }

  counts(tenantId: string): Promise<Record<VideoJobStatus, number>> {
    return this.store.countByStatus(tenantId);
  }

  private async processOne(tenantId: string, job: VideoJobRecord, outputDir: string, options: VideoJobRunOptions): Promise<VideoJobStatus> {
    const at = (): Date => new Date(this.clock.now());
    options.onProgress?.({ type: 'started', job });
    const finish = (status: VideoJobStatus, error: string | null): VideoJobStatus => {
      options.onProgress?.({ type: 'finished', job, status, error });
      return status;
    };
    if (!(await this.files.isFile(job.localPath))) {
      await this.store.markMissing(tenantId, job.id, at());
      return finish('missing_file', 'file not found');
    }
    const controller = new AbortController();
    const onAbort = (): void => controller.abort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const result = await this.processor.process({
        jobId: job.id,
        tenantId,
        localPath: job.localPath,
        outputPath: join(outputDir, `${job.id}.jsonl.gz`),
        signal: controller.signal,
        onProgress: (frames, total) => options.onProgress?.({ type: 'frames', job, frames, total }),
      });
      const recorded = await this.store.complete(tenantId, job.id, result, at());
      return recorded ? finish('done', null) : finish('failed', 'the job was taken over by another runner');
    } catch (error) {
      const message = controller.signal.aborted ? 'cancelled' : error instanceof Error ? error.message : String(error);
      await this.store.fail(tenantId, job.id, message, at());
      return finish('failed', message);
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  private async settleDuplicates(tenantId: string, options: VideoJobRunOptions): Promise<number> {
    let reused = 0;
    for (const { job, original } of await this.store.queuedDuplicates(tenantId)) {
      const now = new Date(this.clock.now());
      if (original?.status === 'done' && original.outputPath && original.outputSha256) {
        const done = { frameCount: original.frameCount ?? 0, quality: original.quality ?? 0, outputPath: original.outputPath, outputSha256: original.outputSha256 };
        if (await this.store.settleDuplicate(tenantId, job.id, { done }, now)) {
          reused += 1;
          options.onProgress?.({ type: 'finished', job, status: 'done', error: null });
        }
      } else if (!original || original.status === 'failed' || original.status === 'missing_file') {
        const error = original ? `duplicate of job ${original.id} (line ${original.line}), which is ${original.status}` : 'the job it duplicates was deleted';
        if (await this.store.settleDuplicate(tenantId, job.id, { failed: error }, now)) options.onProgress?.({ type: 'finished', job, status: 'failed', error });
      }
    }
    return reused;
  }
}
