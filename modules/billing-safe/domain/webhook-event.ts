import type { WebhookEventType } from './webhook-event-type';

/** Something that happened in a tenant, to be sent to the endpoints subscribed to its type. */
export interface WebhookEvent {
  type: WebhookEventType;
  /** The camera it concerns, matched against endpoints' camera filters; null when none. */
  cameraId: string | null;
  /** The payload's `data` (JSON); never secrets or URL credentials. */
  data: Record<string, unknown>;
  occurredAt: Date;
}

/**
 * The typed port other modules' events reach webhooks through (the server adapts ingest's
 * camera status and video job events to it); billing-safe never reads their tables.
 */
export interface WebhookEventSink {
  publish(tenantId: string, event: WebhookEvent): Promise<void>;
}

/** The Standard Webhooks body: `{ type, timestamp, data }`. */
export function webhookBody(type: string, occurredAt: Date, data: Record<string, unknown>): string {
  return JSON.stringify({ type, timestamp: occurredAt.toISOString(), data });
}

/** Whether an endpoint's camera filter lets an event through (empty filter: everything). */
export function passesCameraFilter(cameraIds: readonly string[], cameraId: string | null): boolean {
  return cameraIds.length === 0 || (cameraId !== null && cameraIds.includes(cameraId));
}
