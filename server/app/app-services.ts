import type { GraphQLSchema } from 'graphql';
import type { PubSub } from 'type-graphql';
import type { SystemDb, TenantDbFactory } from '@trinetra/db';
import { ZoneRepository, ZoneResolver, ZoneService } from '@trinetra/analytics';
import { join, resolve } from 'node:path';
import {
  CameraRepository,
  CameraResolver,
  CameraService,
  MediaAccess,
  mediaFileAccess,
  parseMediaRoots,
  PubSubVideoJobProgressPublisher,
  VideoJobRepository,
  VideoJobResolver,
  VideoJobRunner,
  VideoJobService,
  type CameraRuntime,
  type VideoProcessor,
} from '@trinetra/ingest';
import { PipelineResolver, TrackSummaryRepository, type TenantPipelineView } from '@trinetra/tracking';
import { AccessTokenService } from '../auth/access-token';
import { AuthResolver } from '../auth/auth.resolver';
import { AuthService } from '../auth/auth.service';
import type { AppConfig } from '../config/config';
import { buildGraphQLSchema } from '../graphql/schema';
import { PubSubCameraStatusPublisher } from './redis-camera-status-publisher';
import { DEFAULT_PLAN_CODE } from './seed';

/** Which server files tenants may read (MEDIA_ROOTS plus each tenant's own `<DATA_DIR>/media/<tenantId>/`). */
export function createMediaAccess(config: AppConfig): MediaAccess {
  return new MediaAccess({ roots: parseMediaRoots(config.MEDIA_ROOTS), dataDir: resolve(config.DATA_DIR) });
}

export interface AppServices {
  auth: AuthService;
  cameras: CameraService;
  zones: ZoneService;
  /** Batch video jobs run in this process's background; `videoJobs.stop()` belongs before closing the database. */
  videoJobs: VideoJobRunner;
  schema: GraphQLSchema;
}

/** Builds every module's services and the one schema; shared by the server and bench:api's bare baseline. */
export async function createAppServices(deps: {
  config: AppConfig;
  db: SystemDb;
  pubSub: PubSub;
  tenantDb: TenantDbFactory;
  cameraRuntime: CameraRuntime | null;
  /** Turns a batch video into its tracking output (the frame pipeline in the server). */
  videoProcessor: VideoProcessor;
  /** What the pipeline resolvers read (health, events, live tracks). */
  pipeline: TenantPipelineView;
  /** Where background failures (video job runs, progress publishing) are reported. */
  onBackgroundError?: (error: unknown) => void;
}): Promise<AppServices> {
  const { config, db, pubSub } = deps;
  const tenantDb = deps.tenantDb;
  const auth = new AuthService(db, tenantDb, new AccessTokenService({ secret: config.JWT_SECRET, ttlSeconds: config.ACCESS_TOKEN_TTL_S }), {
    accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_S,
    refreshTokenTtlSeconds: config.REFRESH_TOKEN_TTL_S,
    defaultPlanCode: DEFAULT_PLAN_CODE,
  });
  const cameraRepository = new CameraRepository(tenantDb);
  const media = createMediaAccess(config);
  const cameras = new CameraService(cameraRepository, new PubSubCameraStatusPublisher(pubSub), deps.cameraRuntime, { media });
  const zones = new ZoneService(new ZoneRepository(tenantDb));
  const videoJobService = new VideoJobService(new VideoJobRepository(tenantDb), mediaFileAccess(media), deps.videoProcessor, {
    outputDir: config.VIDEO_JOB_OUTPUT_DIR ?? join(config.DATA_DIR, 'outputs'),
    concurrency: config.VIDEO_JOB_CONCURRENCY,
  });
  const videoJobs = new VideoJobRunner(videoJobService, new PubSubVideoJobProgressPublisher(pubSub), deps.onBackgroundError ? { onError: deps.onBackgroundError } : {});
  const schema = await buildGraphQLSchema(
    [
      [AuthResolver, new AuthResolver(auth, tenantDb)],
      [CameraResolver, new CameraResolver(cameras)],
      [PipelineResolver, new PipelineResolver(deps.pipeline, new TrackSummaryRepository(tenantDb))],
      [VideoJobResolver, new VideoJobResolver(videoJobService, videoJobs)],
      [ZoneResolver, new ZoneResolver(zones, async (tenantId, ids) => (await cameraRepository.findByIds(tenantId, ids)).map((c) => ({ id: c.id, name: c.name })))],
    ],
    pubSub,
  );
  return { auth, cameras, zones, videoJobs, schema };
}
