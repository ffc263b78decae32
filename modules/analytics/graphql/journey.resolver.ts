import { Arg, Authorized, Ctx, Field, Float, GraphQLISODateTime, ID, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '@trinetra/shared';
import type { JourneyService } from '../application/journey.service';
import { idOrNotFound, tenantOf } from './analytics.resolver';

@ObjectType('JourneyVisit')
export class JourneyVisitGql {
  @Field(() => ID) cameraId!: string;
  @Field(() => ID) zoneId!: string;
  @Field(() => GraphQLISODateTime) enteredAt!: Date;
  @Field(() => GraphQLISODateTime) exitedAt!: Date;
}

@ObjectType('Journey')
export class JourneyGql {
  @Field({ description: 'The person: identity key (person:<id> or visit:<id>) across cameras, else <cameraId>:track:<trackId>.' }) personKey!: string;
  @Field(() => [JourneyVisitGql], { description: 'Zone visits in order (clock-skew tolerant across cameras).' }) visits!: JourneyVisitGql[];
}

@ObjectType('JourneyPage')
export class JourneyPageGql {
  @Field(() => [JourneyGql], { description: 'The latest journeys first.' }) journeys!: JourneyGql[];
  @Field(() => Int) total!: number;
  @Field(() => Float) skewSeconds!: number;
}

@ObjectType('JourneyFlowNode')
export class JourneyFlowNodeGql {
  @Field(() => ID) cameraId!: string;
  @Field(() => ID) zoneId!: string;
  @Field(() => Int) visits!: number;
}

@ObjectType('JourneyFlowLink')
export class JourneyFlowLinkGql {
  @Field(() => ID) fromZoneId!: string;
  @Field(() => ID) toZoneId!: string;
  @Field(() => Int) count!: number;
  @Field(() => Float) medianTransitSeconds!: number;
}

@ObjectType('JourneyFlows')
export class JourneyFlowsGql {
  @Field(() => [JourneyFlowNodeGql]) nodes!: JourneyFlowNodeGql[];
  @Field(() => [JourneyFlowLinkGql]) links!: JourneyFlowLinkGql[];
  @Field(() => Int) journeys!: number;
  @Field(() => Float) skewSeconds!: number;
}

@ObjectType('AnalyticsSettings')
export class AnalyticsSettingsGql {
  @Field(() => Int, { description: 'Analytics rows older than this many days are deleted (default 90).' }) retentionDays!: number;
  @Field(() => Float, { description: 'Clock-skew tolerance between cameras when ordering journeys (default 2).' }) journeySkewSeconds!: number;
}

/** An omitted list arrives as undefined: every camera. */
function cameraIdsOf(ids: readonly string[] | null | undefined): string[] | null {
  return ids === null || ids === undefined ? null : ids.map((id) => idOrNotFound('Camera', id));
}

@Resolver()
export class JourneyResolver {
  constructor(private readonly service: JourneyService) {}

  @Authorized('analytics:read')
  @Query(() => JourneyPageGql, { description: 'Journeys (ordered zone visits of one person in one visit) that ended in [from, to), across cameras.' })
  async journeys(
    @Arg('from', () => GraphQLISODateTime) from: Date,
    @Arg('to', () => GraphQLISODateTime) to: Date,
    @Arg('cameraIds', () => [ID], { nullable: true }) cameraIds: string[] | null,
    @Arg('first', () => Int, { defaultValue: 20 }) first: number,
    @Ctx() ctx: GraphQLContext,
  ): Promise<JourneyPageGql> {
    const page = await this.service.journeys(tenantOf(ctx), from, to, cameraIdsOf(cameraIds), first);
    return {
      journeys: page.journeys.map((j) => ({
        personKey: j.personKey,
        visits: j.visits.map((v) => ({ cameraId: v.cameraId, zoneId: v.zoneId, enteredAt: new Date(v.enteredAt), exitedAt: new Date(v.exitedAt) })),
      })),
      total: page.total,
      skewSeconds: page.skewMs / 1000,
    };
  }

  @Authorized('analytics:read')
  @Query(() => JourneyFlowsGql, { description: 'Sankey data of journeys in [from, to): zones as nodes, consecutive visits as links, across cameras.' })
  async journeyFlows(
    @Arg('from', () => GraphQLISODateTime) from: Date,
    @Arg('to', () => GraphQLISODateTime) to: Date,
    @Arg('cameraIds', () => [ID], { nullable: true }) cameraIds: string[] | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<JourneyFlowsGql> {
    const flows = await this.service.flows(tenantOf(ctx), from, to, cameraIdsOf(cameraIds));
    return {
      nodes: flows.nodes,
      links: flows.links.map((l) => ({ fromZoneId: l.fromZoneId, toZoneId: l.toZoneId, count: l.count, medianTransitSeconds: l.medianTransitMs / 1000 })),
      journeys: flows.journeys,
      skewSeconds: flows.skewMs / 1000,
    };
  }

  @Authorized('analytics:read')
  @Query(() => AnalyticsSettingsGql, { description: "The tenant's analytics retention and journey clock-skew tolerance." })
  async analyticsSettings(@Ctx() ctx: GraphQLContext): Promise<AnalyticsSettingsGql> {
    const s = await this.service.settings(tenantOf(ctx));
    return { retentionDays: s.retentionDays, journeySkewSeconds: s.journeySkewMs / 1000 };
  }

  @Authorized('admin')
  @Mutation(() => AnalyticsSettingsGql, { description: 'Sets analytics retention (1-3650 days) and the journey clock-skew tolerance (0-60 s).' })
  async updateAnalyticsSettings(
    @Arg('retentionDays', () => Int) retentionDays: number,
    @Arg('journeySkewSeconds', () => Float) journeySkewSeconds: number,
    @Ctx() ctx: GraphQLContext,
  ): Promise<AnalyticsSettingsGql> {
    const s = await this.service.updateSettings(tenantOf(ctx), { retentionDays, journeySkewSeconds });
    return { retentionDays: s.retentionDays, journeySkewSeconds: s.journeySkewMs / 1000 };
  }
}
