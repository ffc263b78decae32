import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { NotFoundError, systemClock, type Clock, type Cursor, type Page } from '@trinetra/shared';
import { parseManifest, planManifest, type ManifestProblem } from '../batch/manifest-import';
import type { TenantFileAccess } from '../batch/node-file-access';
import type { VideoJobStatus } from '../batch/video-job';
import { JobSlots } from './job-slots';
import { sweepStaleOutputs } from './stale-output.sweeper';
import type { NewVideoJob, VideoJobFilter, VideoJobRecord, VideoJobStore } from './video-job.store';
import type { VideoProcessor } from './video-processor';

/** Options of {@link VideoJobService}. */
export interface VideoJobServiceOptions {
  /** Root of the outputs; each tenant gets `<outputDir>/<tenantId>/<jobId>.jsonl.gz`. */
  outputDir: string;
  /**
   * Videos processed at once by this service, across every tenant's run. Default 2 (one per
   * core here); raise it to the worker pool's capacity when the pipeline processor is wired,
   * since decoding then waits on inference.
   */
  concurrency?: number;
  clock?: Clock;
  /** How often a runner renews its jobs' heartbeat, ms. Default 10000. */
  heartbeatMs?: number;
  /**
   * A `processing` job whose heartbeat is older than this belonged to a runner that died, and
   * `resume` requeues it. Default 30000 (three missed heartbeats): lower resumes sooner after a
   * crash but may requeue a job whose runner is merely slow, which then does the work twice
   * (never records it twice: the claim's attempt number fences the slow runner out).
   * `resume` can override it per call.
   */
  orphanedAfterMs?: number;
}

/** Why one manifest row needs attention. */
export type ManifestRowProblemKind = 'malformed' | 'missing_file' | 'duplicate';

/** One row of an import that was skipped (malformed), cannot run (missing_file) or reuses another job (duplicate). */
export interface ManifestRowProblem {
  /** 1-based line in the CSV (the header is line 1). */
  line: number;
  kind: ManifestRowProblemKind;
  message: string;
  /** The job created for the row; null for a malformed row (none is created). */
  jobId: string | null;
  /** For a duplicate: the job whose output it reuses. */
  duplicateOfJobId: string | null;
}

/** What an import did. */
export interface ManifestImportSummary {
  manifestId: string;
  name: string;
  encoding: string;
  delimiter: string;
  /** Jobs created (queued + duplicates + missing). */
  jobs: number;
  queued: number;
  /** Rows whose video (by SHA-1) was already in this or an earlier manifest: they reuse its output. */
  duplicates: number;
  missing: number;
  malformed: ManifestProblem[];
  /** Every malformed, missing and duplicate row, by line. */
  problems: ManifestRowProblem[];
}

/** What `requeue` put back in the queue. */
export interface VideoJobRequeueSummary {
  failed: number;
  /** `processing` jobs whose heartbeat was older than the orphan threshold. */
  orphaned: number;
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

/** Options of `requeue` / `resume`. */
export interface VideoJobRequeueOptions {
  /** Overrides {@link VideoJobServiceOptions.orphanedAfterMs} for this call. */
  orphanedAfterMs?: number;
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
  private readonly slots: JobSlots;
  /** Jobs this process is processing now (their temporary outputs are never swept). */
  private readonly active = new Map<string, { tenantId: string; attempt: number }>();

  constructor(
    private readonly store: VideoJobStore,
    /** Which files each tenant may read (its media roots); rows outside them are `missing_file`. */
    private readonly files: TenantFileAccess,
    private readonly processor: VideoProcessor,
    private readonly options: VideoJobServiceOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.concurrency = Math.max(1, Math.floor(options.concurrency ?? 2));
    this.heartbeatMs = options.heartbeatMs ?? 10_000;
    this.orphanedAfterMs = options.orphanedAfterMs ?? 30_000;
    this.slots = new JobSlots(this.concurrency);
  }

  /**
   * Imports a manifest CSV. Malformed rows are reported and skipped; missing files become
   * `missing_file` jobs; a video seen before (same SHA-1) becomes a duplicate of the first job.
   * @throws IngestError MANIFEST_INVALID when nothing can be imported (no header / no `local_path`).
   */
  async importManifest(tenantId: string, name: string, bytes: Uint8Array): Promise<ManifestImportSummary> {
    const parsed = parseManifest(bytes);
    const planned = await planManifest(parsed.entries, this.files(tenantId));
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
    const lineOf = new Map(jobs.map((j) => [j.id, j.line]));
    const problems: ManifestRowProblem[] = [
      ...parsed.malformed.map((p) => ({ line: p.line, kind: 'malformed' as const, message: p.message, jobId: null, duplicateOfJobId: null })),
      ...jobs.flatMap((j): ManifestRowProblem[] => {
        if (j.status === 'missing_file') return [{ line: j.line, kind: 'missing_file', message: `file not found or outside this tenant's media folders: ${j.localPath}`, jobId: j.id, duplicateOfJobId: null }];
        if (j.duplicateOfId === null) return [];
        const line = lineOf.get(j.duplicateOfId);
        const of = line !== undefined ? `line ${line}` : `job ${j.duplicateOfId} of an earlier manifest`;
        return [{ line: j.line, kind: 'duplicate', message: `same video (SHA-1) as ${of}: its output is reused`, jobId: j.id, duplicateOfJobId: j.duplicateOfId }];
      }),
    ].sort((x, y) => x.line - y.line);
    return {
      manifestId,
      name,
      encoding: parsed.encoding,
      delimiter: parsed.delimiter,
      jobs: jobs.length,
      queued: jobs.length - duplicates - missing,
      duplicates,
      missing,
      malformed: parsed.malformed,
      problems,
    };
  }

  /**
   * Puts failed jobs, and `processing` jobs whose heartbeat is older than the orphan threshold
   * (their runner died), back in the queue; removes the temporary outputs the dead runners left.
   */
  async requeue(tenantId: string, options: VideoJobRequeueOptions = {}): Promise<VideoJobRequeueSummary> {
    const now = this.clock.now();
    const orphanedAfterMs = options.orphanedAfterMs ?? this.orphanedAfterMs;
    const requeued = await this.store.requeue(tenantId, new Date(now - orphanedAfterMs), new Date(now));
    await sweepStaleOutputs(join(this.options.outputDir, tenantId), { now, olderThanMs: orphanedAfterMs, activeJobIds: new Set(this.active.keys()) });
    return requeued;
  }

  /** Requeues failed jobs and those orphaned by a dead runner, then runs. */
  async resume(tenantId: string, options: VideoJobRunOptions & VideoJobRequeueOptions = {}): Promise<VideoJobRunSummary & { requeued: VideoJobRequeueSummary }> {
    const requeued = await this.requeue(tenantId, options);
    return { ...(await this.run(tenantId, options)), requeued };
  }

  /**
   * Processes queued jobs until none is left (or the signal aborts). Every run of this service,
   * whatever the tenant, shares `concurrency` slots.
   */
  async run(tenantId: string, options: VideoJobRunOptions = {}): Promise<VideoJobRunSummary> {
    const summary: VideoJobRunSummary = { done: 0, failed: 0, missing: 0, reused: 0, cancelled: false };
    const outputDir = join(this.options.outputDir, tenantId);
    await mkdir(outputDir, { recursive: true });
    summary.reused += await this.settleDuplicates(tenantId, options);
    const mine = new Set<string>();
    const heartbeat = setInterval(() => {
      const claims = [...mine].flatMap((id) => {
        const held = this.active.get(id);
        return held ? [{ id, attempt: held.attempt }] : [];
      });
      void this.store.heartbeat(tenantId, claims, new Date(this.clock.now())).catch(() => undefined);
    }, this.heartbeatMs);
    heartbeat.unref();
    const worker = async (): Promise<void> => {
      while (!options.signal?.aborted) {
        const release = await this.slots.acquire();
        try {
          if (options.signal?.aborted) return;
          const job = await this.store.claimNext(tenantId, new Date(this.clock.now()));
          if (!job) return;
          mine.add(job.id);
          this.active.set(job.id, { tenantId, attempt: job.attempts });
          try {
            const status = await this.processOne(tenantId, job, outputDir, options);
            if (status === 'done') summary.done += 1;
            else if (status === 'missing_file') summary.missing += 1;
            else summary.failed += 1;
          } finally {
            mine.delete(job.id);
            this.active.delete(job.id);
          }
        } finally {
          release();
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

  /** A page of the tenant's jobs in creation order, optionally of one status and/or manifest. */
  list(tenantId: string, take: number, after: Cursor | null, filter: Partial<VideoJobFilter> = {}): Promise<Page<VideoJobRecord>> {
    return this.store.page(tenantId, take, after, { status: filter.status ?? null, manifestId: filter.manifestId ?? null });
  }

  /** Jobs by status, of one manifest or (no id) of the whole tenant. */
  counts(tenantId: string, manifestId: string | null = null): Promise<Record<VideoJobStatus, number>> {
    return this.store.countByStatus(tenantId, manifestId);
  }

  /** @throws NotFoundError when the tenant has no such job (another tenant's job included). */
  async getOrThrow(tenantId: string, id: string): Promise<VideoJobRecord> {
    const job = await this.store.findById(tenantId, id);
    if (!job) throw new NotFoundError('VideoJob', id);
    return job;
  }

  private async processOne(tenantId: string, job: VideoJobRecord, outputDir: string, options: VideoJobRunOptions): Promise<VideoJobStatus> {
    const at = (): Date => new Date(this.clock.now());
    options.onProgress?.({ type: 'started', job });
    const finish = (status: VideoJobStatus, error: string | null): VideoJobStatus => {
      options.onProgress?.({ type: 'finished', job, status, error });
      return status;
    };
    // Checked again at run time: roots change, files move. The processor opens the real path.
    const realPath = await this.files(tenantId).readableFile(job.localPath);
    if (realPath === null) {
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
        localPath: realPath,
        outputPath: join(outputDir, `${job.id}.jsonl.gz`),
        signal: controller.signal,
        onProgress: (frames, total) => options.onProgress?.({ type: 'frames', job, frames, total }),
        ...(job.metadata['perception'] === 'CLOSE_UP' || job.metadata['perception'] === 'SCENE' ? { perception: job.metadata['perception'] } : {}),
      });
      const recorded = await this.store.complete(tenantId, job.id, job.attempts, result, at());
      return recorded ? finish('done', null) : finish('failed', 'the job was taken over by another runner');
    } catch (error) {
      const message = controller.signal.aborted ? 'cancelled' : error instanceof Error ? error.message : String(error);
      await this.store.fail(tenantId, job.id, job.attempts, message, at());
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
        const done = { frameCount: original.frameCount ?? 0, quality: original.quality ?? 0, outputPath: original.outputPath, outputSha256: original.outputSha256, warnings: original.warnings };
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
