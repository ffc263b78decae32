import { Queue, Worker, type Job, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import type { z } from 'zod';

/** Options of {@link ValidatedJobQueue}. */
export interface ValidatedJobQueueOptions<T> {
  redisUrl: string;
  queueName: string;
  bullPrefix?: string;
  /** BullMQ's job name (one kind of job per queue). */
  jobName: string;
  /** Every job's payload is parsed with this before the handler sees it (Redis is outside the process). */
  schema: z.ZodType<T>;
  /** Jobs run at once per process. */
  concurrency: number;
  /** How long a job may run before BullMQ must see its lock renewed (BullMQ's default: 30 s). */
  lockDurationMs?: number;
  /** Faults of the worker loop (Redis gone, a handler that threw, a malformed job); they never stop it. */
  onError?(error: unknown): void;
}

/**
 * One BullMQ queue of typed jobs, producer and consumer: persisted in Redis, so a restart loses
 * none, re-run when a worker dies mid-job (stalled), hence at-least-once; the handler makes a
 * redelivery harmless. Connects on first use, so building the services (print-schema, bench
 * baselines) opens nothing. A payload that does not parse can never succeed: it is completed
 * and reported, not retried. Webhook deliveries (billing-safe) and motion analyses (analytics)
 * are both this queue with their own schema and job options.
 */
export class ValidatedJobQueue<T> {
  private queueConnection: Redis | null = null;
  private queue: Queue | null = null;
  private worker: Worker | null = null;
  private workerConnection: Redis | null = null;

  constructor(private readonly options: ValidatedJobQueueOptions<T>) {}

  private producer(): Queue {
    if (!this.queue) {
      this.queueConnection = new Redis(this.options.redisUrl, { maxRetriesPerRequest: 3 });
      this.queueConnection.on('error', (error) => this.options.onError?.(error));
      this.queue = new Queue(this.options.queueName, { connection: this.queueConnection, prefix: this.options.bullPrefix ?? 'bull' });
    }
    return this.queue;
  }

  /** Adds one job; `opts.jobId` makes adding twice run once. */
  async add(payload: T, opts: JobsOptions): Promise<void> {
    await this.producer().add(this.options.jobName, payload, opts);
  }

  /** Starts consuming (once per process): each parsed job runs `handle`. */
  start(handle: (payload: T) => Promise<void>): void {
    if (this.worker) return;
    this.workerConnection = new Redis(this.options.redisUrl, { maxRetriesPerRequest: null });
    this.workerConnection.on('error', (error) => this.options.onError?.(error));
    this.worker = new Worker(
      this.options.queueName,
      async (job: Job) => {
        const parsed = this.options.schema.safeParse(job.data);
        if (!parsed.success) {
          this.options.onError?.(new Error(`malformed ${this.options.jobName} job ${job.id}: ${parsed.error.message}`));
          return;
        }
        await handle(parsed.data);
      },
      {
        connection: this.workerConnection,
        prefix: this.options.bullPrefix ?? 'bull',
        concurrency: this.options.concurrency,
        ...(this.options.lockDurationMs === undefined ? {} : { lockDuration: this.options.lockDurationMs }),
      },
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
