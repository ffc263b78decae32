import { z } from 'zod';

/** BullMQ job name of one delivery attempt. */
export const WEBHOOK_DELIVERY_JOB = 'webhook-delivery';

/**
 * Payload of one attempt. `attempt` is 1-based; a job whose attempt is not the delivery's next
 * one (a duplicate run, a replaced schedule) does nothing, which makes the queue's at-least-once
 * delivery safe.
 */
export const WebhookDeliveryJobSchema = z.object({
  tenantId: z.string().uuid(),
  deliveryId: z.string().uuid(),
  attempt: z.number().int().positive(),
});

export type WebhookDeliveryJob = z.infer<typeof WebhookDeliveryJobSchema>;

/** Stable BullMQ job id per attempt: enqueueing the same attempt twice adds one job. */
export function webhookDeliveryJobId(job: WebhookDeliveryJob): string {
  return `${job.deliveryId}_${job.attempt}`;
}
