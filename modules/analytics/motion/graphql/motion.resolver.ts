import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import { type Connection, ConnectionArgs, type GraphQLContext, pageRequest, toConnection, UnauthenticatedError } from '@trinetra/shared';
import { SPORT_CATALOG, sportEntry } from '../domain/motion-catalog';
import type { MotionSport } from '../domain/motion-analysis';
import type { MotionEventRecord } from '../domain/motion-report';
import type { MotionAnalysisService } from '../application/motion-analysis.service';
import type { AnalysisProgressEvent, MetricUpdatedEvent, MotionAnalysisRow, MotionAnalysisStatus } from '../application/motion-ports';
import { ANALYSIS_COMPLETED_TOPIC, ANALYSIS_PROGRESS_TOPIC, METRIC_UPDATED_TOPIC } from '../infra/pubsub-motion.publisher';
import {
  AnalysisConnection,
  AnalysisEventGql,
  AnalysisGql,
  AnalysisProgressGql,
  AnalysisStatusEnum,
  CreateAnalysisInput,
  MetricUpdateGql,
  type MetricValueGql,
  SportEnum,
  SportInfoGql,
} from './motion.types';

function tenantOf(ctx: GraphQLContext): string {
  if (!ctx.principal) throw new UnauthenticatedError('sign in or send an API key');
  return ctx.principal.tenantId;
}

const date = (d: Date | string | null): Date | null => (d === null ? null : new Date(d));

function unitOf(sport: MotionSport, key: string): string {
  return sportEntry(sport).metrics.find((m) => m.key === key)?.unit ?? '';
}

function valuesOf(sport: MotionSport, values: Readonly<Record<string, unknown>>): MetricValueGql[] {
  return Object.entries(values).map(([key, v]) => ({ key, value: typeof v === 'number' && Number.isFinite(v) ? v : null, unit: unitOf(sport, key) }));
}

function eventGql(sport: MotionSport, e: MotionEventRecord): AnalysisEventGql {
  return {
    kind: e.kind,
    index: e.index,
    startS: e.startS,
    endS: e.endS,
    confidence: e.confidence,
    firstFrame: e.frames[0],
    lastFrame: e.frames[1],
    values: valuesOf(sport, e.values),
  };
}

/** Rows published through Redis carry dates as strings. */
export function toAnalysisGql(row: MotionAnalysisRow): AnalysisGql {
  return {
    id: row.id,
    sport: row.sport,
    status: row.status,
    reason: row.reason,
    reasonDetail: row.reasonDetail,
    trackId: row.trackId,
    trackChoice: row.trackChoice,
    requestedTrackId: row.requestedTrackId,
    candidateTrackIds: row.candidateTrackIds,
    fps: row.fps,
    frameCount: row.frameCount,
    progress: row.progress,
    source: {
      kind: row.sourceKind,
      videoJobId: row.videoJobId,
      cameraId: row.cameraId,
      windowStart: date(row.windowStart),
      windowEnd: date(row.windowEnd),
      filename: row.filename,
    },
    athlete: { heightCm: row.athleteHeightCm, massKg: row.athleteMassKg },
    metrics: row.metrics ? valuesOf(row.sport, row.metrics) : [],
    phases: row.phases ?? [],
    flags: row.flags ?? [],
    signal: row.signal ? { ...row.signal, values: [...row.signal.values] } : null,
    createdAt: new Date(row.createdAt),
    startedAt: date(row.startedAt),
    finishedAt: date(row.finishedAt),
  };
}

/**
 * Coaching analyses. Reads need `analytics:read`; creating one needs `ingest` (it uploads
 * video or starts batch work, like `importManifest`). Another tenant's analysis answers
 * NOT_FOUND exactly like one that does not exist.
 */
@Resolver(() => AnalysisGql)
export class MotionAnalysisResolver {
  constructor(private readonly service: MotionAnalysisService) {}

  @Authorized('analytics:read')
  @Query(() => [SportInfoGql], { description: 'The sports with an analysis: the metrics each produces, units, and the camera set-up it needs.' })
  sports(): SportInfoGql[] {
    return SPORT_CATALOG.map((e) => ({
      sport: e.sport,
      title: e.title,
      eventKind: e.eventKind,
      minimumFps: e.definition.minimumFps,
      cameraSetup: e.cameraSetup,
      plotSignal: e.plotSignal,
      metrics: e.metrics.map((m) => ({ ...m })),
    }));
  }

  @Authorized('ingest')
  @Mutation(() => AnalysisGql, {
    description: 'Starts an analysis of an uploaded video, a video job or a live camera window; returns at once (QUEUED). Follow analysisProgress / analysisCompleted.',
  })
  async createAnalysis(@Arg('input', () => CreateAnalysisInput) input: CreateAnalysisInput, @Ctx() ctx: GraphQLContext): Promise<AnalysisGql> {
    return toAnalysisGql(await this.service.create(tenantOf(ctx), input));
  }

  @Authorized('analytics:read')
  @Query(() => AnalysisGql)
  async analysis(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<AnalysisGql> {
    return toAnalysisGql(await this.service.get(tenantOf(ctx), id));
  }

  @Authorized('analytics:read')
  @Query(() => AnalysisConnection, { description: 'Analyses, newest first.' })
  async analyses(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('sport', () => SportEnum, { nullable: true }) sport: MotionSport | null,
    @Arg('status', () => AnalysisStatusEnum, { nullable: true }) status: MotionAnalysisStatus | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Connection<AnalysisGql>> {
    const { take, after } = pageRequest(args);
    const page = await this.service.page(tenantOf(ctx), { ...(sport ? { sport } : {}), ...(status ? { status } : {}) }, take, after);
    return toConnection({ ...page, items: page.items.map(toAnalysisGql) });
  }

  @FieldResolver(() => [AnalysisEventGql], { description: 'Every measured jump, rep or step, in order.' })
  async results(@Root() analysis: AnalysisGql, @Ctx() ctx: GraphQLContext): Promise<AnalysisEventGql[]> {
    const rows = await this.service.results(tenantOf(ctx), analysis.id);
    return rows.map((r) => eventGql(analysis.sport, r));
  }

  @Authorized('analytics:read')
  @Subscription(() => AnalysisProgressGql, {
    topics: ANALYSIS_PROGRESS_TOPIC,
    topicId: ({ context }: { context: GraphQLContext }) => tenantOf(context),
    filter: ({ payload, args }: { payload: AnalysisProgressEvent; args: { analysisId?: string | null } }) => !args.analysisId || payload.analysisId === args.analysisId,
    description: "Stage and progress of this tenant's analyses (one, or all).",
  })
  analysisProgress(@Root() event: AnalysisProgressEvent, @Arg('analysisId', () => ID, { nullable: true }) _analysisId?: string | null): AnalysisProgressGql {
    return { ...event, at: new Date(event.at) };
  }

  @Authorized('analytics:read')
  @Subscription(() => AnalysisGql, {
    topics: ANALYSIS_COMPLETED_TOPIC,
    topicId: ({ context }: { context: GraphQLContext }) => tenantOf(context),
    filter: ({ payload, args }: { payload: MotionAnalysisRow; args: { analysisId?: string | null } }) => !args.analysisId || payload.id === args.analysisId,
    description: 'An analysis as it ends, DONE or FAILED (stored first, so analysis(id) answers the same).',
  })
  analysisCompleted(@Root() row: MotionAnalysisRow, @Arg('analysisId', () => ID, { nullable: true }) _analysisId?: string | null): AnalysisGql {
    return toAnalysisGql(row);
  }

  @Authorized('analytics:read')
  @Subscription(() => MetricUpdateGql, {
    topics: METRIC_UPDATED_TOPIC,
    topicId: ({ context }: { context: GraphQLContext }) => tenantOf(context),
    filter: ({ payload, args }: { payload: MetricUpdatedEvent; args: { analysisId?: string | null } }) => !args.analysisId || payload.analysisId === args.analysisId,
    description: 'Live sources: each jump, rep or step of the analysed track as it happens.',
  })
  metricUpdated(@Root() event: MetricUpdatedEvent, @Arg('analysisId', () => ID, { nullable: true }) _analysisId?: string | null): MetricUpdateGql {
    return { analysisId: event.analysisId, sport: event.sport, cameraId: event.cameraId, trackId: event.trackId, event: eventGql(event.sport, event.event), at: new Date(event.at) };
  }
}
