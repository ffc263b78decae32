import { Prisma, runInTenantSession, type SystemDb, type TenantDbFactory } from '@trinetra/db';
import type { UsageEntry, UsageMeterName } from '../domain/usage-meter';

/** Usage of one meter on one UTC day. */
export interface DailyUsage {
  /** `YYYY-MM-DD` (UTC). */
  day: string;
  meter: UsageMeterName;
  quantity: number;
}

/**
 * The append-only usage ledger (Postgres, RLS; trinetra_app may only SELECT and INSERT). A
 * unit recorded twice (a retried job, a replayed frame) hits the unique (tenant, meter,
 * idempotency key) index and is skipped, so nothing is double-counted.
 */
export class UsageLedgerRepository {
  /**
   * `systemDb` turns on the batch path the frame meter needs: one INSERT … SELECT FROM unnest(…)
   * ON CONFLICT DO NOTHING per batch, run in the tenant's RLS session (as analytics' TenantSql
   * does). Prisma's createMany builds and checks every row in JS, which cost ~0.5 ms of server
   * CPU per metered frame in bench:billing; without `systemDb` that path is used.
   */
  constructor(
    private readonly tenantDb: TenantDbFactory,
    private readonly systemDb?: SystemDb,
  ) {}

  /** Insert-or-ignore of a batch; returns how many were new. */
  async append(tenantId: string, entries: readonly UsageEntry[]): Promise<number> {
    if (entries.length === 0) return 0;
    const db = this.systemDb;
    if (db) {
      const sql = Prisma.sql`
        INSERT INTO "UsageRecord" ("id", "tenantId", "meter", "idempotencyKey", "quantity", "occurredAt")
        SELECT gen_random_uuid(), ${tenantId}::uuid, u.meter, u.key, u.quantity, u.at AT TIME ZONE 'UTC'
        FROM unnest(${entries.map((e) => e.meter)}::text[], ${entries.map((e) => e.idempotencyKey)}::text[], ${entries.map((e) => e.quantity)}::int[], ${entries.map((e) => e.occurredAt.toISOString())}::timestamptz[])
          AS u(meter, key, quantity, at)
        ON CONFLICT ("tenantId", "meter", "idempotencyKey") DO NOTHING`;
      return runInTenantSession(tenantId, () => db.$executeRaw(sql));
    }
    const { count } = await this.tenantDb(tenantId).usageRecord.createMany({
      data: entries.map((e) => ({ tenantId, meter: e.meter, idempotencyKey: e.idempotencyKey, quantity: e.quantity, occurredAt: e.occurredAt })),
      skipDuplicates: true,
    });
    return count;
  }

  /** Sum of a meter from `from` (inclusive) to `to` (exclusive). */
  async total(tenantId: string, meter: UsageMeterName, from: Date, to: Date): Promise<number> {
    const result = await this.tenantDb(tenantId).usageRecord.aggregate({ where: { meter, occurredAt: { gte: from, lt: to } }, _sum: { quantity: true } });
    return result._sum.quantity ?? 0;
  }

  /**
   * Per UTC day and meter. Grouped in Node from per-record sums because the tenant-scoped
   * client refuses raw SQL (date_trunc); `groupBy` on (meter, occurredAt) keeps the rows few
   * for frames metered in batches.
   */
  async daily(tenantId: string, from: Date, to: Date): Promise<DailyUsage[]> {
    const groups = await this.tenantDb(tenantId).usageRecord.groupBy({
      by: ['meter', 'occurredAt'],
      where: { occurredAt: { gte: from, lt: to } },
      _sum: { quantity: true },
    });
    const byDay = new Map<string, DailyUsage>();
    for (const g of groups) {
      const day = g.occurredAt.toISOString().slice(0, 10);
      const key = `${day}|${g.meter}`;
      const row = byDay.get(key) ?? { day, meter: g.meter as UsageMeterName, quantity: 0 };
      row.quantity += g._sum.quantity ?? 0;
      byDay.set(key, row);
    }
    return [...byDay.values()].sort((a, b) => (a.day === b.day ? a.meter.localeCompare(b.meter) : a.day.localeCompare(b.day)));
  }
}
