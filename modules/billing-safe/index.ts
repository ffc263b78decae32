// The public API of @trinetra/billing-safe: what other packages use, nothing more (docs/ARCHITECTURE.md,
// "Module boundaries"). Add a name here when another package needs it.
export { BatchingUsageMeter, type UsageLedgerWriter } from './application/usage-ledger';
export { type MonthlyQuotaVerdicts } from './application/monthly-quota-verdicts';
export { type PlanQuotaGate, type QuotaStatus } from './application/plan-quota.gate';
/** The interface other modules call at the point of use (docs/QUOTAS.md); implemented by PlanQuotaGate. */
export { type QuotaGate, type QuotaName, QUOTA_NAMES } from '@trinetra/shared';
export { type WebhookEndpointDisabled } from './application/webhook-delivery.service';
export { type BillingSafeModule, createBillingSafeModule } from './billing-safe.module';
export { type UsageEntry, type UsageMeter } from './domain/usage-meter';
export { type WebhookEventSink } from './domain/webhook-event';
export { OutboxUsageMeter } from './infra/outbox-usage-meter';
export { RedisUsageOutbox, USAGE_OUTBOX_STREAM } from './infra/redis-usage-outbox';
export { UsageLedgerRepository } from './infra/usage-ledger.repository';
export { UsageOutboxDrain } from './infra/usage-outbox-drain';
