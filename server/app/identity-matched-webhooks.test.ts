import type { WebhookEventSink } from '@trinetra/billing-safe';
import { IdentityMatchedWebhooks } from './webhook-event-adapters';

type WebhookEvent = Parameters<WebhookEventSink['publish']>[1];

const event = {
  cameraId: 'cam-1',
  trackId: 7,
  personId: 'person-1',
  displayName: 'Ann Example',
  similarity: 0.71,
  visitNumber: 1,
  at: new Date('2026-11-29T10:00:00.000Z'),
};

describe('identity.matched webhooks', () => {
  it('carries ids and the similarity, never the name', async () => {
    const published: [string, WebhookEvent][] = [];
    const sink: WebhookEventSink = { publish: async (tenantId, e) => void published.push([tenantId, e]) };
    new IdentityMatchedWebhooks(sink, () => undefined).identityMatched('tenant-1', event);
    await Promise.resolve();
    expect(published).toHaveLength(1);
    const [tenantId, e] = published[0]!;
    expect(tenantId).toBe('tenant-1');
    expect(e).toMatchObject({ type: 'identity.matched', cameraId: 'cam-1', occurredAt: event.at });
    expect(e.data).toMatchObject({ event_type: 'identity.matched', camera_id: 'cam-1', track_id: 7, person_id: 'person-1', similarity: 0.71, timestamp: '2026-11-29T10:00:00.000Z' });
    expect(JSON.stringify(e.data)).not.toContain('Ann');
  });

  it('reports a failed fan-out instead of throwing into live identity', async () => {
    const errors: string[] = [];
    const sink: WebhookEventSink = { publish: async () => Promise.reject(new Error('redis down')) };
    new IdentityMatchedWebhooks(sink, (err, ctx) => errors.push(`${ctx.eventType}: ${(err as Error).message}`)).identityMatched('tenant-1', event);
    await new Promise((r) => setImmediate(r));
    expect(errors).toEqual(['identity.matched: redis down']);
  });
});
