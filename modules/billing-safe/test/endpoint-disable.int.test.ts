import { randomUUID } from 'node:crypto';
import { createSystemDb, createTenantDbFactory, type SystemDb } from '@trinetra/db';
import { createTestDatabase, type TestDatabase } from '../../../server/test/support/test-database';
import { createBillingSafeModule, type BillingSafeModule } from '../billing-safe.module';
import type { WebhookEndpointDisabled } from '../application/webhook-delivery.service';
import { WebhookDeliveryRepository } from '../infra/webhook-delivery.repository';
import { WebhookReceiver } from './webhook-receiver';

let database: TestDatabase;
let db: SystemDb;
let billing: BillingSafeModule;
let receiver: WebhookReceiver;
let url: string;
const disabled: WebhookEndpointDisabled[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  db = createSystemDb({ databaseUrl: database.url, poolSize: 2 });
  receiver = new WebhookReceiver(() => 500);
  url = await receiver.start();
  billing = createBillingSafeModule({
    tenantDb: createTenantDbFactory(db),
    cameras: { findMany: async () => [], networkAllowlist: async () => ['127.0.0.1/32'] },
    counters: { cameras: async () => 0, concurrent_streams: async () => 0 },
    guard: { resolveHost: async () => ['127.0.0.1'], selfAddresses: () => [] },
    redisUrl: process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379',
    queueName: `webhooks-disable-${randomUUID()}`,
    retrySchedule: { delaysMs: [], giveUpAfterMs: 60_000 },
    failurePolicy: { disableAfterFailures: 3, disableAfterMs: 0 },
    onEndpointDisabled: (event) => disabled.push(event),
  });
  billing.start();
});

afterAll(async () => {
  await billing?.close();
  await receiver?.stop();
  await db?.$disconnect();
  await database?.drop();
});

it('disables an endpoint after failing per the policy, emits the event, and gives up its later deliveries without sending', async () => {
  const plan = await db.plan.create({
    data: { id: randomUUID(), code: `p-${randomUUID()}`, name: 'p', maxCameras: 5, monthlyFrameQuota: 1000n, requestsPerMinute: 100 },
  });
  const tenantId = (await db.tenant.create({ data: { id: randomUUID(), name: 'failing', planId: plan.id } })).id;
  const { endpoint } = await billing.webhookEndpoints.create(tenantId, { url, eventTypes: ['alert.raised'] });
  const deliveries = new WebhookDeliveryRepository(createTenantDbFactory(db));
  for (let i = 0; i < 3; i++) {
    const d = await billing.webhookDeliveries.sendTest(tenantId, endpoint.id);
    await receiver.untilReceived(i + 1);
    for (let n = 0; (await deliveries.find(tenantId, d.id))?.status === 'PENDING' && n < 200; n++) await new Promise((r) => setTimeout(r, 50));
  }
  for (let n = 0; disabled.length === 0 && n < 200; n++) await new Promise((r) => setTimeout(r, 50));
  expect(disabled).toEqual([expect.objectContaining({ tenantId, endpointId: endpoint.id, reason: expect.stringContaining('3 failed attempts') })]);
  const after = await billing.webhookEndpoints.getOrThrow(tenantId, endpoint.id);
  expect(after).toMatchObject({ enabled: false, consecutiveFailures: 3 });

  const late = await billing.webhookDeliveries.sendTest(tenantId, endpoint.id);
  for (let n = 0; (await deliveries.find(tenantId, late.id))?.status === 'PENDING' && n < 200; n++) await new Promise((r) => setTimeout(r, 50));
  expect(await deliveries.find(tenantId, late.id)).toMatchObject({ status: 'FAILED', attempts: 0, lastError: 'endpoint disabled' });
  expect(receiver.received).toHaveLength(3);

  const reenabled = await billing.webhookEndpoints.update(tenantId, endpoint.id, { enabled: true });
  expect(reenabled).toMatchObject({ enabled: true, consecutiveFailures: 0, disabledReason: null });
});
