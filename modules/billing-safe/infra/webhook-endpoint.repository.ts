import type { TenantDbFactory, WebhookEndpoint } from '@trinetra/db';

export type WebhookEndpointRow = WebhookEndpoint;

/** What a tenant sets on an endpoint. */
export interface WebhookEndpointFields {
  url: string;
  description: string;
  eventTypes: string[];
  cameraIds: string[];
}

/** Webhook endpoints of one tenant, always through the tenant-scoped client. */
export class WebhookEndpointRepository {
  constructor(private readonly tenantDb: TenantDbFactory) {}

  list(tenantId: string): Promise<WebhookEndpointRow[]> {
    return this.tenantDb(tenantId).webhookEndpoint.findMany({ orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  }

  count(tenantId: string): Promise<number> {
    return this.tenantDb(tenantId).webhookEndpoint.count();
  }

  find(tenantId: string, id: string): Promise<WebhookEndpointRow | null> {
    return this.tenantDb(tenantId).webhookEndpoint.findUnique({ where: { id } });
  }

  /** Enabled endpoints subscribed to `eventType` (the camera filter is applied by the caller). */
  subscribedTo(tenantId: string, eventType: string): Promise<WebhookEndpointRow[]> {
    return this.tenantDb(tenantId).webhookEndpoint.findMany({ where: { enabled: true, eventTypes: { has: eventType } } });
  }

  create(tenantId: string, fields: WebhookEndpointFields & { secret: string }): Promise<WebhookEndpointRow> {
    return this.tenantDb(tenantId).webhookEndpoint.create({ data: { ...fields, tenantId } });
  }

  async update(
    tenantId: string,
    id: string,
    data: Partial<WebhookEndpointFields> &
      Partial<
        Pick<
          WebhookEndpointRow,
          'enabled' | 'disabledReason' | 'disabledAt' | 'consecutiveFailures' | 'failingSince' | 'secret' | 'previousSecret' | 'previousSecretExpiresAt'
        >
      >,
  ): Promise<WebhookEndpointRow | null> {
    const db = this.tenantDb(tenantId);
    const { count } = await db.webhookEndpoint.updateMany({ where: { id }, data });
    return count === 0 ? null : db.webhookEndpoint.findUnique({ where: { id } });
  }

  async delete(tenantId: string, id: string): Promise<WebhookEndpointRow | null> {
    const db = this.tenantDb(tenantId);
    const endpoint = await db.webhookEndpoint.findUnique({ where: { id } });
    if (!endpoint) return null;
    await db.webhookEndpoint.deleteMany({ where: { id } });
    return endpoint;
  }

  /** One more attempt's outcome on the failure streak; atomic per statement, so concurrent deliveries all count. */
  async recordAttempt(tenantId: string, id: string, succeeded: boolean, at: Date): Promise<WebhookEndpointRow | null> {
    const db = this.tenantDb(tenantId);
    if (succeeded) {
      await db.webhookEndpoint.updateMany({ where: { id, consecutiveFailures: { gt: 0 } }, data: { consecutiveFailures: 0, failingSince: null } });
    } else {
      await db.webhookEndpoint.updateMany({ where: { id }, data: { consecutiveFailures: { increment: 1 } } });
      await db.webhookEndpoint.updateMany({ where: { id, failingSince: null }, data: { failingSince: at } });
    }
    return db.webhookEndpoint.findUnique({ where: { id } });
  }
}
