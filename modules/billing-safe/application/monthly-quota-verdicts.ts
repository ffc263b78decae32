import type { QuotaName } from '@trinetra/shared';
import type { PlanQuotaGate } from './plan-quota.gate';

export interface MonthlyQuotaVerdictsOptions {
  /** How long a verdict is reused before it is asked again (in the background). Default 1 000 ms. */
  refreshMs?: number;
  now?: () => number;
  onError?(error: unknown): void;
}

/**
 * A synchronous answer to "is this tenant's monthly allowance used up?" for the live frame path,
 * where an await per frame is too dear: the last verdict of the gate, asked again in the
 * background at most once per `refreshMs` per tenant. A tenant is therefore stopped at most about
 * one refresh (plus one ledger flush) after crossing the limit; unknown tenants are admitted
 * while their first verdict is fetched.
 */
export class MonthlyQuotaVerdicts {
  private readonly verdicts = new Map<string, { exhausted: boolean; checkedAt: number; pending: boolean }>();
  private readonly refreshMs: number;
  private readonly now: () => number;

  constructor(
    private readonly gate: PlanQuotaGate,
    private readonly quota: Extract<QuotaName, 'frames_per_month' | 'analyses_per_month'>,
    private readonly options: MonthlyQuotaVerdictsOptions = {},
  ) {
    this.refreshMs = options.refreshMs ?? 1_000;
    this.now = options.now ?? Date.now;
  }

  /** True when the tenant's allowance was used up at the last check. Never waits. */
  exhausted(tenantId: string): boolean {
    const now = this.now();
    let v = this.verdicts.get(tenantId);
    if (!v) {
      if (this.verdicts.size >= 100_000) this.verdicts.clear();
      v = { exhausted: false, checkedAt: 0, pending: false };
      this.verdicts.set(tenantId, v);
    }
    if (!v.pending && now - v.checkedAt >= this.refreshMs) this.refresh(tenantId, v);
    return v.exhausted;
  }

  private refresh(tenantId: string, v: { exhausted: boolean; checkedAt: number; pending: boolean }): void {
    v.pending = true;
    this.gate
      .status(tenantId, this.quota)
      .then((s) => {
        v.exhausted = s.used >= s.limit;
      })
      .catch((error: unknown) => this.options.onError?.(error))
      .finally(() => {
        v.pending = false;
        v.checkedAt = this.now();
      });
  }
}
