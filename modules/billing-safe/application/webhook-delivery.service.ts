import { randomUUID } from 'node:crypto';
import { NotFoundError, systemClock, type CameraDirectory, type Clock } from '@trinetra/shared';
import { DEFAULT_ENDPOINT_FAILURE_POLICY, shouldDisableEndpoint, type EndpointFailurePolicy } from '../domain/endpoint-failure-policy';
import { nextAttemptAt, STANDARD_RETRY_SCHEDULE, type RetrySchedule } from '../domain/retry-schedule';
import type { UsageMeter } from '../domain/usage-meter';
import { passesCameraFilter, webhookBody, type WebhookEvent, type WebhookEventSink } from '../domain/webhook-event';
import { WEBHOOK_TEST_EVENT_TYPE } from '../domain/webhook-event-type';
import { webhookHeaders } from '../domain/webhook-signature';
import type { WebhookDeliveryJob } from '../jobs/webhook-delivery.job';
import type { WebhookDeliveryQueue } from '../infra/bullmq-webhook.queue';
import type { WebhookAttemptOutcome, WebhookSender } from '../infra/http-webhook.sender';
import type { WebhookDeliveryRepository, WebhookDeliveryRow } from '../infra/webhook-delivery.repository';
import type { WebhookEndpointRepository, WebhookEndpointRow } from '../infra/webhook-endpoint.repository';

/** An endpoint switched off by the failure policy (the server logs it; the dashboard shows `disabledReason`). */
export interface WebhookEndpointDisabled {
  tenantId: string;
  endpointId: string;
  reason: string;
  at: Date;
}

/** Options of {@link WebhookDeliveryService}. */
export interface WebhookDeliveryServiceOptions {
  clock?: Clock;
  /** Default {@link STANDARD_RETRY_SCHEDULE}. */
  retrySchedule?: RetrySchedule;
  /** Default {@link DEFAULT_ENDPOINT_FAILURE_POLICY}. */
  failurePolicy?: EndpointFailurePolicy;
  /** Each attempt is metered (`webhook_deliveries`) when given. */
  usage?: UsageMeter;
  onEndpointDisabled?(event: WebhookEndpointDisabled): void;
}

/** Message ids as Standard Webhooks spells them (`msg_` + random). */
function newMessageId(): string {
  return `msg_${randomUUID().replace(/-/g, '')}`;
}

/**
 * Turns events into deliveries and runs their attempts: one delivery per subscribed endpoint,
 * recorded in Postgres before its first attempt is queued, each attempt signed with the
 * endpoint's valid secrets, retried on the schedule until it succeeds or gives up, and the
 * endpoint's failure streak kept (an endpoint failing long enough is disabled).
 */
export class WebhookDeliveryService implements WebhookEventSink {
  private readonly clock: Clock;
  private readonly schedule: RetrySchedule;
  private readonly failurePolicy: EndpointFailurePolicy;

  constructor(
    private readonly endpoints: WebhookEndpointRepository,
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly sender: WebhookSender,
    private readonly queue: WebhookDeliveryQueue,
    private readonly cameras: Pick<CameraDirectory, 'networkAllowlist'>,
    private readonly options: WebhookDeliveryServiceOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.schedule = options.retrySchedule ?? STANDARD_RETRY_SCHEDULE;
    this.failurePolicy = options.failurePolicy ?? DEFAULT_ENDPOINT_FAILURE_POLICY;
  }

  /** Fans an event out to the tenant's subscribed, enabled endpoints whose camera filter it passes. */
  async publish(tenantId: string, event: WebhookEvent): Promise<void> {
    const targets = (await this.endpoints.subscribedTo(tenantId, event.type)).filter((e) => passesCameraFilter(e.cameraIds, event.cameraId));
    if (targets.length === 0) return;
    const messageId = newMessageId();
    const body = webhookBody(event.type, event.occurredAt, event.data);
    const created = await this.deliveries.createMany(
      tenantId,
      targets.map((e) => ({ endpointId: e.id, messageId, eventType: event.type, body })),
    );
    await Promise.all(created.map((d) => this.queue.enqueue({ tenantId, deliveryId: d.id, attempt: 1 }, 0)));
  }

  /** Sends a `webhook.test` message to one endpoint, whatever it subscribed to. */
  async sendTest(tenantId: string, endpointId: string): Promise<WebhookDeliveryRow> {
    const endpoint = await this.endpoints.find(tenantId, endpointId);
    if (!endpoint) throw new NotFoundError('WebhookEndpoint', endpointId);
    const at = new Date(this.clock.now());
    const body = webhookBody(WEBHOOK_TEST_EVENT_TYPE, at, { endpointId, message: 'This is a test message from Trinetra.' });
    return this.createAndQueue(tenantId, { endpointId, messageId: newMessageId(), eventType: WEBHOOK_TEST_EVENT_TYPE, body });
  }

  /**
   * Sends a delivery's message again as a new delivery with the same `webhook-id`, so a
   * receiver that already processed it can recognise the repeat.
   */
  async replay(tenantId: string, deliveryId: string): Promise<WebhookDeliveryRow> {
    const original = await this.deliveries.find(tenantId, deliveryId);
    if (!original) throw new NotFoundError('WebhookDelivery', deliveryId);
    return this.createAndQueue(tenantId, {
      endpointId: original.endpointId,
      messageId: original.messageId,
      eventType: original.eventType,
      body: original.body,
      replayOfId: original.id,
    });
  }

  /** Runs one attempt (the queue's handler). Stale or duplicate jobs do nothing. */
  async attempt(job: WebhookDeliveryJob): Promise<void> {
    const { tenantId, deliveryId, attempt } = job;
    const delivery = await this.deliveries.find(tenantId, deliveryId);
    if (!delivery || delivery.status !== 'PENDING' || delivery.attempts >= attempt) return;
    const endpoint = await this.endpoints.find(tenantId, delivery.endpointId);
    if (!endpoint) return;
    if (!endpoint.enabled) {
      await this.deliveries.giveUp(tenantId, deliveryId, 'endpoint disabled');
      return;
    }
    const startedAt = this.clock.now();
    const outcome = await this.send(tenantId, endpoint, delivery, startedAt);
    const at = new Date(startedAt);
    const firstAttemptAt = delivery.firstAttemptAt?.getTime() ?? startedAt;
    const next = outcome.succeeded ? null : nextAttemptAt(this.schedule, attempt, firstAttemptAt, this.clock.now());
    // The next attempt is queued before the delivery says so: a crash in between re-runs this
    // attempt (the queue's retry) rather than losing the delivery.
    if (next !== null) await this.queue.enqueue({ tenantId, deliveryId, attempt: attempt + 1 }, next - this.clock.now());
    await this.deliveries.recordAttempt(
      tenantId,
      deliveryId,
      { attempt, at, durationMs: outcome.durationMs, responseCode: outcome.responseCode, error: outcome.error, succeeded: outcome.succeeded },
      { status: outcome.succeeded ? 'SUCCEEDED' : next === null ? 'FAILED' : 'PENDING', nextAttemptAt: next === null ? null : new Date(next) },
    );
    await this.options.usage?.record(tenantId, [{ meter: 'webhook_deliveries', idempotencyKey: `${deliveryId}:${attempt}`, quantity: 1, occurredAt: at }]);
    await this.trackHealth(tenantId, endpoint.id, outcome.succeeded);
  }

  private async send(tenantId: string, endpoint: WebhookEndpointRow, delivery: WebhookDeliveryRow, now: number): Promise<WebhookAttemptOutcome> {
    const secrets = [endpoint.secret];
    if (endpoint.previousSecret && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt.getTime() > now) secrets.push(endpoint.previousSecret);
    const headers = webhookHeaders(secrets, delivery.messageId, Math.floor(now / 1000), delivery.body);
    return this.sender.send({ url: endpoint.url, headers: { ...headers }, body: delivery.body, allowlist: await this.cameras.networkAllowlist(tenantId) });
  }

  private async trackHealth(tenantId: string, endpointId: string, succeeded: boolean): Promise<void> {
    const now = this.clock.now();
    const endpoint = await this.endpoints.recordAttempt(tenantId, endpointId, succeeded, new Date(now));
    if (!endpoint || succeeded || !endpoint.enabled) return;
    const streak = { consecutiveFailures: endpoint.consecutiveFailures, failingSince: endpoint.failingSince?.getTime() ?? null };
    if (!shouldDisableEndpoint(this.failurePolicy, streak, now)) return;
    const reason = `disabled after ${streak.consecutiveFailures} failed attempts in a row since ${endpoint.failingSince?.toISOString()}`;
    const at = new Date(now);
    await this.endpoints.update(tenantId, endpointId, { enabled: false, disabledReason: reason, disabledAt: at });
    this.options.onEndpointDisabled?.({ tenantId, endpointId, reason, at });
  }

  private async createAndQueue(tenantId: string, delivery: Parameters<WebhookDeliveryRepository['createMany']>[1][number]): Promise<WebhookDeliveryRow> {
    const [created] = await this.deliveries.createMany(tenantId, [delivery]);
    await this.queue.enqueue({ tenantId, deliveryId: created!.id, attempt: 1 }, 0);
    return created!;
  }
}
