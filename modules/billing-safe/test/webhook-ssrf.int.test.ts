import { randomUUID } from 'node:crypto';
import { createSystemDb, createTenantDbFactory, type SystemDb } from '@trinetra/db';
import type { CameraDirectory } from '@trinetra/shared';
import { createTestDatabase, type TestDatabase } from '../../../server/test/support/test-database';
import { createBillingSafeModule, type BillingSafeModule } from '../billing-safe.module';
import { WebhookDeliveryRepository } from '../infra/webhook-delivery.repository';
import { WebhookReceiver } from './webhook-receiver';

/**
 * DNS rebinding against webhooks: the host resolves to a public address when the endpoint is
 * registered and to loopback when the delivery is attempted. The guard runs again at every
 * attempt, after resolution, and the connection goes to the address it checked.
 */
let database: TestDatabase;
let db: SystemDb;
let billing: BillingSafeModule;
let receiver: WebhookReceiver;
let port: string;
const answers = new Map<string, string[]>();
const allowlists = new Map<string, string[]>();

const cameras: Pick<CameraDirectory, 'findMany' | 'networkAllowlist'> = {
  findMany: async () => [],
  networkAllowlist: async (tenantId) => allowlists.get(tenantId) ?? [],
};

async function newTenant(allowlist: string[] = []): Promise<string> {
  const plan = await db.plan.create({
    data: { id: randomUUID(), code: `p-${randomUUID()}`, name: 'p', maxCameras: 5, monthlyFrameQuota: 1000n, requestsPerMinute: 100 },
  });
  const tenantId = (await db.tenant.create({ data: { id: randomUUID(), name: 'ssrf', planId: plan.id } })).id;
  allowlists.set(tenantId, allowlist);
  return tenantId;
}

beforeAll(async () => {
  database = await createTestDatabase();
  db = createSystemDb({ databaseUrl: database.url, poolSize: 2 });
  receiver = new WebhookReceiver();
  port = new URL(await receiver.start()).port;
  billing = createBillingSafeModule({
    tenantDb: createTenantDbFactory(db),
    cameras,
    counters: { cameras: async () => 0, concurrent_streams: async () => 0 },
    guard: {
      resolveHost: async (host) => {
        const found = answers.get(host);
        if (!found) throw new Error(`no such host ${host}`);
        return found;
      },
      selfAddresses: () => [],
    },
    redisUrl: process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379',
    queueName: `webhooks-ssrf-${randomUUID()}`,
    timeoutMs: 2_000,
    // One attempt only: the test reads the outcome of the attempt that was refused.
    retrySchedule: { delaysMs: [], giveUpAfterMs: 60_000 },
  });
  billing.start();
});

afterAll(async () => {
  await billing?.close();
  await receiver?.stop();
  await db?.$disconnect();
  await database?.drop();
});

async function settled(tenantId: string, deliveryId: string) {
  const repository = new WebhookDeliveryRepository(createTenantDbFactory(db));
  const deadline = Date.now() + 20_000;
  for (;;) {
    const delivery = await repository.find(tenantId, deliveryId);
    if (delivery && delivery.status !== 'PENDING') return { delivery, attempts: await repository.attemptsOf(tenantId, deliveryId) };
    if (Date.now() > deadline) throw new Error(`delivery ${deliveryId} never settled: ${JSON.stringify(delivery)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('webhook SSRF guard at delivery time', () => {
  it('refuses a host that resolved to a public address at registration and resolves to 127.0.0.1 at delivery; nothing reaches the loopback receiver', async () => {
    const tenantId = await newTenant();
    answers.set('hooks.rebind.test', ['93.184.216.34']);
    const { endpoint } = await billing.webhookEndpoints.create(tenantId, { url: `http://hooks.rebind.test:${port}/hooks`, eventTypes: ['alert.raised'] });
    answers.set('hooks.rebind.test', ['127.0.0.1']);
    const delivery = await billing.webhookDeliveries.sendTest(tenantId, endpoint.id);
    const { delivery: done, attempts } = await settled(tenantId, delivery.id);
    expect(done.status).toBe('FAILED');
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({
      succeeded: false,
      responseCode: null,
      error: expect.stringMatching(/refused before sending: .*127\.0\.0\.1 \(loopback\)/),
    });
    expect(receiver.received).toHaveLength(0);
  });

  it('refuses at delivery when any resolved address is internal, even if another is public', async () => {
    const tenantId = await newTenant();
    answers.set('mixed.rebind.test', ['93.184.216.34']);
    const { endpoint } = await billing.webhookEndpoints.create(tenantId, { url: `http://mixed.rebind.test:${port}/hooks`, eventTypes: ['alert.raised'] });
    answers.set('mixed.rebind.test', ['93.184.216.34', '10.1.2.3']);
    const delivery = await billing.webhookDeliveries.sendTest(tenantId, endpoint.id);
    const { attempts } = await settled(tenantId, delivery.id);
    expect(attempts[0]!.error).toMatch(/10\.1\.2\.3 \(private\)/);
  });

  it('connects to the checked address: a host allowlisted by CIDR is delivered to the address the guard saw', async () => {
    const tenantId = await newTenant(['127.0.0.1/32']);
    answers.set('allowed.rebind.test', ['127.0.0.1']);
    const { endpoint } = await billing.webhookEndpoints.create(tenantId, { url: `http://allowed.rebind.test:${port}/hooks`, eventTypes: ['alert.raised'] });
    const before = receiver.received.length;
    const delivery = await billing.webhookDeliveries.sendTest(tenantId, endpoint.id);
    const { delivery: done } = await settled(tenantId, delivery.id);
    expect(done.status).toBe('SUCCEEDED');
    expect(receiver.received.length).toBe(before + 1);
    expect(receiver.received.at(-1)!.headers.host).toBe(`allowed.rebind.test:${port}`);
  });

  it('refuses registration when the host resolves to an internal address now', async () => {
    const tenantId = await newTenant();
    answers.set('internal.rebind.test', ['192.168.1.10']);
    await expect(billing.webhookEndpoints.create(tenantId, { url: 'https://internal.rebind.test/hooks', eventTypes: ['alert.raised'] })).rejects.toMatchObject({
      code: 'WEBHOOK_URL_BLOCKED',
      details: expect.objectContaining({ field: 'url', range: 'private' }),
    });
  });
});
