import type { QuotaName } from '@trinetra/shared';
import type { UsageMeterName } from './usage-meter';

/** The plan dimensions a quota reads (prisma model Plan). */
export interface PlanLimits {
  maxCameras: number;
  maxConcurrentStreams: number;
  maxWebhookEndpoints: number;
  monthlyFrameQuota: bigint | number;
  monthlyAnalysisQuota: number;
  requestsPerMinute: number;
}

/** How a quota is counted: a count of things that exist now, or units metered this month. */
export type QuotaKind = { kind: 'count' } | { kind: 'monthly'; meter: UsageMeterName };

export const QUOTA_KINDS: Readonly<Record<QuotaName, QuotaKind>> = {
  cameras: { kind: 'count' },
  concurrent_streams: { kind: 'count' },
  webhook_endpoints: { kind: 'count' },
  frames_per_month: { kind: 'monthly', meter: 'frames_processed' },
  analyses_per_month: { kind: 'monthly', meter: 'analyses_created' },
};

export const LIMIT_OF: Readonly<Record<QuotaName, (plan: PlanLimits) => number>> = {
  cameras: (plan) => plan.maxCameras,
  concurrent_streams: (plan) => plan.maxConcurrentStreams,
  webhook_endpoints: (plan) => plan.maxWebhookEndpoints,
  frames_per_month: (plan) => Number(plan.monthlyFrameQuota),
  analyses_per_month: (plan) => plan.monthlyAnalysisQuota,
};

/** First instant of the UTC month `monthsAhead` after the one holding `at`. */
export function startOfUtcMonth(at: number, monthsAhead = 0): Date {
  const d = new Date(at);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + monthsAhead, 1));
}

/** `YYYYMM` of the UTC month holding `at` (the Redis counter's bucket). */
export function monthKey(at: number): string {
  const d = new Date(at);
  return `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}
