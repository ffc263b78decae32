import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { z } from 'zod';
import { type Connection, ConnectionArgs, type GraphQLContext, NotFoundError, pageRequest, toConnection, UnauthenticatedError } from '@trinetra/shared';
import type { WebhookDeliveryService } from '../application/webhook-delivery.service';
import type { EndpointWithSecret, WebhookEndpointService } from '../application/webhook-endpoint.service';
import type { WebhookDeliveryRepository, WebhookDeliveryRow } from '../infra/webhook-delivery.repository';
import type { WebhookEndpointRow } from '../infra/webhook-endpoint.repository';
import {
  CreateWebhookEndpointInput,
  UpdateWebhookEndpointInput,
  WebhookDelivery,
  WebhookDeliveryAttempt,
  WebhookDeliveryConnection,
  WebhookEndpoint,
  WebhookEndpointWithSecret,
} from './webhook.types';

function tenantOf(ctx: GraphQLContext): string {
  if (!ctx.principal) throw new UnauthenticatedError('sign in or send an API key');
  return ctx.principal.tenantId;
}

/** Ids are UUIDs; anything else cannot exist, and answers NOT_FOUND like a foreign id. */
function idOf(entity: string, id: string): string {
  if (!z.string().uuid().safeParse(id).success) throw new NotFoundError(entity, id);
  return id;
}

/** Never the secrets: the row's other fields only. */
function toEndpoint(row: WebhookEndpointRow): WebhookEndpoint {
  const { secret: _secret, previousSecret: _previous, ...rest } = row;
  return rest;
}

function withSecret({ endpoint, secret }: EndpointWithSecret): WebhookEndpointWithSecret {
  return { endpoint: toEndpoint(endpoint), secret };
}

function toDelivery(row: WebhookDeliveryRow): WebhookDelivery {
  return row;
}

/** Webhook endpoints and deliveries: thin, every call scoped to the caller's tenant; all under `webhooks:write` (they hold signing secrets). */
@Resolver(() => WebhookDelivery)
export class WebhookResolver {
  constructor(
    private readonly endpoints: WebhookEndpointService,
    private readonly deliveries: WebhookDeliveryService,
    private readonly deliveryRecords: WebhookDeliveryRepository,
  ) {}

  @Authorized('webhooks:write')
  @Query(() => [WebhookEndpoint])
  async webhookEndpoints(@Ctx() ctx: GraphQLContext): Promise<WebhookEndpoint[]> {
    return (await this.endpoints.list(tenantOf(ctx))).map(toEndpoint);
  }

  @Authorized('webhooks:write')
  @Mutation(() => WebhookEndpointWithSecret, { description: 'Registers an endpoint; the answer holds its signing secret, shown this once.' })
  async createWebhookEndpoint(
    @Arg('input', () => CreateWebhookEndpointInput) input: CreateWebhookEndpointInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<WebhookEndpointWithSecret> {
    return withSecret(await this.endpoints.create(tenantOf(ctx), { ...input }));
  }

  @Authorized('webhooks:write')
  @Mutation(() => WebhookEndpoint)
  async updateWebhookEndpoint(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateWebhookEndpointInput) input: UpdateWebhookEndpointInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<WebhookEndpoint> {
    return toEndpoint(await this.endpoints.update(tenantOf(ctx), idOf('WebhookEndpoint', id), { ...input }));
  }

  @Authorized('webhooks:write')
  @Mutation(() => WebhookEndpoint)
  async deleteWebhookEndpoint(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<WebhookEndpoint> {
    return toEndpoint(await this.endpoints.delete(tenantOf(ctx), idOf('WebhookEndpoint', id)));
  }

  @Authorized('webhooks:write')
  @Mutation(() => WebhookEndpointWithSecret, {
    description: 'A new signing secret, shown this once; the previous one also signs for a grace period (both signatures are sent).',
  })
  async rotateWebhookSecret(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<WebhookEndpointWithSecret> {
    return withSecret(await this.endpoints.rotateSecret(tenantOf(ctx), idOf('WebhookEndpoint', id)));
  }

  @Authorized('webhooks:write')
  @Query(() => WebhookDeliveryConnection, { description: 'Deliveries, newest first; of one endpoint when endpointId is given.' })
  async webhookDeliveries(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('endpointId', () => ID, { nullable: true }) endpointId: string | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Connection<WebhookDelivery>> {
    const tenantId = tenantOf(ctx);
    const { take, after } = pageRequest(args);
    if (endpointId) await this.endpoints.getOrThrow(tenantId, idOf('WebhookEndpoint', endpointId));
    const page = await this.deliveryRecords.page(tenantId, endpointId ?? null, take, after);
    return toConnection({ ...page, items: page.items.map(toDelivery) });
  }

  @Authorized('webhooks:write')
  @Mutation(() => WebhookDelivery, { description: 'Sends the message again as a new delivery with the same webhook-id.' })
  async replayWebhookDelivery(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<WebhookDelivery> {
    return toDelivery(await this.deliveries.replay(tenantOf(ctx), idOf('WebhookDelivery', id)));
  }

  @Authorized('webhooks:write')
  @Mutation(() => WebhookDelivery, { description: 'Sends a webhook.test message to the endpoint.' })
  async sendTestWebhook(@Arg('endpointId', () => ID) endpointId: string, @Ctx() ctx: GraphQLContext): Promise<WebhookDelivery> {
    return toDelivery(await this.deliveries.sendTest(tenantOf(ctx), idOf('WebhookEndpoint', endpointId)));
  }

  @FieldResolver(() => [WebhookDeliveryAttempt])
  async attemptLog(@Root() delivery: WebhookDelivery, @Ctx() ctx: GraphQLContext): Promise<WebhookDeliveryAttempt[]> {
    return this.deliveryRecords.attemptsOf(tenantOf(ctx), delivery.id);
  }
}
