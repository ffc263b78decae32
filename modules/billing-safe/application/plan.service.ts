import { InvalidInputError, QUOTA_NAMES } from '@trinetra/shared';
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

/** The tenant's plan, its quotas with what is used, and the usage ledger by day. */
export class PlanService {
  constructor(
    private readonly plans: PlanRepository,
    private readonly quotas: PlanQuotaGate,
    private readonly ledger: UsageLedgerRepository,
  ) {}

  plan(tenantId: string): Promise<PlanRow> {
    return this.plans.planOfOrThrow(tenantId);
  }

  /** Every quota of the plan with what is used (counts now, monthly units from the reconciled counters). */
  async quotaViews(tenantId: string): Promise<QuotaView[]> {
    const plan = await this.plans.planOfOrThrow(tenantId);
    return Promise.all(QUOTA_NAMES.map((name) => this.quotas.status(tenantId, name, plan)));
  }

  async usage(tenantId: string, from: Date, to: Date): Promise<DailyUsage[]> {
    if (Number.isNaN(from.getTime())) throw new InvalidInputError('from: not a date', { field: 'from' });
    if (Number.isNaN(to.getTime())) throw new InvalidInputError('to: not a date', { field: 'to' });
    if (to <= from) throw new InvalidInputError('to: must be after from', { field: 'to' });
    if (to.getTime() - from.getTime() > MAX_USAGE_RANGE_MS) throw new InvalidInputError('to: the range is longer than 366 days', { field: 'to' });
    return this.ledger.daily(tenantId, from, to);
  }
}
