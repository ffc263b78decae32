import type { QuotaGate, QuotaName } from '@trinetra/shared';
import { BillingError, BillingErrorCode } from '../domain/billing.error';
import type { PlanRepository, PlanRow } from '../infra/plan.repository';

/** Counts what a quota limits, for one tenant (cameras come from ingest, endpoints from here). */
export type QuotaUsageCounter = (tenantId: string) => Promise<number>;

/** A quota as the API shows it. */
export interface QuotaStatus {
  name: QuotaName;
  limit: number;
  used: number;
  /** When the count starts again; null for counts that free up only by deleting (cameras, endpoints). */
  resetsAt: Date | null;
}

const LIMIT_OF: Record<QuotaName, (plan: PlanRow) => number> = {
  cameras: (plan) => plan.maxCameras,
  webhook_endpoints: (plan) => plan.maxWebhookEndpoints,
};

/**
 * The plan's count limits, checked before creation. Check-then-create is not atomic: two
 * concurrent creates at the limit can both pass, so a tenant may end one over; acceptable for
 * counts that cost little, and cheaper than a lock on every create.
 */
export class PlanQuotaGate implements QuotaGate {
  constructor(
    private readonly plans: PlanRepository,
    private readonly counters: Readonly<Record<QuotaName, QuotaUsageCounter>>,
  ) {}

  async status(tenantId: string, quota: QuotaName, plan?: PlanRow): Promise<QuotaStatus> {
    const [resolvedPlan, used] = await Promise.all([plan ?? this.plans.planOfOrThrow(tenantId), this.counters[quota](tenantId)]);
    return { name: quota, limit: LIMIT_OF[quota](resolvedPlan), used, resetsAt: null };
  }

  async assertWithinOrThrow(tenantId: string, quota: QuotaName): Promise<void> {
    const { limit, used, resetsAt } = await this.status(tenantId, quota);
    if (used < limit) return;
    throw new BillingError(BillingErrorCode.QUOTA_EXCEEDED, `quota ${quota} exceeded: the plan allows ${limit}, ${used} in use`, {
      quota,
      limit,
      used,
      resetsAt,
    });
  }
}
