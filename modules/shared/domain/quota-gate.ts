/**
 * Plan limits other modules ask about (docs/QUOTAS.md):
 * - counts, checked before creating or starting what they count: `cameras`, `webhook_endpoints`,
 *   `concurrent_streams` (cameras whose desired state is RUNNING);
 * - monthly allowances of metered units (the usage ledger), reset on the 1st (UTC):
 *   `frames_per_month`, `analyses_per_month`.
 * (`api_requests_per_minute` is the HTTP/graphql-ws rate limit, enforced by the server.)
 */
export const QUOTA_NAMES = ['cameras', 'concurrent_streams', 'webhook_endpoints', 'frames_per_month', 'analyses_per_month'] as const;
export type QuotaName = (typeof QUOTA_NAMES)[number];

/**
 * The port modules call at the point of use (ingest before a camera is created or started,
 * analytics before an analysis is created, billing-safe before a webhook endpoint); billing-safe
 * implements it from the tenant's plan. It throws a FORBIDDEN error with
 * `extensions.reason: 'QUOTA_EXCEEDED'`, the quota, its limit, what is used and `resetsAt` (the
 * next month for monthly allowances, null for counts, which free up when something is removed).
 */
export interface QuotaGate {
  assertWithinOrThrow(tenantId: string, quota: QuotaName): Promise<void>;
}
