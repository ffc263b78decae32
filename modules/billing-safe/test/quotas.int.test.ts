import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createTenantDbFactory } from '@trinetra/db';
import { gql, signUpTenant, startTestApp, type TestApp } from '../../../server/test/support/test-app';
import { PlanQuotaGate } from '../application/plan-quota.gate';
import { BatchingUsageMeter } from '../application/usage-ledger';
import { startOfUtcMonth } from '../domain/plan-quotas';
import { PlanRepository } from '../infra/plan.repository';
import { RedisUsageCounters } from '../infra/redis-usage-counters';
import { UsageLedgerRepository } from '../infra/usage-ledger.repository';

/**
 * Plan quotas at every point of use (docs/QUOTAS.md): concurrent streams and the monthly frame
 * allowance at camera start (a BILLING camera is refused there, never cut off later), analyses
 * per month through the QuotaGate analytics calls, and the Redis counters behind the monthly
 * checks, kept to the ledger's truth.
 */
let t: TestApp;
let redis: Redis;

const CREATE_CAMERA = `mutation($name: String!, $tier: CameraTier) { createCamera(input: { name: $name, sourceKind: SIMULATOR, sourceUrl: "sim://people?count=1", tier: $tier }) { id } }`;
const START = `mutation($id: ID!) { startCamera(id: $id) { id desiredStatus } }`;
const STOP = `mutation($id: ID!) { stopCamera(id: $id) { id } }`;

async function tenantOnPlan(name: string, plan: Record<string, unknown>): Promise<{ token: string; tenantId: string }> {
  const { accessToken } = await signUpTenant(t.url, name);
  const me = await gql<{ me: { tenant: { id: string } } }>(t.url, `{ me { tenant { id } } }`, {}, accessToken);
  const tenantId = me.data!.me.tenant.id;
  const row = await t.app.db.plan.create({
    data: { code: `q-${tenantId}`, name: 'Quota test', maxCameras: 10, monthlyFrameQuota: 1_000_000n, requestsPerMinute: 100_000, ...plan },
  });
  await t.app.db.tenant.update({ where: { id: tenantId }, data: { planId: row.id } });
  return { token: accessToken, tenantId };
}

function counters(): RedisUsageCounters {
  const ledger = new UsageLedgerRepository(createTenantDbFactory(t.app.db));
  return new RedisUsageCounters(t.config.REDIS_URL, (tenantId, meter, from, to) => ledger.total(tenantId, meter, from, to), { prefix: `quota-test-${randomUUID()}` });
}

beforeAll(async () => {
  t = await startTestApp();
  redis = new Redis(t.config.REDIS_URL);
});

afterAll(async () => {
  redis?.disconnect();
  await t?.stop();
});

describe('quotas at the point of use', () => {
  it('refuses a camera start beyond concurrent_streams with the quota, limit and no reset time; a stop frees it', async () => {
    const { token } = await tenantOnPlan('Streams', { maxConcurrentStreams: 1 });
    const a = (await gql<{ createCamera: { id: string } }>(t.url, CREATE_CAMERA, { name: 'a' }, token)).data!.createCamera.id;
    const b = (await gql<{ createCamera: { id: string } }>(t.url, CREATE_CAMERA, { name: 'b' }, token)).data!.createCamera.id;
    expect((await gql(t.url, START, { id: a }, token)).errors).toBeUndefined();
    // Starting a running camera again is not a second stream.
    expect((await gql(t.url, START, { id: a }, token)).errors).toBeUndefined();
    const refused = await gql(t.url, START, { id: b }, token);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'QUOTA_EXCEEDED', quota: 'concurrent_streams', limit: 1, used: 1, resetsAt: null });
    expect(refused.errors?.[0]?.message).toMatch(/concurrent_streams/);
    await gql(t.url, STOP, { id: a }, token);
    expect((await gql(t.url, START, { id: b }, token)).errors).toBeUndefined();
    await gql(t.url, STOP, { id: b }, token);
  });

  it('refuses to start a BILLING camera once the monthly frame allowance is used, naming when it resets; other tiers still start', async () => {
    const { token, tenantId } = await tenantOnPlan('Frames', { monthlyFrameQuota: 5n });
    const ledger = new UsageLedgerRepository(createTenantDbFactory(t.app.db));
    const at = new Date();
    await ledger.append(tenantId, Array.from({ length: 5 }, (_, i) => ({ meter: 'frames_processed' as const, idempotencyKey: `old:${i}`, quantity: 1, occurredAt: at })));
    const billing = (await gql<{ createCamera: { id: string } }>(t.url, CREATE_CAMERA, { name: 'billing', tier: 'BILLING' }, token)).data!.createCamera.id;
    const refused = await gql(t.url, START, { id: billing }, token);
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'QUOTA_EXCEEDED',
      quota: 'frames_per_month',
      limit: 5,
      used: 5,
      resetsAt: startOfUtcMonth(Date.now(), 1).toISOString(),
    });
    const cam = await t.app.db.camera.findUniqueOrThrow({ where: { id: billing } });
    expect(cam.desiredStatus).toBe('STOPPED');
    // A STANDARD camera starts: its frames are refused at admission (quota_exceeded) instead.
    const standard = (await gql<{ createCamera: { id: string } }>(t.url, CREATE_CAMERA, { name: 'standard' }, token)).data!.createCamera.id;
    expect((await gql(t.url, START, { id: standard }, token)).errors).toBeUndefined();
    await gql(t.url, STOP, { id: standard }, token);
    const quotas = await gql<{ quotas: { name: string; limit: number; used: number }[] }>(t.url, `{ quotas { name limit used resetsAt } }`, {}, token);
    expect(quotas.data!.quotas.find((q) => q.name === 'frames_per_month')).toMatchObject({ limit: 5, used: 5 });
  });

  it('the QuotaGate analytics calls refuses analyses beyond analyses_per_month as soon as the ledger counts them', async () => {
    const { tenantId } = await tenantOnPlan('Analyses', { monthlyAnalysisQuota: 2 });
    const tenantDb = createTenantDbFactory(t.app.db);
    const ledger = new UsageLedgerRepository(tenantDb);
    const usageCounters = counters();
    const meter = new BatchingUsageMeter(ledger);
    meter.onAppended((tid, m, added, at) => usageCounters.add(tid, m, added, at));
    const plans = new PlanRepository(tenantDb);
    const gate = new PlanQuotaGate((id) => plans.planOfOrThrow(id), { cameras: async () => 0, concurrent_streams: async () => 0, webhook_endpoints: async () => 0 }, usageCounters);
    try {
      await gate.assertWithinOrThrow(tenantId, 'analyses_per_month');
      for (const id of ['a1', 'a2', 'a1']) await meter.record(tenantId, [{ meter: 'analyses_created', idempotencyKey: id, quantity: 1, occurredAt: new Date() }]);
      await meter.flush();
      await new Promise((r) => setTimeout(r, 100));
      await expect(gate.assertWithinOrThrow(tenantId, 'analyses_per_month')).rejects.toMatchObject({
        code: 'QUOTA_EXCEEDED',
        details: { quota: 'analyses_per_month', limit: 2, used: 2, resetsAt: startOfUtcMonth(Date.now(), 1).toISOString() },
      });
    } finally {
      await meter.close();
      await usageCounters.close();
    }
  });

  it('keeps the Redis counters to the ledger: repeats never count, a wrong counter is set right at reconcile', async () => {
    const { tenantId } = await tenantOnPlan('Counters', {});
    // The server's batch path (one INSERT … unnest … ON CONFLICT DO NOTHING in the tenant's RLS session).
    const ledger = new UsageLedgerRepository(createTenantDbFactory(t.app.db), t.app.db);
    const usageCounters = counters();
    const meter = new BatchingUsageMeter(ledger);
    meter.onAppended((tid, m, added, at) => usageCounters.add(tid, m, added, at));
    try {
      expect(await usageCounters.used(tenantId, 'frames_processed')).toBe(0);
      const frames = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ meter: 'frames_processed' as const, idempotencyKey: `cam:${from + i}`, quantity: 1, occurredAt: new Date() }));
      await meter.record(tenantId, frames(0, 30));
      await meter.record(tenantId, frames(20, 20)); // 10 repeats, 10 new
      await meter.flush();
      await new Promise((r) => setTimeout(r, 100));
      expect(await usageCounters.used(tenantId, 'frames_processed')).toBe(40);
      expect(await ledger.total(tenantId, 'frames_processed', new Date(Date.now() - 60_000), new Date(Date.now() + 60_000))).toBe(40);
      expect(await ledger.append(tenantId, frames(0, 40))).toBe(0);
      // A counter gone wrong (a crash between a ledger insert and its INCRBY) is set from the ledger when reconciled.
      const keys = await redis.keys(`*:${tenantId}:frames_processed:*`);
      const counterKey = keys.find((k) => !k.endsWith(':fresh'))!;
      await redis.set(counterKey, 7);
      expect(await usageCounters.used(tenantId, 'frames_processed')).toBe(7);
      await redis.del(`${counterKey}:fresh`);
      expect(await usageCounters.used(tenantId, 'frames_processed')).toBe(40);
    } finally {
      await meter.close();
      await usageCounters.close();
    }
  });

  it('answers plan and quotas with every dimension of the plan', async () => {
    const { token } = await tenantOnPlan('Dims', { maxConcurrentStreams: 3, monthlyAnalysisQuota: 7, maxWebhookEndpoints: 4 });
    const res = await gql<{ plan: Record<string, unknown>; quotas: { name: string; limit: number }[] }>(
      t.url,
      `{ plan { maxCameras maxConcurrentStreams monthlyFrameQuota monthlyAnalysisQuota maxWebhookEndpoints requestsPerMinute } quotas { name limit used resetsAt } }`,
      {},
      token,
    );
    expect(res.data!.plan).toEqual({ maxCameras: 10, maxConcurrentStreams: 3, monthlyFrameQuota: 1_000_000, monthlyAnalysisQuota: 7, maxWebhookEndpoints: 4, requestsPerMinute: 100_000 });
    expect(Object.fromEntries(res.data!.quotas.map((q) => [q.name, q.limit]))).toEqual({
      cameras: 10,
      concurrent_streams: 3,
      webhook_endpoints: 4,
      frames_per_month: 1_000_000,
      analyses_per_month: 7,
    });
    const seeded = await t.app.db.plan.findMany({ where: { code: { in: ['freemium', 'starter', 'pro', 'enterprise'] } }, orderBy: { maxCameras: 'asc' } });
    expect(seeded.map((p) => p.code)).toEqual(['freemium', 'starter', 'pro', 'enterprise']);
  });
});
