/** Plan limits other modules ask about before they create what the limit counts. */
export const QUOTA_NAMES = ['cameras', 'webhook_endpoints'] as const;
export type QuotaName = (typeof QUOTA_NAMES)[number];

/**
 * The port modules call before creating a counted thing (ingest before a camera, billing-safe
 * before a webhook endpoint); billing-safe implements it from the tenant's plan. It throws a
 * FORBIDDEN error with `extensions.reason: 'QUOTA_EXCEEDED'`, the quota, its limit, the count
 * and `resetsAt` (null for counts, which free up only when something is deleted).
 */
export interface QuotaGate {
  assertWithinOrThrow(tenantId: string, quota: QuotaName): Promise<void>;
}
