import type { Redis } from 'ioredis';
import type { FrameInput, InferenceBackend } from '../inference/inference-backend';
import { frameBatchJobSchema, REPORTS_FIELD, type FrameBatchJob, type FrameReport } from './frame-batch.contract';

/** Results stream entries kept at most (approximately); the control plane trims what it read. */
const RESULTS_MAXLEN = 10_000;

/** Why a job cannot be processed at all (malformed payload); BullMQ fails it without retry. */
export class InvalidFrameBatchError extends Error {
  override readonly name = 'InvalidFrameBatchError';
}

/**
 * Runs one frame batch job: fetch bytes, skip what is past its deadline, infer the rest as one
 * micro-batch, append one report per frame to the control plane's results stream.
 */
export class FrameBatchProcessor {
  constructor(
    private readonly redis: Redis,
    private readonly backend: InferenceBackend,
    private readonly now: () => number = Date.now,
  ) {}

  /** @returns the number of frames reported. */
  async process(data: unknown): Promise<number> {
    const parsed = frameBatchJobSchema.safeParse(data);
    if (!parsed.success) throw new InvalidFrameBatchError(`frame batch job does not match the contract: ${parsed.error.message}`);
    const job: FrameBatchJob = parsed.data;
    const reports: FrameReport[] = new Array(job.frames.length);
    const pipeline = this.redis.pipeline();
    for (const ref of job.frames) pipeline.getBuffer(ref.bytesKey);
    const fetched = (await pipeline.exec()) ?? [];

    const toRun: FrameInput[] = [];
    const runIndex: number[] = [];
    const startedAt = this.now();
    job.frames.forEach((ref, i) => {
      const base = { frameId: ref.frameId, cameraId: ref.cameraId, seq: ref.seq };
      const [err, bytes] = fetched[i] ?? [null, null];
      if (ref.deadline !== null && startedAt > ref.deadline) reports[i] = { ...base, status: 'deadline_missed' };
      else if (err || !Buffer.isBuffer(bytes)) reports[i] = { ...base, status: 'missing' };
      else {
        toRun.push({ frameId: ref.frameId, cameraId: ref.cameraId, seq: ref.seq, image: bytes, perception: ref.perception, tiled: ref.tiled, wantEmbeddings: ref.faces });
        runIndex.push(i);
      }
    });

    if (toRun.length > 0) {
      const results = await this.backend.infer(toRun).catch((err: unknown) => {
        // Answered, not thrown: a failed BullMQ job would leave the control plane waiting for
        // these frames' deadlines; a report lets it retry or drop them now.
        const message = `inference failed: ${err instanceof Error ? err.message : String(err)}`;
        for (const i of runIndex) {
          const ref = job.frames[i]!;
          reports[i] = { frameId: ref.frameId, cameraId: ref.cameraId, seq: ref.seq, status: 'batch_failed', message };
        }
        return null;
      });
      results?.forEach((result, k) => {
        const i = runIndex[k] as number;
        const ref = job.frames[i]!;
        const base = { frameId: ref.frameId, cameraId: ref.cameraId, seq: ref.seq };
        reports[i] = result.ok
          ? {
              ...base,
              status: 'ok',
              startedAt,
              inferenceMs: result.inferenceMs,
              detections: {
                width: result.width,
                height: result.height,
                persons: result.persons,
                backend: result.backend ?? this.backend.name,
                provenance: result.provenance,
              },
            }
          : { ...base, status: 'decode_failed', message: result.message };
      });
    }

    const keys = job.frames.map((f) => f.bytesKey);
    await this.redis
      .multi()
      .xadd(job.resultsKey, 'MAXLEN', '~', RESULTS_MAXLEN, '*', REPORTS_FIELD, JSON.stringify(reports))
      // A control plane that died leaves its stream unread: let Redis forget it after 10 minutes.
      .pexpire(job.resultsKey, 600_000)
      .del(...keys)
      .exec();
    return reports.length;
  }
}
