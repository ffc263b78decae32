import { ValidatedJobQueue } from '@trinetra/shared';
import { z } from 'zod';
import type { MotionAnalysisQueue } from '../application/motion-ports';

const jobSchema = z.object({ tenantId: z.string().uuid(), analysisId: z.string().uuid() });

export interface BullMqMotionQueueOptions {
  redisUrl: string;
  queueName: string;
  bullPrefix?: string;
  /**
   * Analyses run at once per process; default 2. Each mostly waits on its video job (decoding
   * and the pose model run in the batch pipeline, bounded there), then measures in ~ms.
   */
  concurrency?: number;
  onError?(error: unknown): void;
}

/**
 * Batch analyses as BullMQ jobs, off the request path (modules/shared/infra/validated-job-queue.ts):
 * one job id per analysis (enqueueing twice runs once), and the worker's claim
 * (QUEUED -> RUNNING) makes a redelivered job a no-op.
 */
export class BullMqMotionQueue implements MotionAnalysisQueue {
  private readonly jobs: ValidatedJobQueue<z.infer<typeof jobSchema>>;

  constructor(options: BullMqMotionQueueOptions) {
    this.jobs = new ValidatedJobQueue({
      ...options,
      jobName: 'motion-analysis',
      schema: jobSchema,
      concurrency: options.concurrency ?? 2,
      // Waiting on a video job can take minutes: renew the lock rather than let BullMQ call it stalled.
      lockDurationMs: 60_000,
    });
  }

  enqueue(tenantId: string, analysisId: string): Promise<void> {
    return this.jobs.add(
      { tenantId, analysisId },
      { jobId: `motion-${analysisId}`, attempts: 3, backoff: { type: 'exponential', delay: 2_000 }, removeOnComplete: { age: 3600, count: 1000 }, removeOnFail: { age: 7 * 24 * 3600 } },
    );
  }

  start(handle: (tenantId: string, analysisId: string) => Promise<void>): void {
    this.jobs.start((job) => handle(job.tenantId, job.analysisId));
  }

  close(): Promise<void> {
    return this.jobs.close();
  }
}
