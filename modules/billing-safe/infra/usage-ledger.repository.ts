import type { TenantDbFactory } from '@trinetra/db';
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
  constructor(private readonly tenantDb: TenantDbFactory) {}

  /** Insert-or-ignore of a batch; returns how many were new. */
  async append(tenantId: string, entries: readonly UsageEntry[]): Promise<number> {
    if (entries.length === 0) return 0;
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
