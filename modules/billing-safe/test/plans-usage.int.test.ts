import { createTenantDbFactory } from '@trinetra/db';
import { gql, signUpTenant, startTestApp, type TestApp } from '../../../server/test/support/test-app';
import { UsageLedgerRepository } from '../infra/usage-ledger.repository';
import { WebhookReceiver } from './webhook-receiver';

let t: TestApp;
let receiver: WebhookReceiver;
let receiverUrl: string;

async function tenant(name: string): Promise<{ token: string; tenantId: string }> {
  const { accessToken } = await signUpTenant(t.url, name);
  const me = await gql<{ me: { tenant: { id: string } } }>(t.url, `{ me { tenant { id } } }`, {}, accessToken);
  return { token: accessToken, tenantId: me.data!.me.tenant.id };
}

const CREATE_CAMERA = `mutation($name: String!) { createCamera(input: { name: $name, sourceKind: SIMULATOR, sourceUrl: "sim://people?count=1" }) { id } }`;

beforeAll(async () => {
  t = await startTestApp({ WEBHOOK_QUEUE_NAME: `plans-test-${Date.now()}-${process.pid}` });
  receiver = new WebhookReceiver();
  receiverUrl = await receiver.start();
});

afterAll(async () => {
  await receiver?.stop();
  await t?.stop();
});

describe('plans, quotas and the usage ledger', () => {
  it("answers the tenant's plan and its quotas with what is used", async () => {
    const { token } = await tenant('Plan');
    await gql(t.url, CREATE_CAMERA, { name: 'one' }, token);
    const res = await gql<{ plan: { code: string; maxCameras: number }; quotas: { name: string; limit: number; used: number; resetsAt: string | null }[] }>(
      t.url,
      `{ plan { code maxCameras maxWebhookEndpoints } quotas { name limit used resetsAt } }`,
      {},
      token,
    );
    expect(res.data!.plan).toMatchObject({ code: 'starter', maxCameras: 10 });
    const quotas = Object.fromEntries(res.data!.quotas.map((q) => [q.name, q]));
    expect(quotas['cameras']).toMatchObject({ limit: 10, used: 1, resetsAt: null });
    expect(quotas['webhook_endpoints']).toMatchObject({ limit: 10, used: 0, resetsAt: null });
    expect(quotas['frames_per_month']).toMatchObject({ limit: 10_000_000, used: 0 });
    expect(new Date(quotas['frames_per_month']!.resetsAt!).getUTCDate()).toBe(1);
  });

  it('refuses a camera beyond maxCameras with FORBIDDEN, reason QUOTA_EXCEEDED, the quota, limit and reset time', async () => {
    const { token, tenantId } = await tenant('CameraQuota');
    const plan = await t.app.db.plan.create({
      data: { code: `one-camera-${tenantId}`, name: 'One', maxCameras: 1, monthlyFrameQuota: 1000n, requestsPerMinute: 1000 },
    });
    await t.app.db.tenant.update({ where: { id: tenantId }, data: { planId: plan.id } });
    expect((await gql(t.url, CREATE_CAMERA, { name: 'first' }, token)).errors).toBeUndefined();
    const second = await gql(t.url, CREATE_CAMERA, { name: 'second' }, token);
    expect(second.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'QUOTA_EXCEEDED', quota: 'cameras', limit: 1, used: 1, resetsAt: null });
    const cameras = await gql<{ cameras: { edges: unknown[] } }>(t.url, `{ cameras(first: 10) { edges { node { id } } } }`, {}, token);
    expect(cameras.data!.cameras.edges).toHaveLength(1);
  });

  it('meters webhook delivery attempts into usage(from, to) by day', async () => {
    const { token, tenantId } = await tenant('Usage');
    await t.app.db.tenant.update({ where: { id: tenantId }, data: { networkAllowlist: ['127.0.0.1/32'] } });
    const created = await gql<{ createWebhookEndpoint: { endpoint: { id: string } } }>(
      t.url,
      `mutation($url: String!) { createWebhookEndpoint(input: { url: $url, eventTypes: ["alert.raised"] }) { endpoint { id } } }`,
      { url: receiverUrl },
      token,
    );
    const endpointId = created.data!.createWebhookEndpoint.endpoint.id;
    await gql(t.url, `mutation($id: ID!) { sendTestWebhook(endpointId: $id) { id } }`, { id: endpointId }, token);
    await gql(t.url, `mutation($id: ID!) { sendTestWebhook(endpointId: $id) { id } }`, { id: endpointId }, token);
    const today = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const to = new Date(Date.now() + 86_400_000).toISOString();
    const deadline = Date.now() + 20_000;
    let days: { day: string; meter: string; quantity: number }[] = [];
    while (Date.now() < deadline) {
      const res = await gql<{ usage: typeof days }>(
        t.url,
        `query($from: DateTimeISO!, $to: DateTimeISO!) { usage(from: $from, to: $to) { day meter quantity } }`,
        { from, to },
        token,
      );
      days = res.data?.usage ?? [];
      if (days.some((d) => d.meter === 'webhook_deliveries' && d.quantity >= 2)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(days).toContainEqual({ day: today, meter: 'webhook_deliveries', quantity: 2 });
    const bad = await gql(t.url, `query($from: DateTimeISO!, $to: DateTimeISO!) { usage(from: $from, to: $to) { day } }`, { from: to, to: from }, token);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
  });

  it('counts a metered unit once however often it is appended (idempotency key, unique index)', async () => {
    const { tenantId } = await tenant('Ledger');
    const ledger = new UsageLedgerRepository(createTenantDbFactory(t.app.db));
    const at = new Date();
    const entries = Array.from({ length: 50 }, (_, i) => ({ meter: 'frames_processed' as const, idempotencyKey: `cam-1:${i}`, quantity: 1, occurredAt: at }));
    expect(await ledger.append(tenantId, entries)).toBe(50);
    expect(await ledger.append(tenantId, [...entries.slice(0, 10), { ...entries[0]!, idempotencyKey: 'cam-1:50' }])).toBe(1);
    expect(await ledger.total(tenantId, 'frames_processed', new Date(at.getTime() - 1000), new Date(at.getTime() + 1000))).toBe(51);
  });
});
