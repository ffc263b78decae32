import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { z } from 'zod';
import type { MotionAnalysisQueue } from '../application/motion-ports';

const JOB_NAME = 'motion-analysis';
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
 * Batch analyses as BullMQ jobs, off the request path: persisted in Redis (a restart loses
 * none), one job id per analysis (enqueueing twice runs once), and the worker's claim
 * (QUEUED -> RUNNING) makes a redelivered job a no-op.
 */
export class BullMqMotionQueue implements MotionAnalysisQueue {
  private queueConnection: Redis | null = null;
  private queue: Queue | null = null;
  private worker: Worker | null = null;
  private workerConnection: Redis | null = null;

  constructor(private readonly options: BullMqMotionQueueOptions) {}

  private producer(): Queue {
    if (!this.queue) {
      this.queueConnection = new Redis(this.options.redisUrl, { maxRetriesPerRequest: 3 });
      this.queueConnection.on('error', (error) => this.options.onError?.(error));
      this.queue = new Queue(this.options.queueName, { connection: this.queueConnection, prefix: this.options.bullPrefix ?? 'bull' });
    }
    return this.queue;
  }

  async enqueue(tenantId: string, analysisId: string): Promise<void> {
    await this.producer().add(
      JOB_NAME,
      { tenantId, analysisId },
      { jobId: `motion-${analysisId}`, attempts: 3, backoff: { type: 'exponential', delay: 2_000 }, removeOnComplete: { age: 3600, count: 1000 }, removeOnFail: { age: 7 * 24 * 3600 } },
    );
  }

  start(handle: (tenantId: string, analysisId: string) => Promise<void>): void {
    if (this.worker) return;
    this.workerConnection = new Redis(this.options.redisUrl, { maxRetriesPerRequest: null });
    this.workerConnection.on('error', (error) => this.options.onError?.(error));
    this.worker = new Worker(
      this.options.queueName,
      async (job: Job) => {
        const parsed = jobSchema.safeParse(job.data);
        if (!parsed.success) {
          this.options.onError?.(new Error(`malformed motion analysis job ${job.id}: ${parsed.error.message}`));
          return;
        }
        await handle(parsed.data.tenantId, parsed.data.analysisId);
      },
      // Waiting on a video job can take minutes: renew the lock rather than let BullMQ call it stalled.
      { connection: this.workerConnection, prefix: this.options.bullPrefix ?? 'bull', concurrency: this.options.concurrency ?? 2, lockDuration: 60_000 },
    );
    this.worker.on('failed', (_job, error) => this.options.onError?.(error));
    this.worker.on('error', (error) => this.options.onError?.(error));
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue?.close();
    await Promise.allSettled([this.queueConnection?.quit(), this.workerConnection?.quit()]);
  }
}
