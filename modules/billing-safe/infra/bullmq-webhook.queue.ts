import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { WEBHOOK_DELIVERY_JOB, webhookDeliveryJobId, WebhookDeliveryJobSchema, type WebhookDeliveryJob } from '../jobs/webhook-delivery.job';

/** Where delivery attempts are scheduled; the delivery service depends on this. */
export interface WebhookDeliveryQueue {
  /** Schedules one attempt `delayMs` from now (0: at once). Idempotent per (delivery, attempt). */
  enqueue(job: WebhookDeliveryJob, delayMs: number): Promise<void>;
}

/** Options of {@link BullMqWebhookQueue}. */
export interface BullMqWebhookQueueOptions {
  redisUrl: string;
  queueName: string;
  bullPrefix?: string;
  /** Attempts in flight per process. Default 8: each is mostly waiting on a receiver. */
  concurrency?: number;
  /** Faults of the worker loop (Redis gone, a handler that threw); they never stop it. */
  onError?(error: unknown): void;
}

/**
 * Delivery attempts as BullMQ jobs: persisted in Redis, so a restart loses none, and re-run
 * when a worker dies mid-attempt (stalled jobs), hence at-least-once. Our retry schedule is
 * ours (domain/retry-schedule.ts), so each attempt is its own delayed job; BullMQ's own
 * retries (a few, quick) only cover a handler that threw (Postgres briefly unreachable).
 */
export class BullMqWebhookQueue implements WebhookDeliveryQueue {
  private queueConnection: Redis | null = null;
  private queue: Queue | null = null;
  private worker: Worker | null = null;
  private workerConnection: Redis | null = null;

  constructor(private readonly options: BullMqWebhookQueueOptions) {}

  /** Connects on first use, so building the services (print-schema, bench baselines) opens nothing. */
  private producer(): Queue {
    if (!this.queue) {
      this.queueConnection = new Redis(this.options.redisUrl, { maxRetriesPerRequest: 3 });
      this.queueConnection.on('error', (error) => this.options.onError?.(error));
      this.queue = new Queue(this.options.queueName, { connection: this.queueConnection, prefix: this.options.bullPrefix ?? 'bull' });
    }
    return this.queue;
  }

  async enqueue(job: WebhookDeliveryJob, delayMs: number): Promise<void> {
    await this.producer().add(WEBHOOK_DELIVERY_JOB, job, {
      jobId: webhookDeliveryJobId(job),
      delay: Math.max(0, Math.round(delayMs)),
      attempts: 5,
      backoff: { type: 'exponential', delay: 1_000 },
      removeOnComplete: { age: 3600, count: 1000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    });
  }

  /** Starts consuming: each job runs `handle` (the delivery service's attempt). */
  start(handle: (job: WebhookDeliveryJob) => Promise<void>): void {
    if (this.worker) return;
    this.workerConnection = new Redis(this.options.redisUrl, { maxRetriesPerRequest: null });
    this.workerConnection.on('error', (error) => this.options.onError?.(error));
    this.worker = new Worker(
      this.options.queueName,
      async (job: Job) => {
        const parsed = WebhookDeliveryJobSchema.safeParse(job.data);
        // A malformed payload can never succeed: complete it (logged) rather than retry it.
        if (!parsed.success) {
          this.options.onError?.(new Error(`malformed webhook delivery job ${job.id}: ${parsed.error.message}`));
          return;
        }
        await handle(parsed.data);
      },
      { connection: this.workerConnection, prefix: this.options.bullPrefix ?? 'bull', concurrency: this.options.concurrency ?? 8 },
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
