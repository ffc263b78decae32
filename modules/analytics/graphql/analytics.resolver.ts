import { Arg, Authorized, Ctx, GraphQLISODateTime, ID, Query, Resolver, Root, Subscription } from 'type-graphql';
import { z } from 'zod';
import { type GraphQLContext, NotFoundError, UnauthenticatedError } from '@trinetra/shared';
import type { AnalyticsEngine } from '../application/analytics-engine';
import type { ZoneStatsUpdate } from '../application/analytics-ports';
import type { AnalyticsQueryService, StatsBucket } from '../application/analytics-query.service';
import { ZONE_STATS_TOPIC } from '../infra/pubsub-analytics.publisher';
import { HeatmapGql, LineCountsGql, StatsBucketEnum, ZoneStatsGql, ZoneStatsUpdateGql, ZoneTransitionCountGql } from './analytics.types';

export function tenantOf(ctx: GraphQLContext): string {
  if (!ctx.principal) throw new UnauthenticatedError('sign in or send an API key');
  return ctx.principal.tenantId;
}

const uuid = z.string().uuid();

/** A malformed id cannot name a row of this tenant: the same NOT_FOUND as a foreign one. */
export function idOrNotFound(entity: string, id: string): string {
  if (!uuid.safeParse(id).success) throw new NotFoundError(entity, id);
  return id;
}

@Resolver()
export class AnalyticsResolver {
  constructor(
    private readonly queries: AnalyticsQueryService,
    private readonly engine: AnalyticsEngine | null,
  ) {}

  @Authorized('analytics:read')
  @Query(() => ZoneStatsGql, { description: 'Entries, exits, occupancy and dwell of an AREA zone per bucket in [from, to).' })
  async zoneStats(
    @Arg('zoneId', () => ID) zoneId: string,
    @Arg('from', () => GraphQLISODateTime) from: Date,
    @Arg('to', () => GraphQLISODateTime) to: Date,
    @Arg('bucket', () => StatsBucketEnum, { defaultValue: 'MINUTE' }) bucket: StatsBucket,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ZoneStatsGql> {
    const tenantId = tenantOf(ctx);
    const buckets = await this.queries.zoneStats(tenantId, idOrNotFound('Zone', zoneId), from, to, bucket);
    const zone = await this.queries.zoneOrThrow(tenantId, zoneId, 'AREA', 'zoneId');
    return {
      zoneId,
      bucket,
      buckets: buckets.map((b) => ({ ...b, dwellMeanSeconds: b.dwellMeanS, dwellP90Seconds: b.dwellP90S })),
      entries: buckets.reduce((n, b) => n + b.entries, 0),
      exits: buckets.reduce((n, b) => n + b.exits, 0),
      occupancyMax: buckets.reduce((n, b) => Math.max(n, b.occupancyMax), 0),
      liveOccupancy: this.engine?.occupancy(tenantId, zone.cameraId, zoneId) ?? null,
    };
  }

  @Authorized('analytics:read')
  @Query(() => LineCountsGql, { description: 'Crossings of a LINE zone per bucket in [from, to), by direction.' })
  async lineCounts(
    @Arg('lineId', () => ID) lineId: string,
    @Arg('from', () => GraphQLISODateTime) from: Date,
    @Arg('to', () => GraphQLISODateTime) to: Date,
    @Arg('bucket', () => StatsBucketEnum, { defaultValue: 'MINUTE' }) bucket: StatsBucket,
    @Ctx() ctx: GraphQLContext,
  ): Promise<LineCountsGql> {
    const buckets = await this.queries.lineCounts(tenantOf(ctx), idOrNotFound('Zone', lineId), from, to, bucket);
    return { lineId, bucket, buckets, in: buckets.reduce((n, b) => n + b.in, 0), out: buckets.reduce((n, b) => n + b.out, 0) };
  }

  @Authorized('analytics:read')
  @Query(() => HeatmapGql, { description: 'Where people stood on a camera in [from, to) (summed from day, hour and minute rollups; at most 1,440 stored buckets, about four years).' })
  heatmap(
    @Arg('cameraId', () => ID) cameraId: string,
    @Arg('from', () => GraphQLISODateTime) from: Date,
    @Arg('to', () => GraphQLISODateTime) to: Date,
    @Ctx() ctx: GraphQLContext,
  ): Promise<HeatmapGql> {
    return this.queries.heatmap(tenantOf(ctx), idOrNotFound('Camera', cameraId), from, to);
  }

  @Authorized('analytics:read')
  @Query(() => [ZoneTransitionCountGql], { description: 'Zone-to-zone moves on a camera in [from, to) (journeys), most frequent first.' })
  zoneTransitions(
    @Arg('cameraId', () => ID) cameraId: string,
    @Arg('from', () => GraphQLISODateTime) from: Date,
    @Arg('to', () => GraphQLISODateTime) to: Date,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ZoneTransitionCountGql[]> {
    return this.queries.transitions(tenantOf(ctx), idOrNotFound('Camera', cameraId), from, to);
  }

  @Authorized('analytics:read')
  @Subscription(() => ZoneStatsUpdateGql, {
    topics: ZONE_STATS_TOPIC,
    topicId: ({ context }: { context: GraphQLContext }) => tenantOf(context),
    filter: ({ payload, args }: { payload: ZoneStatsUpdate; args: { cameraId: string } }) => payload.cameraId === args.cameraId,
    description: "A camera's zones' live figures, about once a second while something changes.",
  })
  zoneStatsUpdated(@Root() update: ZoneStatsUpdate, @Arg('cameraId', () => ID) _cameraId: string): ZoneStatsUpdateGql {
    // Through Redis the date arrives as a string.
    return { ...update, at: new Date(update.at) };
  }
}
