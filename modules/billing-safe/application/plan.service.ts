import { InvalidInputError, QUOTA_NAMES, systemClock, type Clock } from '@trinetra/shared';
import type { PlanQuotaGate } from './plan-quota.gate';
import type { PlanRepository, PlanRow } from '../infra/plan.repository';
import type { DailyUsage, UsageLedgerRepository } from '../infra/usage-ledger.repository';

/** A limit as the `quotas` query shows it. */
export interface QuotaView {
  name: string;
  limit: number;
  used: number;
  /** When `used` starts again from zero; null for counts. */
  resetsAt: Date | null;
}

/** Longest `usage` range: a year of days. */
const MAX_USAGE_RANGE_MS = 366 * 24 * 3600_000;

function startOfUtcMonth(at: number, monthsAhead = 0): Date {
  const d = new Date(at);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + monthsAhead, 1));
}

/** The tenant's plan, its quotas with what is used, and the usage ledger by day. */
export class PlanService {
  constructor(
    private readonly plans: PlanRepository,
    private readonly quotas: PlanQuotaGate,
    private readonly ledger: UsageLedgerRepository,
    private readonly clock: Clock = systemClock,
  ) {}

  plan(tenantId: string): Promise<PlanRow> {
    return this.plans.planOfOrThrow(tenantId);
  }

  /** Count quotas (enforced at create) and the monthly frame allowance (metered, never enforced by dropping frames). */
  async quotaViews(tenantId: string): Promise<QuotaView[]> {
    const plan = await this.plans.planOfOrThrow(tenantId);
    const counts = await Promise.all(QUOTA_NAMES.map((name) => this.quotas.status(tenantId, name, plan)));
    const now = this.clock.now();
    const frames = await this.ledger.total(tenantId, 'frames_processed', startOfUtcMonth(now), startOfUtcMonth(now, 1));
    return [...counts, { name: 'frames_per_month', limit: Number(plan.monthlyFrameQuota), used: frames, resetsAt: startOfUtcMonth(now, 1) }];
  }

  async usage(tenantId: string, from: Date, to: Date): Promise<DailyUsage[]> {
    if (Number.isNaN(from.getTime())) throw new InvalidInputError('from: not a date', { field: 'from' });
    if (Number.isNaN(to.getTime())) throw new InvalidInputError('to: not a date', { field: 'to' });
    if (to <= from) throw new InvalidInputError('to: must be after from', { field: 'to' });
    if (to.getTime() - from.getTime() > MAX_USAGE_RANGE_MS) throw new InvalidInputError('to: the range is longer than 366 days', { field: 'to' });
    return this.ledger.daily(tenantId, from, to);
  }
}
