import type { Plan, TenantDbFactory } from '@trinetra/db';
import { BillingError, BillingErrorCode } from '../domain/billing.error';

export type PlanRow = Plan;

/** The plan of a tenant, read through the tenant-scoped client (Tenant and Plan are read-only there). */
export class PlanRepository {
  constructor(private readonly tenantDb: TenantDbFactory) {}

  async planOfOrThrow(tenantId: string): Promise<PlanRow> {
    const tenant = await this.tenantDb(tenantId).tenant.findFirst({ include: { plan: true } });
    if (!tenant) throw new BillingError(BillingErrorCode.PLAN_MISSING, `tenant ${tenantId} has no plan`);
    return tenant.plan;
  }
}
