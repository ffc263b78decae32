import { ValidatedJobQueue } from '@trinetra/shared';
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
 * Delivery attempts as BullMQ jobs (modules/shared/infra/validated-job-queue.ts), hence
 * at-least-once. Our retry schedule is ours (domain/retry-schedule.ts), so each attempt is its
 * own delayed job; BullMQ's own retries (a few, quick) only cover a handler that threw
 * (Postgres briefly unreachable).
 */
export class BullMqWebhookQueue implements WebhookDeliveryQueue {
  private readonly jobs: ValidatedJobQueue<WebhookDeliveryJob>;

  constructor(options: BullMqWebhookQueueOptions) {
    this.jobs = new ValidatedJobQueue({ ...options, jobName: WEBHOOK_DELIVERY_JOB, schema: WebhookDeliveryJobSchema, concurrency: options.concurrency ?? 8 });
  }

  enqueue(job: WebhookDeliveryJob, delayMs: number): Promise<void> {
    return this.jobs.add(job, {
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
    this.jobs.start(handle);
  }

  close(): Promise<void> {
    return this.jobs.close();
  }
}
