import type { TenantDbFactory, WebhookDelivery, WebhookDeliveryAttempt } from '@trinetra/db';
import type { Cursor, Page } from '@trinetra/shared';

export type WebhookDeliveryRow = WebhookDelivery;
export type WebhookDeliveryAttemptRow = WebhookDeliveryAttempt;

/** A delivery to create (one per endpoint an event goes to). */
export interface NewWebhookDelivery {
  endpointId: string;
  messageId: string;
  eventType: string;
  body: string;
  replayOfId?: string | null;
}

/** The outcome of one attempt, as recorded. */
export interface RecordedAttempt {
  attempt: number;
  at: Date;
  durationMs: number;
  responseCode: number | null;
  error: string | null;
  succeeded: boolean;
}

/** Webhook deliveries and their attempts of one tenant, always through the tenant-scoped client. */
export class WebhookDeliveryRepository {
  constructor(private readonly tenantDb: TenantDbFactory) {}

  createMany(tenantId: string, deliveries: readonly NewWebhookDelivery[]): Promise<WebhookDeliveryRow[]> {
    if (deliveries.length === 0) return Promise.resolve([]);
    return this.tenantDb(tenantId).webhookDelivery.createManyAndReturn({ data: deliveries.map((d) => ({ ...d, tenantId })) });
  }

  find(tenantId: string, id: string): Promise<WebhookDeliveryRow | null> {
    return this.tenantDb(tenantId).webhookDelivery.findUnique({ where: { id } });
  }

  /** Newest first, keyset-paged by (createdAt, id). */
  async page(tenantId: string, endpointId: string | null, take: number, after: Cursor | null): Promise<Page<WebhookDeliveryRow>> {
    const rows = await this.tenantDb(tenantId).webhookDelivery.findMany({
      where: {
        ...(endpointId ? { endpointId } : {}),
        ...(after ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] } : {}),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: take + 1,
    });
    return { items: rows.slice(0, take), hasNextPage: rows.length > take };
  }

  attemptsOf(tenantId: string, deliveryId: string): Promise<WebhookDeliveryAttemptRow[]> {
    return this.tenantDb(tenantId).webhookDeliveryAttempt.findMany({ where: { deliveryId }, orderBy: { attempt: 'asc' } });
  }

  /**
   * Records an attempt and the delivery's new state. The attempt row is unique per attempt
   * number, so a job that runs twice (at-least-once queues) records it once; the delivery only
   * moves forward (`attempts` below this one).
   */
  async recordAttempt(
    tenantId: string,
    deliveryId: string,
    attempt: RecordedAttempt,
    next: { status: 'PENDING' | 'SUCCEEDED' | 'FAILED'; nextAttemptAt: Date | null },
  ): Promise<void> {
    const db = this.tenantDb(tenantId);
    await db.webhookDeliveryAttempt.createMany({ data: [{ ...attempt, deliveryId, tenantId }], skipDuplicates: true });
    await db.webhookDelivery.updateMany({
      where: { id: deliveryId, attempts: { lt: attempt.attempt } },
      data: {
        attempts: attempt.attempt,
        status: next.status,
        nextAttemptAt: next.nextAttemptAt,
        lastAttemptAt: attempt.at,
        lastResponseCode: attempt.responseCode,
        lastError: attempt.error,
        lastDurationMs: attempt.durationMs,
      },
    });
    await db.webhookDelivery.updateMany({ where: { id: deliveryId, firstAttemptAt: null }, data: { firstAttemptAt: attempt.at } });
  }

  /** Ends a delivery without an attempt (its endpoint was disabled meanwhile). */
  async giveUp(tenantId: string, deliveryId: string, reason: string): Promise<void> {
    await this.tenantDb(tenantId).webhookDelivery.updateMany({
      where: { id: deliveryId, status: 'PENDING' },
      data: { status: 'FAILED', nextAttemptAt: null, lastError: reason },
    });
  }
}
