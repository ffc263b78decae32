import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createTenantDbFactory } from '@trinetra/db';
import { gql, signUpTenant, startTestApp, type TestApp } from '../../../server/test/support/test-app';
import type { UsageEntry } from '../domain/usage-meter';
import { RedisUsageOutbox } from '../infra/redis-usage-outbox';
import { UsageLedgerRepository } from '../infra/usage-ledger.repository';
import { UsageOutboxDrain } from '../infra/usage-outbox-drain';

/**
 * The usage outbox on real Redis and Postgres (docs/QUOTAS.md, "Usage outbox"): units a consumer
 * read and never acknowledged (its process died, before or after its insert committed) are
 * claimed by a live drain and end up in the ledger exactly once; the quota counters hear only
 * what was new; acknowledged entries leave the stream.
 */
let t: TestApp;
let redis: Redis;

beforeAll(async () => {
  t = await startTestApp();
  redis = new Redis(t.config.REDIS_URL);
});

afterAll(async () => {
  redis?.disconnect();
  await t?.stop();
});

const frames = (from: number, n: number): UsageEntry[] =>
  Array.from({ length: n }, (_, i) => ({ meter: 'frames_processed' as const, idempotencyKey: `cam:${from + i}`, quantity: 1, occurredAt: new Date() }));

describe('usage outbox drain', () => {
  it('claims what a dead consumer left pending and inserts every unit once, whether or not the dead one had inserted it', async () => {
    const { accessToken } = await signUpTenant(t.url, 'Outbox');
    const tenantId = (await gql<{ me: { tenant: { id: string } } }>(t.url, `{ me { tenant { id } } }`, {}, accessToken)).data!.me.tenant.id;
    const stream = `test:usage:outbox:${randomUUID()}`;
    const ledger = new UsageLedgerRepository(createTenantDbFactory(t.app.db), t.app.db);
    const outbox = new RedisUsageOutbox(redis, stream);
    const added: number[] = [];
    const drain = new UsageOutboxDrain(t.config.REDIS_URL, ledger, { consumer: 'live', stream, claimIdleMs: 300, blockMs: 50 });
    drain.onAppended(async (tid, meter, n) => {
      expect([tid, meter]).toEqual([tenantId, 'frames_processed']);
      added.push(n);
    });
    try {
      // 100 units, 10 of them repeats of earlier keys (a frame delivered twice).
      await outbox.record(tenantId, frames(0, 60));
      await outbox.record(tenantId, frames(50, 40));
      expect(await redis.xlen(stream)).toBe(100);
      // The dead consumer: the group exists, it read all 100 and never acknowledged them; it had
      // committed the insert of the first 30 keys before it died (killed before XACK).
      await redis.xgroup('CREATE', stream, 'ledger', '0', 'MKSTREAM');
      const read = (await redis.xreadgroup('GROUP', 'ledger', 'dead', 'COUNT', 1000, 'STREAMS', stream, '>')) as [string, unknown[]][];
      expect(read[0]![1]).toHaveLength(100);
      expect(await ledger.append(tenantId, frames(0, 30))).toBe(30);

      // Not idle long enough yet: nothing to claim, nothing new.
      expect(await drain.drainOnce()).toBe(0);
      await new Promise((r) => setTimeout(r, 400));
      let drained = 0;
      for (let round = 0; round < 5; round++) drained += Math.max(0, await drain.drainOnce());
      expect(drained).toBe(100);
      await new Promise((r) => setTimeout(r, 50));

      const total = await ledger.total(tenantId, 'frames_processed', new Date(Date.now() - 60_000), new Date(Date.now() + 60_000));
      expect(total).toBe(90);
      // Every row of the tenant (its RLS session), so a duplicate could not hide in a sum.
      const rows = await createTenantDbFactory(t.app.db)(tenantId).usageRecord.findMany({ where: { meter: 'frames_processed' }, select: { idempotencyKey: true } });
      expect(rows).toHaveLength(90);
      expect(new Set(rows.map((r) => r.idempotencyKey)).size).toBe(90);
      // The counters heard only the 60 units the dead consumer had not inserted.
      expect(added.reduce((a, b) => a + b, 0)).toBe(60);
      // Acknowledged and deleted: nothing pending, nothing left in the stream.
      expect(await redis.xlen(stream)).toBe(0);
      const pending = (await redis.xpending(stream, 'ledger')) as [number, ...unknown[]];
      expect(pending[0]).toBe(0);

      // The same units arriving again (a replayed frame) insert nothing and move no counter.
      await outbox.record(tenantId, frames(70, 20));
      drain.start();
      for (let i = 0; i < 100 && (await redis.xlen(stream)) > 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(await redis.xlen(stream)).toBe(0);
      expect(await ledger.total(tenantId, 'frames_processed', new Date(Date.now() - 60_000), new Date(Date.now() + 60_000))).toBe(90);
      expect(added.reduce((a, b) => a + b, 0)).toBe(60);
    } finally {
      await drain.close();
      await redis.del(stream);
    }
  }, 60_000);

  it('acknowledges units of a tenant that no longer exists (and malformed entries) instead of retrying them for ever, and drains what follows', async () => {
    const { accessToken } = await signUpTenant(t.url, 'Outbox after a gone tenant');
    const tenantId = (await gql<{ me: { tenant: { id: string } } }>(t.url, `{ me { tenant { id } } }`, {}, accessToken)).data!.me.tenant.id;
    const stream = `test:usage:outbox:${randomUUID()}`;
    const ledger = new UsageLedgerRepository(createTenantDbFactory(t.app.db), t.app.db);
    const outbox = new RedisUsageOutbox(redis, stream);
    const errors: unknown[] = [];
    const drain = new UsageOutboxDrain(t.config.REDIS_URL, ledger, { consumer: 'live', stream, blockMs: 50, onError: (e) => errors.push(e) });
    try {
      await outbox.record(randomUUID(), frames(0, 5));
      await redis.xadd(stream, '*', 't', 'not-a-uuid', 'm', 'frames_processed', 'k', 'x', 'q', '1', 'at', '0');
      await outbox.record(tenantId, frames(0, 5));
      for (let round = 0; round < 5 && (await redis.xlen(stream)) > 0; round++) await drain.drainOnce();
      expect(await redis.xlen(stream)).toBe(0);
      expect(await ledger.total(tenantId, 'frames_processed', new Date(Date.now() - 60_000), new Date(Date.now() + 60_000))).toBe(5);
      expect(errors.length).toBeGreaterThanOrEqual(2);
    } finally {
      await drain.close();
      await redis.del(stream);
    }
  }, 60_000);
});
