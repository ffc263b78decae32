import { systemClock, type Clock } from '@trinetra/shared';
import type { VideoJobStatus } from '../batch/video-job';
import type { ManifestImportSummary, VideoJobProgress, VideoJobRequeueOptions, VideoJobRequeueSummary, VideoJobService } from './video-job.service';

/** One progress message of a batch, as subscribers see it (routed by tenant, filtered by manifest). */
export interface VideoJobProgressEvent {
  tenantId: string;
  manifestId: string;
  kind: 'started' | 'frames' | 'finished';
  jobId: string;
  line: number;
  filename: string;
  /** The job's status after this event. */
  status: VideoJobStatus;
  error: string | null;
  /** Frames processed so far (for `frames`), else null. */
  frames: number | null;
  /** Frames expected when known. */
  totalFrames: number | null;
  /** Jobs of the manifest by status, read after the change. */
  counts: Record<VideoJobStatus, number>;
  /** Jobs of the whole tenant by status (what `resume` follows). */
  tenantCounts: Record<VideoJobStatus, number>;
  /** Epoch ms. */
  at: number;
}

/** Where progress goes (the server publishes it on the Redis pub/sub). */
export interface VideoJobProgressPublisher {
  publish(event: VideoJobProgressEvent): Promise<void> | void;
}

/** Options of {@link VideoJobRunner}. */
export interface VideoJobRunnerOptions {
  /**
   * At most one `frames` event per job per this many ms. Default 500: smooth enough for a
   * progress bar; lower costs two count queries and one publish per event.
   */
  framesIntervalMs?: number;
  clock?: Clock;
  /** Background faults (a run that threw, a publish that failed); they never stop the runner. */
  onError?(error: unknown, tenantId: string): void;
}

interface TenantRun {
  /** Set when work arrived during the run: one more pass follows. */
  again: boolean;
  done: Promise<void>;
}

/**
 * Runs batch video jobs in the background of a server process: an import or a resume starts
 * (or extends) the tenant's run and returns at once; at most one run per tenant per process,
 * and the service's slots bound the videos in flight across tenants. Progress, with counts
 * read after each change, is published in order per tenant.
 */
export class VideoJobRunner {
  private readonly runs = new Map<string, TenantRun>();
  private readonly publishing = new Map<string, Promise<void>>();
  private readonly lastFrames = new Map<string, number>();
  private readonly countsCache = new Map<string, { counts: Record<VideoJobStatus, number>; tenantCounts: Record<VideoJobStatus, number> }>();
  private readonly controller = new AbortController();
  private readonly clock: Clock;
  private readonly framesIntervalMs: number;

  constructor(
    readonly service: VideoJobService,
    private readonly publisher: VideoJobProgressPublisher,
    private readonly options: VideoJobRunnerOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.framesIntervalMs = options.framesIntervalMs ?? 500;
  }

  /** Imports a manifest and starts processing it in the background. */
  async importManifest(tenantId: string, name: string, bytes: Uint8Array): Promise<ManifestImportSummary> {
    const summary = await this.service.importManifest(tenantId, name, bytes);
    if (summary.queued + summary.duplicates > 0) this.start(tenantId);
    return summary;
  }

  /** Requeues failed and orphaned jobs and processes everything queued in the background. */
  async resume(tenantId: string, options: VideoJobRequeueOptions = {}): Promise<VideoJobRequeueSummary> {
    const requeued = await this.service.requeue(tenantId, options);
    this.start(tenantId);
    return requeued;
  }

  /** Starts the tenant's background run, or asks the running one for another pass. */
  start(tenantId: string): void {
    if (this.controller.signal.aborted) return;
    const running = this.runs.get(tenantId);
    if (running) {
      running.again = true;
      return;
    }
    const run: TenantRun = { again: false, done: Promise.resolve() };
    run.done = (async () => {
      do {
        run.again = false;
        await this.service
          .run(tenantId, { signal: this.controller.signal, onProgress: (event) => this.progress(tenantId, event) })
          .catch((error: unknown) => this.options.onError?.(error, tenantId));
      } while (run.again && !this.controller.signal.aborted);
      await this.publishing.get(tenantId);
    })().finally(() => {
      this.runs.delete(tenantId);
      this.publishing.delete(tenantId);
    });
    this.runs.set(tenantId, run);
  }

  /** Resolves when no run is active (tests, graceful shutdown). */
  async idle(): Promise<void> {
    while (this.runs.size > 0) await Promise.all([...this.runs.values()].map((r) => r.done));
  }

  /** Stops claiming, cancels the videos in flight (they become `failed`; `resume` retries them) and waits. */
  async stop(): Promise<void> {
    this.controller.abort();
    await this.idle();
  }

  private progress(tenantId: string, event: VideoJobProgress): void {
    const { job } = event;
    const now = this.clock.now();
    if (event.type === 'frames') {
      if (now - (this.lastFrames.get(job.id) ?? -Infinity) < this.framesIntervalMs) return;
      this.lastFrames.set(job.id, now);
    } else if (event.type === 'finished') {
      this.lastFrames.delete(job.id);
    }
    const previous = this.publishing.get(tenantId) ?? Promise.resolve();
    const next = previous.then(async () => {
      const key = `${tenantId}:${job.manifestId}`;
      let counts = event.type === 'frames' ? this.countsCache.get(key) : undefined;
      if (!counts) {
        const [manifest, tenant] = await Promise.all([this.service.counts(tenantId, job.manifestId), this.service.counts(tenantId)]);
        counts = { counts: manifest, tenantCounts: tenant };
        if (manifest.queued + manifest.processing === 0) this.countsCache.delete(key);
        else this.countsCache.set(key, counts);
      }
      await this.publisher.publish({
        tenantId,
        manifestId: job.manifestId,
        kind: event.type,
        jobId: job.id,
        line: job.line,
        filename: job.filename,
        status: event.type === 'finished' ? event.status : 'processing',
        error: event.type === 'finished' ? event.error : null,
        frames: event.type === 'frames' ? event.frames : null,
        totalFrames: event.type === 'frames' ? event.total : null,
        ...counts,
        at: now,
      });
    });
    this.publishing.set(
      tenantId,
      next.catch((error: unknown) => this.options.onError?.(error, tenantId)),
    );
  }
}
