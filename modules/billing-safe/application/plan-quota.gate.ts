import { systemClock, type Clock, type QuotaGate, type QuotaName } from '@trinetra/shared';
import { BillingError, BillingErrorCode } from '../domain/billing.error';
import { LIMIT_OF, QUOTA_KINDS, startOfUtcMonth, type PlanLimits } from '../domain/plan-quotas';
import type { UsageMeterName } from '../domain/usage-meter';

/** Counts what a count quota limits, for one tenant (cameras and running cameras from ingest, endpoints from here). */
export type QuotaUsageCounter = (tenantId: string) => Promise<number>;

/** Units of a meter this month (RedisUsageCounters: Redis, reconciled from the ledger). */
export interface MonthlyUsage {
  used(tenantId: string, meter: UsageMeterName): Promise<number>;
}

/** The tenant's plan (PlanRepository). */
export type PlanSource = (tenantId: string) => Promise<PlanLimits>;

/** A quota as the API shows it. */
export interface QuotaStatus {
  name: QuotaName;
  limit: number;
  used: number;
  /** When the count starts again; null for counts that free up only by removing something. */
  resetsAt: Date | null;
}

export interface PlanQuotaGateOptions {
  clock?: Clock;
  /** How long a tenant's plan is reused before it is read again. Default 30 s (plans change rarely). */
  planCacheMs?: number;
}

/**
 * The plan's limits at the point of use (docs/QUOTAS.md). Counts are read from their owners;
 * monthly allowances from Redis counters reconciled from the usage ledger; plans from a short
 * in-process cache. Check-then-act is not atomic: two creates at the limit at the same moment can
 * both pass, so a tenant may end one over; cheaper than a lock on every create.
 */
export class PlanQuotaGate implements QuotaGate {
  private readonly plans = new Map<string, { plan: PlanLimits; until: number }>();
  private readonly clock: Clock;
  private readonly planCacheMs: number;

  constructor(
    private readonly planOf: PlanSource,
    private readonly counters: Readonly<Record<Exclude<QuotaName, 'frames_per_month' | 'analyses_per_month'>, QuotaUsageCounter>>,
    private readonly monthly: MonthlyUsage,
    options: PlanQuotaGateOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.planCacheMs = options.planCacheMs ?? 30_000;
  }

  async plan(tenantId: string): Promise<PlanLimits> {
    const now = this.clock.now();
    const cached = this.plans.get(tenantId);
    if (cached && cached.until > now) return cached.plan;
    const plan = await this.planOf(tenantId);
    if (this.plans.size >= 10_000) this.plans.clear();
    this.plans.set(tenantId, { plan, until: now + this.planCacheMs });
    return plan;
  }

  async status(tenantId: string, quota: QuotaName, plan?: PlanLimits): Promise<QuotaStatus> {
    const kind = QUOTA_KINDS[quota];
    const [resolvedPlan, used] = await Promise.all([
      plan ?? this.plan(tenantId),
      kind.kind === 'monthly' ? this.monthly.used(tenantId, kind.meter) : this.counters[quota as keyof typeof this.counters](tenantId),
    ]);
    return { name: quota, limit: LIMIT_OF[quota](resolvedPlan), used, resetsAt: kind.kind === 'monthly' ? startOfUtcMonth(this.clock.now(), 1) : null };
  }

  async assertWithinOrThrow(tenantId: string, quota: QuotaName): Promise<void> {
    const { limit, used, resetsAt } = await this.status(tenantId, quota);
    if (used < limit) return;
    const when = resetsAt ? `; it resets at ${resetsAt.toISOString()}` : '; remove one to free it';
    throw new BillingError(BillingErrorCode.QUOTA_EXCEEDED, `quota ${quota} exceeded: the plan allows ${limit}, ${used} used${when}`, {
      quota,
      limit,
      used,
      resetsAt: resetsAt?.toISOString() ?? null,
    });
  }
}
