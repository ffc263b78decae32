import { z } from 'zod';
import { InvalidInputError, NotFoundError, parseInput, systemClock, type CameraDirectory, type Clock, type QuotaGate } from '@trinetra/shared';
import { BillingError, BillingErrorCode } from '../domain/billing.error';
import { isWebhookEventType, WEBHOOK_EVENT_TYPES } from '../domain/webhook-event-type';
import { generateWebhookSecret } from '../domain/webhook-signature';
import type { WebhookEndpointFields, WebhookEndpointRepository, WebhookEndpointRow } from '../infra/webhook-endpoint.repository';
import { assertWebhookUrlAllowedOrThrow, type WebhookUrlGuard } from './webhook-url';

const UrlField = z.string().trim().min(1, 'url is required').max(2048, 'url is longer than 2048 characters');
const EventTypesField = z
  .array(z.string())
  .min(1, 'subscribe to at least one event type')
  .max(WEBHOOK_EVENT_TYPES.length * 2);
const CameraIdsField = z.array(z.string().uuid('cameraIds must be camera ids')).max(100);
const DescriptionField = z.string().trim().max(200);

export const WebhookEndpointInputSchema = z.object({
  url: UrlField,
  eventTypes: EventTypesField,
  cameraIds: CameraIdsField.default([]),
  description: DescriptionField.default(''),
});
export type WebhookEndpointInput = z.input<typeof WebhookEndpointInputSchema>;

export const WebhookEndpointPatchSchema = z.object({
  url: UrlField.optional(),
  eventTypes: EventTypesField.optional(),
  cameraIds: CameraIdsField.optional(),
  description: DescriptionField.optional(),
  /** true re-enables an endpoint the failure policy switched off (its streak starts again). */
  enabled: z.boolean().optional(),
});
export type WebhookEndpointPatch = z.input<typeof WebhookEndpointPatchSchema>;

/** An endpoint with the secret shown once (creation, rotation). */
export interface EndpointWithSecret {
  endpoint: WebhookEndpointRow;
  secret: string;
}

/** Options of {@link WebhookEndpointService}. */
export interface WebhookEndpointServiceOptions {
  guard: WebhookUrlGuard;
  /** How long the previous secret keeps signing after a rotation. Default 24 h: receivers have a day to switch. */
  secretGraceMs?: number;
  clock?: Clock;
}

function uniqueEventTypes(types: readonly string[]): string[] {
  const unknown = types.filter((t) => !isWebhookEventType(t));
  if (unknown.length > 0) {
    throw new BillingError(
      BillingErrorCode.WEBHOOK_EVENT_TYPE_UNKNOWN,
      `eventTypes: unknown event type ${unknown.map((t) => JSON.stringify(t.slice(0, 40))).join(', ')}; known: ${WEBHOOK_EVENT_TYPES.join(', ')}`,
      {
        field: 'eventTypes',
      },
    );
  }
  return [...new Set(types)];
}

/** A tenant's webhook endpoints: validated, SSRF-checked, within the plan's quota; secrets shown once. */
export class WebhookEndpointService {
  private readonly clock: Clock;
  private readonly secretGraceMs: number;

  constructor(
    private readonly endpoints: WebhookEndpointRepository,
    private readonly cameras: Pick<CameraDirectory, 'findMany' | 'networkAllowlist'>,
    private readonly quotas: QuotaGate,
    private readonly options: WebhookEndpointServiceOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.secretGraceMs = options.secretGraceMs ?? 24 * 3600_000;
  }

  list(tenantId: string): Promise<WebhookEndpointRow[]> {
    return this.endpoints.list(tenantId);
  }

  async getOrThrow(tenantId: string, id: string): Promise<WebhookEndpointRow> {
    const endpoint = await this.endpoints.find(tenantId, id);
    if (!endpoint) throw new NotFoundError('WebhookEndpoint', id);
    return endpoint;
  }

  async create(tenantId: string, input: WebhookEndpointInput): Promise<EndpointWithSecret> {
    const parsed = parseInput(WebhookEndpointInputSchema, input);
    const fields: WebhookEndpointFields = {
      ...parsed,
      eventTypes: uniqueEventTypes(parsed.eventTypes),
      cameraIds: await this.knownCameras(tenantId, parsed.cameraIds),
    };
    await assertWebhookUrlAllowedOrThrow(fields.url, await this.cameras.networkAllowlist(tenantId), this.options.guard);
    await this.quotas.assertWithinOrThrow(tenantId, 'webhook_endpoints');
    const secret = generateWebhookSecret();
    return { endpoint: await this.endpoints.create(tenantId, { ...fields, secret }), secret };
  }

  async update(tenantId: string, id: string, patch: WebhookEndpointPatch): Promise<WebhookEndpointRow> {
    const parsed = parseInput(WebhookEndpointPatchSchema, patch);
    await this.getOrThrow(tenantId, id);
    const { enabled, ...rest } = parsed;
    const data: Parameters<WebhookEndpointRepository['update']>[2] = { ...rest };
    if (parsed.eventTypes) data.eventTypes = uniqueEventTypes(parsed.eventTypes);
    if (parsed.cameraIds) data.cameraIds = await this.knownCameras(tenantId, parsed.cameraIds);
    if (parsed.url !== undefined) await assertWebhookUrlAllowedOrThrow(parsed.url, await this.cameras.networkAllowlist(tenantId), this.options.guard);
    if (enabled === true) Object.assign(data, { enabled: true, disabledReason: null, disabledAt: null, consecutiveFailures: 0, failingSince: null });
    if (enabled === false) Object.assign(data, { enabled: false, disabledReason: 'disabled by the tenant', disabledAt: new Date(this.clock.now()) });
    const updated = await this.endpoints.update(tenantId, id, data);
    if (!updated) throw new NotFoundError('WebhookEndpoint', id);
    return updated;
  }

  async delete(tenantId: string, id: string): Promise<WebhookEndpointRow> {
    const deleted = await this.endpoints.delete(tenantId, id);
    if (!deleted) throw new NotFoundError('WebhookEndpoint', id);
    return deleted;
  }

  /** A new secret; the old one keeps signing (both signatures sent) for the grace period. */
  async rotateSecret(tenantId: string, id: string): Promise<EndpointWithSecret> {
    const current = await this.getOrThrow(tenantId, id);
    const secret = generateWebhookSecret();
    const endpoint = await this.endpoints.update(tenantId, id, {
      secret,
      previousSecret: current.secret,
      previousSecretExpiresAt: new Date(this.clock.now() + this.secretGraceMs),
    });
    if (!endpoint) throw new NotFoundError('WebhookEndpoint', id);
    return { endpoint, secret };
  }

  /** Camera filters name the tenant's own cameras only (a foreign id is unknown, like a missing one). */
  private async knownCameras(tenantId: string, ids: readonly string[]): Promise<string[]> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return [];
    const found = new Set((await this.cameras.findMany(tenantId, unique)).map((c) => c.id));
    const missing = unique.filter((id) => !found.has(id));
    if (missing.length > 0) throw new InvalidInputError(`cameraIds: no camera ${missing.join(', ')}`, { field: 'cameraIds' });
    return unique;
  }
}
