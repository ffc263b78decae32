import { Arg, Args, Authorized, Ctx, ID, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import { type Connection, ConnectionArgs, type GraphQLContext, pageRequest, toConnection, UnauthenticatedError } from '@trinetra/shared';
import type { AlertService } from '../application/alert.service';
import type { AlertRuleKind } from '../domain/alert-rules';
import type { AlertRow, AlertRuleRow } from '../infra/alert.repository';
import { ALERT_RAISED_TOPIC } from '../infra/pubsub-analytics.publisher';
import { idOrNotFound, tenantOf } from './analytics.resolver';
import { AlertConnection, AlertGql, AlertRuleGql, AlertRuleKindEnum, CreateAlertRuleInput, UpdateAlertRuleInput } from './analytics.types';

function toAlertGql(row: AlertRow): AlertGql & { createdAt: Date; id: string } {
  // Rows published through Redis carry dates as strings.
  const createdAt = new Date(row.createdAt);
  return { ...row, createdAt, raisedAt: createdAt, acknowledgedAt: row.acknowledgedAt ? new Date(row.acknowledgedAt) : null };
}

function toRuleGql(row: AlertRuleRow): AlertRuleGql {
  return row;
}

@Resolver()
export class AlertResolver {
  constructor(private readonly service: AlertService) {}

  @Authorized('analytics:read')
  @Query(() => AlertConnection, { description: 'Raised alerts, newest first.' })
  async alerts(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('cameraId', () => ID, { nullable: true }) cameraId: string | null,
    @Arg('zoneId', () => ID, { nullable: true }) zoneId: string | null,
    @Arg('kind', () => AlertRuleKindEnum, { nullable: true }) kind: AlertRuleKind | null,
    @Arg('acknowledged', () => Boolean, { nullable: true }) acknowledged: boolean | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Connection<AlertGql>> {
    const { take, after } = pageRequest(args);
    const filter = {
      ...(cameraId ? { cameraId: idOrNotFound('Camera', cameraId) } : {}),
      ...(zoneId ? { zoneId: idOrNotFound('Zone', zoneId) } : {}),
      ...(kind ? { kind } : {}),
      ...(acknowledged === null || acknowledged === undefined ? {} : { acknowledged }),
    };
    const page = await this.service.page(tenantOf(ctx), filter, take, after);
    return toConnection({ ...page, items: page.items.map(toAlertGql) });
  }

  @Authorized('cameras:write')
  @Mutation(() => AlertGql, { description: 'Marks an alert acknowledged; acknowledging it again keeps the first acknowledgement.' })
  async acknowledgeAlert(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<AlertGql> {
    if (!ctx.principal) throw new UnauthenticatedError('sign in or send an API key');
    const by = `${ctx.principal.kind}:${ctx.principal.id}`;
    return toAlertGql(await this.service.acknowledge(tenantOf(ctx), idOrNotFound('Alert', id), by, new Date()));
  }

  @Authorized('analytics:read')
  @Query(() => [AlertRuleGql])
  async alertRules(
    @Arg('cameraId', () => ID, { nullable: true }) cameraId: string | null,
    @Arg('zoneId', () => ID, { nullable: true }) zoneId: string | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<AlertRuleGql[]> {
    const filter = { ...(cameraId ? { cameraId: idOrNotFound('Camera', cameraId) } : {}), ...(zoneId ? { zoneId: idOrNotFound('Zone', zoneId) } : {}) };
    return (await this.service.listRules(tenantOf(ctx), filter)).map(toRuleGql);
  }

  @Authorized('cameras:write')
  @Mutation(() => AlertRuleGql)
  async createAlertRule(@Arg('input', () => CreateAlertRuleInput) input: CreateAlertRuleInput, @Ctx() ctx: GraphQLContext): Promise<AlertRuleGql> {
    return toRuleGql(await this.service.createRule(tenantOf(ctx), { ...input, zoneId: idOrNotFound('Zone', input.zoneId) }));
  }

  @Authorized('cameras:write')
  @Mutation(() => AlertRuleGql)
  async updateAlertRule(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateAlertRuleInput) input: UpdateAlertRuleInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<AlertRuleGql> {
    const fields = {
      ...(input.name != null ? { name: input.name } : {}),
      ...(input.threshold != null ? { threshold: input.threshold } : {}),
      ...(input.enabled != null ? { enabled: input.enabled } : {}),
    };
    return toRuleGql(await this.service.updateRule(tenantOf(ctx), idOrNotFound('AlertRule', id), fields));
  }

  @Authorized('cameras:write')
  @Mutation(() => AlertRuleGql)
  async deleteAlertRule(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<AlertRuleGql> {
    return toRuleGql(await this.service.deleteRule(tenantOf(ctx), idOrNotFound('AlertRule', id)));
  }

  @Authorized('analytics:read')
  @Subscription(() => AlertGql, {
    topics: ALERT_RAISED_TOPIC,
    topicId: ({ context }: { context: GraphQLContext }) => tenantOf(context),
    filter: ({ payload, args }: { payload: AlertRow; args: { cameraId?: string | null } }) => !args.cameraId || payload.cameraId === args.cameraId,
    description: 'Alerts as they are raised (after they are stored, so they can be acknowledged at once).',
  })
  alertRaised(@Root() alert: AlertRow, @Arg('cameraId', () => ID, { nullable: true }) _cameraId?: string | null): AlertGql {
    return toAlertGql(alert);
  }
}
