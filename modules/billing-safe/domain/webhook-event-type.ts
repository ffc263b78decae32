/**
 * The closed set of events an endpoint can subscribe to. Names follow Standard Webhooks'
 * `<noun>.<past verb>` style; the payload's `type` field carries them unchanged.
 */
export const WEBHOOK_EVENT_TYPES = [
  'analysis.completed',
  'metric.updated',
  'alert.raised',
  'identity.matched',
  'video_job.finished',
  'camera.status_changed',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Sent only by `sendTestWebhook`, whatever the endpoint subscribed to; not subscribable. */
export const WEBHOOK_TEST_EVENT_TYPE = 'webhook.test';

export function isWebhookEventType(value: string): value is WebhookEventType {
  return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);
}
