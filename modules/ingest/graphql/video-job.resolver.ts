import { Arg, Args, ArgsType, Authorized, Ctx, Field, ID, Int, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import { z } from 'zod';
import { type Connection, ConnectionArgs, ForbiddenError, type GraphQLContext, hasScope, NotFoundError, pageRequest, parseInput, type Scope, toConnection, UnauthenticatedError } from '@trinetra/shared';
import { VIDEO_JOB_WARNING_MESSAGES, VIDEO_JOB_WARNINGS, type VideoJobStatus, type VideoJobWarning } from '../batch/video-job';
import type { OutputLinkSigner } from '../outputs/output-link';
import type { VideoJobProgressEvent, VideoJobRunner } from '../jobs/video-job.runner';
import type { ManifestImportSummary, VideoJobService } from '../jobs/video-job.service';
import type { VideoJobRecord } from '../jobs/video-job.store';
import { VIDEO_JOB_PROGRESS_TOPIC } from './video-job-progress.publisher';
import { ImportManifestSchema, OrphanedAfterSchema } from './video-job.input';
import {
  ImportManifestInput,
  ManifestImport,
  type ManifestProblemKindEnum,
  ResumeVideoJobsResult,
  VideoJobObject,
  VideoJobConnection,
  VideoJobCounts,
  VideoJobProgressObject,
  type VideoJobProgressKindEnum,
  VideoJobStatusEnum,
} from './video-job.types';

/** Reads need either scope: operators run batches (`ingest`), analysts read their results (`analytics:read`). */
export const VIDEO_JOB_READ_SCOPES: readonly Scope[] = ['ingest', 'analytics:read'];

function tenantOf(ctx: GraphQLContext): string {
  if (!ctx.principal) throw new UnauthenticatedError('sign in or send an API key');
  return ctx.principal.tenantId;
}

/** `@Authorized` requires every scope it lists; reads accept any one of {@link VIDEO_JOB_READ_SCOPES}. */
function readerTenantOf(ctx: GraphQLContext): string {
  const tenantId = tenantOf(ctx);
  if (!VIDEO_JOB_READ_SCOPES.some((s) => hasScope(ctx.principal!, s))) {
    throw new ForbiddenError(`missing scope: one of ${VIDEO_JOB_READ_SCOPES.join(', ')}`, { reason: 'MISSING_SCOPE', required: VIDEO_JOB_READ_SCOPES });
  }
  return tenantId;
}

const uuid = z.uuid();
/** Ids are UUIDs; anything else cannot exist, and answers NOT_FOUND like a foreign id. */
function idOrNotFound(entity: string, id: string): string {
  if (!uuid.safeParse(id).success) throw new NotFoundError(entity, id);
  return id;
}

export function toVideoJobCounts(c: Record<VideoJobStatus, number>): VideoJobCounts {
  const total = c.queued + c.processing + c.done + c.failed + c.missing_file;
  return { queued: c.queued, processing: c.processing, done: c.done, failed: c.failed, missingFile: c.missing_file, total, finished: c.queued + c.processing === 0 };
}

function toGraphQL(job: VideoJobRecord, links: OutputLinkSigner | null): VideoJobObject {
  return {
    ...job,
    status: job.status as VideoJobStatusEnum,
    metadata: Object.entries(job.metadata).map(([key, value]) => ({ key, value: String(value) })),
    outputUrl: links && job.status === 'done' && job.outputPath ? links.sign(job.tenantId, job.id).path : null,
    warnings: (job.warnings ?? []).filter(isVideoJobWarning).map((code) => ({ code, message: VIDEO_JOB_WARNING_MESSAGES[code] })),
  };
}

function isVideoJobWarning(value: string): value is VideoJobWarning {
  return (VIDEO_JOB_WARNINGS as readonly string[]).includes(value);
}

function toImport(s: ManifestImportSummary): ManifestImport {
  return {
    manifestId: s.manifestId,
    name: s.name,
    encoding: s.encoding,
    delimiter: s.delimiter,
    jobs: s.jobs,
    queued: s.queued,
    duplicates: s.duplicates,
    missing: s.missing,
    malformed: s.malformed.length,
    problems: s.problems.map((p) => ({ ...p, kind: p.kind as ManifestProblemKindEnum })),
  };
}

@ArgsType()
class VideoJobsArgs extends ConnectionArgs {
  @Field(() => VideoJobStatusEnum, { nullable: true }) status?: VideoJobStatusEnum | null;
  @Field(() => ID, { nullable: true }) manifestId?: string | null;
}

/**
 * Batch video jobs: import a manifest (processed in the server, in the background), list and
 * count jobs, resume after a crash, follow progress. Writes need the `ingest` scope; reads
 * `ingest` or `analytics:read`.
 */
@Resolver(() => VideoJobObject)
export class VideoJobResolver {
  constructor(
    private readonly jobs: VideoJobService,
    private readonly runner: VideoJobRunner,
    /** Signs `outputUrl`; none: the field is null (download with an Authorization header). */
    private readonly links: OutputLinkSigner | null = null,
  ) {}

  @Authorized()
  @Query(() => VideoJobConnection, { description: "The tenant's batch jobs in import order; filter by status and/or manifest." })
  async videoJobs(@Args(() => VideoJobsArgs) args: VideoJobsArgs, @Ctx() ctx: GraphQLContext): Promise<Connection<VideoJobObject>> {
    const tenantId = readerTenantOf(ctx);
    const { take, after } = pageRequest(args);
    if (args.manifestId && !uuid.safeParse(args.manifestId).success) return { edges: [], pageInfo: { hasNextPage: false, endCursor: null } };
    const page = await this.jobs.list(tenantId, take, after, { status: (args.status as VideoJobStatus | null | undefined) ?? null, manifestId: args.manifestId ?? null });
    return toConnection({ ...page, items: page.items.map((job) => toGraphQL(job, this.links)) });
  }

  @Authorized()
  @Query(() => VideoJobObject)
  async videoJob(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<VideoJobObject> {
    return toGraphQL(await this.jobs.getOrThrow(readerTenantOf(ctx), idOrNotFound('VideoJob', id)), this.links);
  }

  @Authorized()
  @Query(() => VideoJobCounts, { description: 'Jobs by status, of one manifest or of the whole tenant.' })
  async videoJobCounts(@Arg('manifestId', () => ID, { nullable: true }) manifestId: string | null, @Ctx() ctx: GraphQLContext): Promise<VideoJobCounts> {
    const tenantId = readerTenantOf(ctx);
    return toVideoJobCounts(await this.jobs.counts(tenantId, manifestId ? idOrNotFound('VideoManifest', manifestId) : null));
  }

  @Authorized('ingest')
  @Mutation(() => ManifestImport, {
    description: 'Imports a manifest CSV (paths on the server machine) and starts processing it in the background; follow videoJobProgress(manifestId).',
  })
  async importManifest(@Arg('input', () => ImportManifestInput) input: ImportManifestInput, @Ctx() ctx: GraphQLContext): Promise<ManifestImport> {
    const { csv, name } = parseInput(ImportManifestSchema, input);
    return toImport(await this.runner.importManifest(tenantOf(ctx), name, Buffer.from(csv, 'utf8')));
  }

  @Authorized('ingest')
  @Mutation(() => ResumeVideoJobsResult, {
    description:
      'Requeues failed jobs and processing jobs whose heartbeat is older than orphanedAfterSeconds (default: the server setting, 30 s), then processes everything queued in the background. A smaller threshold is safe: a runner that is merely slow is fenced out and never records its result.',
  })
  async resumeVideoJobs(@Arg('orphanedAfterSeconds', () => Int, { nullable: true }) orphanedAfterSeconds: number | null, @Ctx() ctx: GraphQLContext): Promise<ResumeVideoJobsResult> {
    const tenantId = tenantOf(ctx);
    const seconds = parseInput(OrphanedAfterSchema, orphanedAfterSeconds);
    const requeued = await this.runner.resume(tenantId, seconds === null || seconds === undefined ? {} : { orphanedAfterMs: seconds * 1000 });
    return { requeuedFailed: requeued.failed, requeuedOrphaned: requeued.orphaned, counts: toVideoJobCounts(await this.jobs.counts(tenantId)) };
  }

  @Authorized()
  @Subscription(() => VideoJobProgressObject, {
    topics: VIDEO_JOB_PROGRESS_TOPIC,
    topicId: ({ context }: { context: GraphQLContext }) => readerTenantOf(context),
    filter: ({ payload, args }: { payload: VideoJobProgressEvent; args: { manifestId?: string | null } }) => !args.manifestId || payload.manifestId === args.manifestId,
    description: "Status changes, frame progress and counts of this tenant's batch jobs (one manifest, or all), from every server replica.",
  })
  videoJobProgress(@Root() event: VideoJobProgressEvent, @Arg('manifestId', () => ID, { nullable: true }) _manifestId?: string | null): VideoJobProgressObject {
    return {
      ...event,
      kind: event.kind as VideoJobProgressKindEnum,
      status: event.status as VideoJobStatusEnum,
      counts: toVideoJobCounts(event.counts),
      tenantCounts: toVideoJobCounts(event.tenantCounts),
      at: new Date(event.at),
    };
  }
}
