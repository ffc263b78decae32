import type { TenantDbFactory } from '@trinetra/db';
import type { CameraDirectory, QuotaName } from '@trinetra/shared';
import type { EndpointFailurePolicy } from './domain/endpoint-failure-policy';
import type { RetrySchedule } from './domain/retry-schedule';
import { PlanQuotaGate, type QuotaUsageCounter } from './application/plan-quota.gate';
import { MonthlyQuotaVerdicts } from './application/monthly-quota-verdicts';
import { RedisUsageCounters } from './infra/redis-usage-counters';
import { WebhookDeliveryService, type WebhookEndpointDisabled } from './application/webhook-delivery.service';
import { WebhookEndpointService } from './application/webhook-endpoint.service';
import type { WebhookUrlGuard } from './application/webhook-url';
import { BullMqWebhookQueue } from './infra/bullmq-webhook.queue';
import { HttpWebhookSender, type WebhookSender } from './infra/http-webhook.sender';
import { PlanRepository } from './infra/plan.repository';
import { UsageLedgerRepository } from './infra/usage-ledger.repository';
import { BatchingUsageMeter, type UsageLedgerWriter } from './application/usage-ledger';
import { PlanService } from './application/plan.service';
import { PlanResolver } from './graphql/plan.resolver';
import { WebhookDeliveryRepository } from './infra/webhook-delivery.repository';
import { WebhookEndpointRepository } from './infra/webhook-endpoint.repository';
import { WebhookResolver } from './graphql/webhook.resolver';

/** What the server gives the billing-safe module (a typed slice of its config plus ports). */
export interface BillingSafeDeps {
  tenantDb: TenantDbFactory;
  cameras: Pick<CameraDirectory, 'findMany' | 'networkAllowlist'>;
  /** Counts of things other modules own that quotas limit (cameras and running cameras: ingest's). */
  counters: Readonly<Record<Exclude<QuotaName, 'webhook_endpoints' | 'frames_per_month' | 'analyses_per_month'>, QuotaUsageCounter>>;
  guard: WebhookUrlGuard;
  redisUrl: string;
  queueName: string;
  bullPrefix?: string;
  /** Per-attempt timeout (WEBHOOK_TIMEOUT_MS). */
  timeoutMs?: number;
  /** How long a rotated-out secret keeps signing (WEBHOOK_SECRET_GRACE_S). */
  secretGraceMs?: number;
  retrySchedule?: RetrySchedule;
  failurePolicy?: EndpointFailurePolicy;
  /** The ledger writer, when the server built it first (its Redis outbox: the frame pipeline meters through it). */
  usage?: UsageLedgerWriter;
  /** Replaces the HTTP sender (tests of the queue's semantics only). */
  sender?: WebhookSender;
  onEndpointDisabled?(event: WebhookEndpointDisabled): void;
  onError?(error: unknown): void;
}

/** The module's services, its resolvers and what must be started and stopped. */
export interface BillingSafeModule {
  /** The QuotaGate other modules call at the point of use (docs/QUOTAS.md). */
  quotas: PlanQuotaGate;
  /** Never-waiting "is the monthly frame allowance used up?" for live frame admission of non-billing tiers. */
  frameQuota: MonthlyQuotaVerdicts;
  /** The Redis counters of monthly units (reconciled from the ledger). */
  usageCounters: RedisUsageCounters;
  /** The usage ledger's writer (UsageMeter port): frames and webhook attempts are metered through it. */
  usage: UsageLedgerWriter;
  webhookEndpoints: WebhookEndpointService;
  /** Also the {@link WebhookEventSink} other modules' events go to. */
  webhookDeliveries: WebhookDeliveryService;
  resolvers: ReadonlyArray<readonly [new (...args: never[]) => object, object]>;
  /** Starts consuming delivery attempts in this process. */
  start(): void;
  close(): Promise<void>;
}

export function createBillingSafeModule(deps: BillingSafeDeps): BillingSafeModule {
  const endpointRepository = new WebhookEndpointRepository(deps.tenantDb);
  const deliveryRepository = new WebhookDeliveryRepository(deps.tenantDb);
  const planRepository = new PlanRepository(deps.tenantDb);
  const ledger = new UsageLedgerRepository(deps.tenantDb);
  const usage = deps.usage ?? new BatchingUsageMeter(ledger, deps.onError ? { onError: deps.onError } : {});
  const usageCounters = new RedisUsageCounters(deps.redisUrl, (tenantId, meter, from, to) => ledger.total(tenantId, meter, from, to));
  usage.onAppended((tenantId, meter, added, at) => usageCounters.add(tenantId, meter, added, at));
  const quotas = new PlanQuotaGate(
    (tenantId) => planRepository.planOfOrThrow(tenantId),
    { ...deps.counters, webhook_endpoints: (tenantId) => endpointRepository.count(tenantId) },
    usageCounters,
  );
  const frameQuota = new MonthlyQuotaVerdicts(quotas, 'frames_per_month', deps.onError ? { onError: deps.onError } : {});
  const queue = new BullMqWebhookQueue({
    redisUrl: deps.redisUrl,
    queueName: deps.queueName,
    ...(deps.bullPrefix ? { bullPrefix: deps.bullPrefix } : {}),
    ...(deps.onError ? { onError: deps.onError } : {}),
  });
  const sender = deps.sender ?? new HttpWebhookSender({ guard: deps.guard, ...(deps.timeoutMs ? { timeoutMs: deps.timeoutMs } : {}) });
  const webhookEndpoints = new WebhookEndpointService(endpointRepository, deps.cameras, quotas, {
    guard: deps.guard,
    ...(deps.secretGraceMs !== undefined ? { secretGraceMs: deps.secretGraceMs } : {}),
  });
  const webhookDeliveries = new WebhookDeliveryService(endpointRepository, deliveryRepository, sender, queue, deps.cameras, {
    ...(deps.retrySchedule ? { retrySchedule: deps.retrySchedule } : {}),
    ...(deps.failurePolicy ? { failurePolicy: deps.failurePolicy } : {}),
    ...(deps.onEndpointDisabled ? { onEndpointDisabled: deps.onEndpointDisabled } : {}),
    usage,
  });
  return {
    quotas,
    frameQuota,
    usageCounters,
    usage,
    webhookEndpoints,
    webhookDeliveries,
    resolvers: [
      [WebhookResolver, new WebhookResolver(webhookEndpoints, webhookDeliveries, deliveryRepository)],
      [PlanResolver, new PlanResolver(new PlanService(planRepository, quotas, ledger))],
    ],
    start: () => {
      usage.start();
      queue.start((job) => webhookDeliveries.attempt(job));
    },
    close: async () => {
      await queue.close();
      await usage.close();
      await usageCounters.close();
    },
  };
}
