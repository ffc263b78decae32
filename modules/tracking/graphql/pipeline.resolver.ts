import { Arg, Authorized, Ctx, ID, Int, Query, Resolver, Root, Subscription } from 'type-graphql';
import { z } from 'zod';
import { type CameraDirectory, type GraphQLContext, InvalidInputError, NotFoundError, UnauthenticatedError } from '@trinetra/shared';
import { PIPELINE_EVENT_KINDS, type PipelineEventKind, type PipelineEvent, type PipelineEventQuery } from '../domain/supervision/pipeline-event-log';
import type { PipelineHealth } from '../domain/supervision/frame-supervisor';
import type { DetectionProvenance, TrackedFrame } from '../domain/session/camera-tracking.session';
import { FrameResultGql, PipelineEventGql, PipelineHealthGql, TrackGql } from './pipeline.types';

/** Pub/sub topics of the pipeline; routed by tenant id, so nothing crosses tenants. */
export const FRAME_RESULTS_TOPIC = 'FRAME_RESULTS';
export const PIPELINE_EVENT_TOPIC = 'PIPELINE_EVENT';

/** What `frameResults` subscribers receive (the pipeline publishes it per processed frame). */
export interface FrameResultMessage extends TrackedFrame {
  latencyMs: number;
  preview: string | null;
}

/** A live track as the pipeline reports it. */
export interface LiveTrack {
  trackId: number;
  state: 'tentative' | 'confirmed' | 'lost';
  box: { x: number; y: number; width: number; height: number };
}

/** A stored summary of an ended track. */
export interface EndedTrack {
  trackId: number;
  cameraId: string;
  firstSeenAt: Date;
  lastSeenAt: Date;
  frames: number;
  pathLengthPx: number;
  meanQuality: number;
  issues: string[];
  provenance: DetectionProvenance | null;
}

/** The pipeline as one tenant may see it: only its own cameras (breaker state is shared). */
export interface TenantPipelineView {
  health(tenantId: string): PipelineHealth;
  events(tenantId: string, query: PipelineEventQuery): PipelineEvent[];
  /** Live tracks of a running camera of this tenant; null when the tenant has no such running camera. */
  liveTracks(tenantId: string, cameraId: string): LiveTrack[] | null;
}

export interface EndedTrackReader {
  /** Most recent first; empty for a camera of another tenant. */
  listEnded(tenantId: string, cameraId: string, last: number): Promise<EndedTrack[]>;
}

function tenantOf(ctx: GraphQLContext): string {
  if (!ctx.principal) throw new UnauthenticatedError('sign in or send an API key');
  return ctx.principal.tenantId;
}

const uuid = z.string().uuid();
const KindsSchema = z.array(z.enum(PIPELINE_EVENT_KINDS)).max(PIPELINE_EVENT_KINDS.length);

export function toEventGql(e: PipelineEvent): PipelineEventGql {
  return { ...e, id: String(e.id), at: new Date(e.at) };
}

@Resolver()
export class PipelineResolver {
  constructor(
    private readonly pipeline: TenantPipelineView,
    private readonly ended: EndedTrackReader,
    private readonly cameras: CameraDirectory,
  ) {}

  @Authorized('analytics:read')
  @Query(() => PipelineHealthGql, { description: "Health of the frame pipeline for this tenant's cameras." })
  pipelineHealth(@Ctx() ctx: GraphQLContext): PipelineHealthGql {
    const health = this.pipeline.health(tenantOf(ctx));
    return { ...health, cameras: health.cameras.map((c) => ({ ...c, framesWithoutPeople: c.framesWithoutPeople ?? 0, noDetectionWarning: c.noDetectionWarning ?? null })) };
  }

  @Authorized('analytics:read')
  @Query(() => [PipelineEventGql], { description: 'Recent pipeline events (drops with reason, orphaned results, deadline misses, breaker transitions), newest last.' })
  pipelineEvents(
    @Ctx() ctx: GraphQLContext,
    @Arg('cameraId', () => ID, { nullable: true }) cameraId?: string | null,
    @Arg('kinds', () => [String], { nullable: true, description: `Any of: ${PIPELINE_EVENT_KINDS.join(', ')}` }) kinds?: string[] | null,
    @Arg('last', () => Int, { defaultValue: 100 }) last = 100,
  ): PipelineEventGql[] {
    if (!Number.isInteger(last) || last < 1 || last > 1000) throw new InvalidInputError('last must be between 1 and 1000', { field: 'last' });
    const parsedKinds = kinds ? KindsSchema.safeParse(kinds) : null;
    if (parsedKinds && !parsedKinds.success) throw new InvalidInputError(`kinds must be any of ${PIPELINE_EVENT_KINDS.join(', ')}`, { field: 'kinds' });
    const query: PipelineEventQuery = { last, cameraId: cameraId ?? null, kinds: (parsedKinds?.data as PipelineEventKind[] | undefined) ?? null };
    return this.pipeline.events(tenantOf(ctx), query).map(toEventGql);
  }

  @Authorized('analytics:read')
  @Subscription(() => PipelineEventGql, {
    topics: PIPELINE_EVENT_TOPIC,
    topicId: ({ context }: { context: GraphQLContext }) => tenantOf(context),
    filter: ({ payload, args }: { payload: PipelineEvent; args: { cameraId?: string | null } }) => !args.cameraId || payload.cameraId === args.cameraId || payload.cameraId === null,
  })
  pipelineEventAdded(@Root() event: PipelineEvent, @Arg('cameraId', () => ID, { nullable: true }) _cameraId?: string | null): PipelineEventGql {
    return toEventGql(event);
  }

  @Authorized('cameras:read')
  @Subscription(() => FrameResultGql, {
    topics: FRAME_RESULTS_TOPIC,
    topicId: ({ context }: { context: GraphQLContext }) => tenantOf(context),
    filter: ({ payload, args }: { payload: FrameResultMessage; args: { cameraId: string } }) => payload.cameraId === args.cameraId,
    description: 'Every processed frame of a camera: tracks with ids, boxes, smoothed keypoints and quality.',
  })
  frameResults(@Root() frame: FrameResultMessage, @Arg('cameraId', () => ID) _cameraId: string): FrameResultGql {
    return frame;
  }

  @Authorized('cameras:read')
  @Query(() => [TrackGql], { description: 'Live tracks of a running camera (state ACTIVE), or summaries of ended ones (state ENDED, newest first).' })
  async tracks(
    @Ctx() ctx: GraphQLContext,
    @Arg('cameraId', () => ID) cameraId: string,
    @Arg('state', () => String, { defaultValue: 'ACTIVE', description: 'ACTIVE | ENDED' }) state = 'ACTIVE',
    @Arg('last', () => Int, { defaultValue: 50 }) last = 50,
  ): Promise<TrackGql[]> {
    const tenantId = tenantOf(ctx);
    if (!uuid.safeParse(cameraId).success || (await this.cameras.find(tenantId, cameraId)) === null) throw new NotFoundError('Camera', cameraId);
    if (!Number.isInteger(last) || last < 1 || last > 500) throw new InvalidInputError('last must be between 1 and 500', { field: 'last' });
    if (state === 'ACTIVE') {
      return (this.pipeline.liveTracks(tenantId, cameraId) ?? []).map((t) => ({
        trackId: t.trackId, cameraId, state: t.state, box: t.box, firstSeenAt: null, lastSeenAt: null, frames: null, pathLengthPx: null, meanQuality: null, issues: [], provenance: null,
      }));
    }
    if (state === 'ENDED') {
      return (await this.ended.listEnded(tenantId, cameraId, last)).map((t) => ({ ...t, state: 'ended', box: null }));
    }
    throw new InvalidInputError('state must be ACTIVE or ENDED', { field: 'state' });
  }
}
