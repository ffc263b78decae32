import { Arg, Args, Authorized, Ctx, ID, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import { z } from 'zod';
import { type Connection, ConnectionArgs, ForbiddenError, type GraphQLContext, hasScope, NotFoundError, pageRequest, parseInput, toConnection, UnauthenticatedError } from '@trinetra/shared';
import type { CameraStatusChange } from '../application/camera-status-events';
import { CameraInputSchema, CameraPatchSchema } from '../application/camera.input';
import type { CameraService } from '../application/camera.service';
import type { CameraRow } from '../infra/camera.repository';
import { redactUrl } from '../domain/url-guard';
import { Camera, CameraConnection, CameraStatusChanged, CreateCameraInput, UpdateCameraInput } from './camera.types';

/** Topic of camera status changes; events are routed per tenant (topic id = tenant id). */
export const CAMERA_STATUS_TOPIC = 'CAMERA_STATUS_CHANGED';

function tenantOf(ctx: GraphQLContext): string {
  if (!ctx.principal) throw new UnauthenticatedError('sign in or send an API key');
  return ctx.principal.tenantId;
}

/**
 * Setting `identity` is consent to face embeddings, a biometric decision: it needs
 * `identity:write` besides `cameras:write`, and the caller is recorded as the one who consented.
 */
function identityActorOf(ctx: GraphQLContext, identity: boolean | undefined): string | undefined {
  if (identity === undefined || !ctx.principal) return undefined;
  if (!hasScope(ctx.principal, 'identity:write')) {
    throw new ForbiddenError('turning identity on or off for a camera needs the identity:write scope (consent to face embeddings)');
  }
  return `${ctx.principal.kind}:${ctx.principal.id}`;
}

/** Ids are UUIDs; anything else cannot exist, and answers NOT_FOUND like a foreign id. */
function cameraId(id: string): string {
  if (!z.string().uuid().safeParse(id).success) throw new NotFoundError('Camera', id);
  return id;
}

function toGraphQL(row: CameraRow): Camera {
  return { ...row, sourceUrl: row.sourceUrl === null ? null : redactUrl(row.sourceUrl) } as Camera;
}

@Resolver(() => Camera)
export class CameraResolver {
  constructor(private readonly service: CameraService) {}

  @Authorized('cameras:read')
  @Query(() => CameraConnection)
  async cameras(@Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: GraphQLContext): Promise<Connection<Camera>> {
    const { take, after } = pageRequest(args);
    const page = await this.service.list(tenantOf(ctx), take, after);
    return toConnection({ ...page, items: page.items.map(toGraphQL) });
  }

  @Authorized('cameras:read')
  @Query(() => Camera)
  async camera(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<Camera> {
    return toGraphQL(await this.service.getOrThrow(tenantOf(ctx), cameraId(id)));
  }

  @Authorized('cameras:write')
  @Mutation(() => Camera)
  async createCamera(@Arg('input', () => CreateCameraInput) input: CreateCameraInput, @Ctx() ctx: GraphQLContext): Promise<Camera> {
    const parsed = parseInput(CameraInputSchema, input);
    return toGraphQL(await this.service.create(tenantOf(ctx), parsed, identityActorOf(ctx, parsed.identity)));
  }

  @Authorized('cameras:write')
  @Mutation(() => Camera)
  async updateCamera(@Arg('id', () => ID) id: string, @Arg('input', () => UpdateCameraInput) input: UpdateCameraInput, @Ctx() ctx: GraphQLContext): Promise<Camera> {
    const parsed = parseInput(CameraPatchSchema, input);
    return toGraphQL(await this.service.update(tenantOf(ctx), cameraId(id), parsed, identityActorOf(ctx, parsed.identity)));
  }

  @Authorized('cameras:write')
  @Mutation(() => Camera, { description: 'Deletes the camera and its zones; returns what was deleted.' })
  async deleteCamera(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<Camera> {
    return toGraphQL(await this.service.delete(tenantOf(ctx), cameraId(id)));
  }

  @Authorized('cameras:write')
  @Mutation(() => Camera, { description: 'Sets the desired state to RUNNING and starts the source.' })
  async startCamera(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<Camera> {
    return toGraphQL(await this.service.start(tenantOf(ctx), cameraId(id)));
  }

  @Authorized('cameras:write')
  @Mutation(() => Camera)
  async stopCamera(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<Camera> {
    return toGraphQL(await this.service.stop(tenantOf(ctx), cameraId(id)));
  }

  @Authorized('cameras:read')
  @Subscription(() => CameraStatusChanged, {
    topics: CAMERA_STATUS_TOPIC,
    topicId: ({ context }: { context: GraphQLContext }) => tenantOf(context),
    filter: ({ payload, args }: { payload: CameraStatusChange; args: { cameraId?: string | null } }) => !args.cameraId || payload.cameraId === args.cameraId,
    description: "Status changes of this tenant's cameras, from every server replica.",
  })
  cameraStatusChanged(
    @Root() change: CameraStatusChange,
    @Arg('cameraId', () => ID, { nullable: true }) _cameraId?: string | null,
  ): CameraStatusChanged {
    return { cameraId: change.cameraId, status: change.status as CameraStatusChanged['status'], reason: change.reason, statusReason: change.statusReason ?? null, at: new Date(change.at) };
  }
}
