import type { GraphQLSchema } from 'graphql';
import type { PubSub } from 'type-graphql';
import type { SystemDb, TenantDbFactory } from '@trinetra/db';
import {
  AlertRepository,
  AlertResolver,
  AlertService,
  AnalyticsEngine,
  AnalyticsRetentionJob,
  AnalyticsRetentionRepository,
  JourneyRepository,
  JourneyResolver,
  JourneyService,
  PromAnalyticsMetrics,
  AnalyticsQueryRepository,
  AnalyticsQueryService,
  AnalyticsResolver,
  AnalyticsWriteRepository,
  PrismaAnalyticsConfigSource,
  PubSubAnalyticsPublisher,
  TenantSql,
  ZoneRepository,
  ZoneResolver,
  ZoneService,
  type AnalyticsFrame,
  type AnalyticsLogger,
} from '@trinetra/analytics';
import { createBillingSafeModule, type UsageLedgerWriter, type BillingSafeModule, type WebhookEndpointDisabled } from '@trinetra/billing-safe';
import { createIdentityModule, type IdentityModule } from '@trinetra/identity';
import { LiveIdentityResolver, LiveTrackIdentifier, MODEL_THRESHOLDS, PrismaPersonNames, PrismaPersonVisits, PubSubIdentityMatchedPublisher, type LiveFaceSighting } from '@trinetra/identity';
import { decodeIdentityMasterKey } from '../config/dev-identity-master-key';
import { LazyFaceEmbedder } from './identity-face-embedder';
import { join, resolve } from 'node:path';
import {
  CameraRepository,
  CameraResolver,
  CameraService,
  CameraStatusRecorder,
  dnsResolver,
  hostInterfaceAddresses,
  MediaAccess,
  mediaFileAccess,
  OutputLinkSigner,
  ServerSourceProbe,
  parseMediaRoots,
  PrismaCameraDirectory,
  PubSubVideoJobProgressPublisher,
  VideoJobRepository,
  VideoJobResolver,
  VideoJobRunner,
  VideoJobService,
  type CameraRuntime,
  type VideoProcessor,
} from '@trinetra/ingest';
import { systemClock, type CameraDirectory } from '@trinetra/shared';
import { PipelineResolver, TrackSummaryRepository, type TenantPipelineView } from '@trinetra/tracking';
import { AccessTokenService } from '../auth/access-token';
import { AuthResolver } from '../auth/auth.resolver';
import { AuthService } from '../auth/auth.service';
import { MemberResolver } from '../auth/members/member.resolver';
import { MemberService, type MemberServiceOptions } from '../auth/members/member.service';
import type { AppConfig } from '../config/config';
import { buildGraphQLSchema } from '../graphql/schema';
import { PubSubCameraStatusPublisher } from './redis-camera-status-publisher';
import type { FrameQuotaVerdicts } from './quota-frame-admission';
import { broadcastAnalyticsConfigChanges } from './analytics-config-bus';
import { identityMatchedFanOut, IdentityToAnalytics } from './identity-analytics.adapter';
import { faceQualityOf, type QualityTrack } from './face-quality';
import { AlertFanOut, CameraStatusFanOut, IdentityMatchedWebhooks, VideoJobFanOut } from './webhook-event-adapters';
import { DEFAULT_PLAN_CODE } from './seed';
import { createMotionServices, type MotionServices } from './motion-services';

/** Which server files tenants may read (MEDIA_ROOTS plus each tenant's own `<DATA_DIR>/media/<tenantId>/`). */
export function createMediaAccess(config: AppConfig): MediaAccess {
  return new MediaAccess({ roots: parseMediaRoots(config.MEDIA_ROOTS), dataDir: resolve(config.DATA_DIR) });
}

/** What the frame pipeline gets from ingest's cameras: read access and status recording. */
export interface CameraParts {
  directory: CameraDirectory;
  statuses: CameraStatusRecorder;
  /** Where each tracked frame goes (the analytics engine). */
  onTracked: (tenantId: string, cameraId: string, frame: AnalyticsFrame) => void;
  /** Whether a tenant's monthly frame allowance is used up (billing-safe; live admission of non-BILLING frames). */
  frameQuota: FrameQuotaVerdicts;
  /** Each tracked frame's face vectors (cameras with identity on): identity's live matching. */
  onFaces: (tenantId: string, cameraId: string, frame: { captureTs: number; tracks: readonly QualityTrack[] }, faces: readonly LiveFaceSighting[]) => void;
  /** A stopped camera's tracks ended: per-track state of identity and analytics goes (track ids restart). */
  onTracksEnded: (tenantId: string, cameraId: string) => void;
}

/** The frame pipeline as the services see it (the server's FramePipeline, or none for bench:api's bare baseline). */
export interface PipelineParts {
  runtime: CameraRuntime | null;
  /** What the pipeline resolvers read (health, events, live tracks). */
  view: TenantPipelineView;
  /** Turns a batch video into its tracking output. */
  videoProcessor: VideoProcessor;
}

export interface AppServices<P extends PipelineParts> {
  auth: AuthService;
  cameras: CameraService;
  cameraDirectory: CameraDirectory;
  zones: ZoneService;
  /** Zones, lines, heatmaps and alerts of tracked frames; `start()` runs its flush timer, `close()` belongs before closing the database. */
  analytics: AnalyticsEngine;
  /**
   * Analytics metrics (register on the process registry), the retention job and the listener for
   * other replicas' zone/rule changes (each `start()` / `stop()`).
   */
  analyticsJobs: { metrics: PromAnalyticsMetrics; retention: AnalyticsRetentionJob; configChanges: { start(): void; stop(): void } };
  pipeline: P;
  /** Batch video jobs run in this process's background; `videoJobs.stop()` belongs before closing the database. */
  videoJobs: VideoJobRunner;
  /** Plans, quotas, webhooks; `billing.start()` consumes delivery attempts, `billing.close()` belongs before closing Redis. */
  billing: BillingSafeModule;
  /** People, matching and the live identity rules; `identity.start()` rebuilds the vector index from Postgres, `identity.stop()` belongs before closing the database. */
  identity: IdentityModule;
  /** Batch output downloads (`GET /outputs/<jobId>`): the link signer, the outputs' root, a tenant-scoped job lookup. */
  outputs: { signer: OutputLinkSigner; outputDir: string; videoJobs: VideoJobService };
  /** Coaching motion analyses; `motion.start()` runs the batch worker, `motion.close()` belongs before closing Redis. */
  motion: MotionServices;
  schema: GraphQLSchema;
}

/**
 * Builds every module's services and the one schema; shared by the server and bench:api's bare
 * baseline. The pipeline is built from ingest's camera parts before the camera service, which
 * starts and stops it: dependencies point one way, nothing is bound late.
 */
export async function createAppServices<P extends PipelineParts>(deps: {
  config: AppConfig;
  db: SystemDb;
  pubSub: PubSub;
  tenantDb: TenantDbFactory;
  createPipeline: (cameras: CameraParts) => P;
  /** Where analytics faults (batch writes, zone loads) are logged. Default: the console. */
  logger?: AnalyticsLogger;
  /** Where background failures (video job runs, progress publishing) are reported. */
  onBackgroundError?: (error: unknown) => void;
  /** Where webhook faults (delivery worker, event fan-out) and endpoints disabled for failing go. */
  billingEvents?: { onError(error: unknown): void; onEndpointDisabled(event: WebhookEndpointDisabled): void };
  /** The usage ledger's writer when the caller built it (the server's frame pipeline meters through it). */
  usage?: UsageLedgerWriter;
  /** Where invite links go (no mail server: the server log). Default: the console. */
  onInviteLink?: MemberServiceOptions['onInviteLink'];
}): Promise<AppServices<P>> {
  const { config, db, pubSub, tenantDb } = deps;
  const auth = new AuthService(db, tenantDb, new AccessTokenService({ secret: config.JWT_SECRET, ttlSeconds: config.ACCESS_TOKEN_TTL_S }), {
    accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_S,
    refreshTokenTtlSeconds: config.REFRESH_TOKEN_TTL_S,
    defaultPlanCode: DEFAULT_PLAN_CODE,
  });
  const cameraRepository = new CameraRepository(tenantDb);
  const cameraDirectory = new PrismaCameraDirectory(cameraRepository, db);
  const billing = createBillingSafeModule({
    tenantDb,
    cameras: cameraDirectory,
    counters: {
      cameras: (tenantId) => cameraRepository.count(tenantId),
      concurrent_streams: (tenantId) => tenantDb(tenantId).camera.count({ where: { desiredStatus: 'RUNNING' } }),
    },
    guard: { resolveHost: dnsResolver, selfAddresses: hostInterfaceAddresses },
    redisUrl: config.REDIS_URL,
    queueName: config.WEBHOOK_QUEUE_NAME,
    bullPrefix: config.BULLMQ_PREFIX,
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    secretGraceMs: config.WEBHOOK_SECRET_GRACE_S * 1000,
    ...(deps.billingEvents ?? {}),
    ...(deps.usage ? { usage: deps.usage } : {}),
  });
  const reportFanOut = (error: unknown): void => deps.billingEvents?.onError(error);
  const statuses = new CameraStatusRecorder(
    cameraRepository,
    new CameraStatusFanOut(new PubSubCameraStatusPublisher(pubSub), billing.webhookDeliveries, reportFanOut),
  );
  const zoneRepository = new ZoneRepository(tenantDb);
  const alertRepository = new AlertRepository(tenantDb);
  const tenantSql = new TenantSql(db);
  const analyticsMetrics = new PromAnalyticsMetrics(systemClock);
  const analyticsRetention = new AnalyticsRetentionJob({ repository: new AnalyticsRetentionRepository(db, tenantSql), clock: systemClock, logger: deps.logger ?? console });
  const analytics = new AnalyticsEngine({
    config: new PrismaAnalyticsConfigSource(zoneRepository, alertRepository),
    store: new AnalyticsWriteRepository(tenantDb, tenantSql),
    publisher: new AlertFanOut(new PubSubAnalyticsPublisher(pubSub), billing.webhookDeliveries, reportFanOut),
    logger: deps.logger ?? console,
    clock: systemClock,
    metrics: analyticsMetrics,
  });
  const pipeline = deps.createPipeline({
    directory: cameraDirectory,
    statuses,
    frameQuota: billing.frameQuota,
    onTracked: (tenantId, cameraId, frame) => {
      analytics.onTracked(tenantId, cameraId, frame);
      // Frames flow only after the services are built, so motion (below) exists by then.
      motion.onTracked(tenantId, cameraId, frame);
    },
    // Frames flow only after the services are built, so liveIdentity (below) exists by then.
    onFaces: (tenantId, cameraId, frame, faces) =>
      liveIdentity.onFaces(
        tenantId,
        cameraId,
        frame.captureTs,
        faces.map((f) => withQuality(f, faceQualityOf(frame.tracks, f.trackId))),
      ),
    onTracksEnded: (tenantId, cameraId) => {
      analytics.tracksEnded(tenantId, cameraId);
      liveIdentity.forgetCamera(cameraId);
    },
  });
  const media = createMediaAccess(config);
  const cameras = new CameraService(cameraRepository, statuses, pipeline.runtime, { media, quotas: billing.quotas, probe: new ServerSourceProbe() });
  // Zone/rule edits reach the replica that owns the camera (analytics state follows camera leases).
  const analyticsConfig = broadcastAnalyticsConfigChanges(pubSub, deps.logger ?? console, (tenantId, cameraId) => analytics.invalidate(tenantId, cameraId));
  const reloadAnalytics = analyticsConfig.changed;
  const zones = new ZoneService(zoneRepository, cameraDirectory, reloadAnalytics);
  const alerts = new AlertService(alertRepository, zoneRepository, reloadAnalytics);
  const outputDir = config.VIDEO_JOB_OUTPUT_DIR ?? join(config.DATA_DIR, 'outputs');
  const outputLinks = new OutputLinkSigner(config.JWT_SECRET);
  const videoJobService = new VideoJobService(new VideoJobRepository(tenantDb), mediaFileAccess(media), pipeline.videoProcessor, {
    outputDir,
    concurrency: config.VIDEO_JOB_CONCURRENCY,
  });
  const videoJobs = new VideoJobRunner(
    videoJobService,
    new VideoJobFanOut(new PubSubVideoJobProgressPublisher(pubSub), billing.webhookDeliveries, reportFanOut),
    deps.onBackgroundError ? { onError: deps.onBackgroundError } : {},
  );
  const motion = createMotionServices({
    config,
    tenantSql,
    pubSub,
    billing,
    media,
    videoJobService,
    videoJobs,
    cameras: cameraDirectory,
    onError: reportFanOut,
    ...(deps.onBackgroundError ? { onBackgroundError: deps.onBackgroundError } : {}),
  });
  const identity = createIdentityModule({
    db,
    tenantDb,
    masterKey: decodeIdentityMasterKey(config.IDENTITY_MASTER_KEY),
    ...(config.IDENTITY_MASTER_KEY_PREVIOUS ? { previousMasterKey: decodeIdentityMasterKey(config.IDENTITY_MASTER_KEY_PREVIOUS, 'IDENTITY_MASTER_KEY_PREVIOUS') } : {}),
    faces: new LazyFaceEmbedder(),
    cameras: cameraDirectory,
    dataDir: config.DATA_DIR,
    ...(config.MILVUS_ADDRESS ? { milvusAddress: config.MILVUS_ADDRESS } : {}),
  });
  // Names on live tracks (issue 13): 5-frame vote over gallery matches, then the sighting gate.
  const liveIdentity = new LiveTrackIdentifier({
    matcher: identity.matcher,
    gate: {
      observe: (tenantId, sighting) => identity.sightings.observe(tenantId, sighting),
      endCamera: (tenantId, cameraId) => identity.sightings.endCamera(tenantId, cameraId),
    },
    // Gallery EMA from named tracks (at most once per person per minute; the model's base thresholds).
    gallery: {
      refreshFromSighting: async (tenantId, personId, model, sighting, quality) => {
        const thresholds = MODEL_THRESHOLDS[model];
        return thresholds ? identity.gallery.refreshFromSighting(tenantId, personId, model, sighting, quality, thresholds) : false;
      },
    },
    names: new PrismaPersonNames(tenantDb),
    visits: new PrismaPersonVisits(db),
    publisher: identityMatchedFanOut(
      new PubSubIdentityMatchedPublisher(pubSub),
      new IdentityToAnalytics(tenantDb, analytics, reportFanOut),
      new IdentityMatchedWebhooks(billing.webhookDeliveries, reportFanOut),
    ),
    onError: (error) => deps.onBackgroundError?.(error),
  });
  const schema = await buildGraphQLSchema(
    [
      [LiveIdentityResolver, new LiveIdentityResolver(liveIdentity)],
      [AuthResolver, new AuthResolver(auth, tenantDb)],
      [
        MemberResolver,
        new MemberResolver(
          new MemberService(db, tenantDb, auth, { dashboardUrl: config.DASHBOARD_URL ?? 'http://localhost:3000', onInviteLink: deps.onInviteLink ?? ((event) => console.info('member invite', event)) }),
          config.REFRESH_TOKEN_TTL_S,
        ),
      ],
      [CameraResolver, new CameraResolver(cameras)],
      [PipelineResolver, new PipelineResolver(pipeline.view, new TrackSummaryRepository(tenantDb), cameraDirectory)],
      [VideoJobResolver, new VideoJobResolver(videoJobService, videoJobs, outputLinks)],
      ...billing.resolvers,
      ...identity.resolvers,
      [
        AnalyticsResolver,
        new AnalyticsResolver(new AnalyticsQueryService(new AnalyticsQueryRepository(tenantSql), zoneRepository, cameraDirectory), analytics),
      ],
      [AlertResolver, new AlertResolver(alerts)],
      [JourneyResolver, new JourneyResolver(new JourneyService(new JourneyRepository(tenantSql), cameraDirectory))],
      motion.resolver,
      [
        ZoneResolver,
        new ZoneResolver(zones, async (tenantId, ids) => (await cameraDirectory.findMany(tenantId, ids)).map((c) => ({ id: c.id, name: c.name }))),
      ],
    ],
    pubSub,
  );
  const outputs = { signer: outputLinks, outputDir, videoJobs: videoJobService };
  return { auth, cameras, cameraDirectory, zones, analytics, analyticsJobs: { metrics: analyticsMetrics, retention: analyticsRetention, configChanges: analyticsConfig }, pipeline, videoJobs, billing, motion, identity, outputs, schema };
}

function withQuality(face: LiveFaceSighting, quality: number | undefined): LiveFaceSighting {
  return quality === undefined ? face : { ...face, quality };
}
