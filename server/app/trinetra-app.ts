import { Redis } from 'ioredis';
import type { PubSub } from 'type-graphql';
import { randomBytes, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { createSystemDb, createTenantDbFactory, type SystemDb } from '@trinetra/db';
import {
  AdmissionFrameSink,
  createCameraSource,
  createIngestUpgradeHandler,
  createOutputDownloadHandler,
  OUTPUTS_PATH_PREFIX,
  INGEST_PATH,
  uploadCameraLookup,
  type CameraService,
  type UploadSessionOptions,
} from '@trinetra/ingest';
import { NotFoundError, systemClock } from '@trinetra/shared';
import { OutboxUsageMeter, RedisUsageOutbox, USAGE_OUTBOX_STREAM, UsageLedgerRepository, UsageOutboxDrain } from '@trinetra/billing-safe';
import {
  BatchVideoProcessor,
  BullMqFrameTransport,
  CameraOwnership,
  ControlPlane,
  FramePipeline,
  PubSubPipelinePublisher,
  RedisCameraLeases,
  RedisTrackerCheckpointStore,
  registerControlPlaneMetrics,
  TrackSummaryRepository,
} from '@trinetra/tracking';
import type { AuthService } from '../auth/auth.service';
import { CREDENTIAL_REVOKED_TOPIC, parseCredentialRevocation } from '../auth/credential-revocation';
import { GraphqlWsLiveSessions } from '../auth/graphql-ws-live-sessions';
import { LiveSessionRegistry } from '../auth/live-session-registry';
import type { AppConfig } from '../config/config';
import { AuthAttemptGuard } from '../graphql/auth-attempt-guard';
import { ContextFactory } from '../graphql/context-factory';
import { createRedisPubSub } from '../graphql/redis-pub-sub';
import { RateLimiter } from '../http/rate-limiter';
import { type RunningHttpServer, startHttpServer } from '../http/http-server';
import { createLogger, type Logger } from '../observability/logger';
import { ServerMetrics } from '../observability/metrics';
import { createAppServices, createMediaAccess } from './app-services';
import { QuotaFrameAdmission, type FrameQuotaVerdicts } from './quota-frame-admission';
import { MeteredPipelinePublisher } from './metered-pipeline-publisher';
import { pubSubCameraControl } from './camera-control-bus';

/**
 * Revoking a credential (an API key, a sign-in) in one process reaches every process through
 * Redis pub/sub: each drops the cached key or remembers the ended sign-in, and closes the
 * sockets the credential opened (server/auth/live-session-registry.ts).
 */
function wireCredentialRevocations(auth: AuthService, pubSub: PubSub, logger: Logger): void {
  auth.useRevocationBroadcast({ publish: (revocation) => pubSub.publish(CREDENTIAL_REVOKED_TOPIC, revocation) });
  auth.reportBackgroundErrorsTo((err) => logger.warn({ err }, 'auth background write failed'));
  void (async () => {
    for await (const message of pubSub.subscribe(CREDENTIAL_REVOKED_TOPIC)) {
      const revocation = parseCredentialRevocation(message);
      if (revocation) auth.applyRevocation(revocation);
      else logger.warn({ message }, 'ignored a malformed credential revocation');
    }
  })().catch((err: unknown) => logger.error({ err }, 'credential revocation listener stopped'));
}

export interface TrinetraApp {
  http: RunningHttpServer;
  db: SystemDb;
  redis: Redis;
  logger: Logger;
  cameras: CameraService;
  auth: AuthService;
  pipeline: FramePipeline;
  controlPlane: ControlPlane;
  stop(): Promise<void>;
}

export interface AppOptions {
  logger?: Logger;
  /** Per-connection limits of the `/ingest` upload socket. */
  ingestSession?: Omit<UploadSessionOptions, 'clock'>;
  /** Start the cameras whose desired state is RUNNING (default true). */
  resumeCameras?: boolean;
}

/**
 * The composition root: builds every service from the validated config, wires modules'
 * resolvers into one schema and starts the HTTP/WebSocket server. Nothing else constructs
 * infrastructure clients.
 */
export async function startTrinetraApp(config: AppConfig, options: AppOptions = {}): Promise<TrinetraApp> {
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  const db = createSystemDb({ databaseUrl: config.DATABASE_URL, poolSize: config.DB_POOL_SIZE });
  const redisOptions = { maxRetriesPerRequest: 3, lazyConnect: false };
  const redis = new Redis(config.REDIS_URL, redisOptions);
  // No ready check on the subscriber: the camera control bus subscribes at once, and ioredis's
  // ready check (INFO) on a connection already in subscriber mode fails every start-up.
  const subscriber = new Redis(config.REDIS_URL, { ...redisOptions, enableReadyCheck: false });
  for (const [name, client] of [
    ['redis', redis],
    ['redis-subscriber', subscriber],
  ] as const) {
    client.on('error', (err) => logger.warn({ err: err.message, client: name }, 'redis connection error'));
  }
  const pubSub = createRedisPubSub(redis, subscriber);
  const metrics = new ServerMetrics();

  const tenantDb = createTenantDbFactory(db);

  // The frame pipeline (modules/tracking/pipeline): control plane (pending buffers, dispatch to
  // the worker pool over BullMQ), tracker sessions, and results out through ports.
  const controlPlane = new ControlPlane(
    new BullMqFrameTransport({ redis: config.REDIS_URL, queueName: config.FRAME_QUEUE_NAME, bullPrefix: config.BULLMQ_PREFIX, instanceId: randomUUID() }),
  );
  // Admission with the monthly frame allowance (non-BILLING frames): the verdicts come from
  // billing-safe, built inside createAppServices and handed to createPipeline below.
  let frameQuota: FrameQuotaVerdicts = { exhausted: () => false };
  const admission = new QuotaFrameAdmission(
    { clock: systemClock },
    { exhausted: (tenantId) => frameQuota.exhausted(tenantId) },
    async (cameraId) => (await db.camera.findUnique({ where: { id: cameraId }, select: { tenantId: true } }))?.tenantId ?? null,
    (err) => logger.warn({ err }, 'camera tenant lookup for frame quota failed'),
  );
  // Each running camera is processed by the one replica holding its lease (docs/ARCHITECTURE.md).
  const replicaId = `${(config.REPLICA_ID ?? hostname().replace(/[^A-Za-z0-9._-]/g, '-')).slice(0, 64)}-${randomBytes(4).toString('hex')}`;
  const ownership = new CameraOwnership(new RedisCameraLeases(redis, { owner: replicaId, ttlMs: config.CAMERA_LEASE_TTL_MS }), {
    renewEveryMs: config.CAMERA_LEASE_RENEW_MS,
  });
  logger.info({ replicaId }, 'camera lease owner id');
  // The usage ledger's writer, built first: the frame pipeline meters through it, billing-safe owns
  // it. Units wait in a Redis stream (the outbox) until this replica's drain, or any other's once
  // this one is dead, has inserted them (docs/QUOTAS.md, "Usage outbox").
  // One stream per database: the units belong to that database's tenants, and deployments (or
  // test runs) sharing a Redis must never drain each other's.
  const usageStream = `${USAGE_OUTBOX_STREAM}:${decodeURIComponent(new URL(config.DATABASE_URL).pathname.slice(1)) || 'default'}`;
  const usage = new OutboxUsageMeter(
    new RedisUsageOutbox(redis, usageStream),
    new UsageOutboxDrain(config.REDIS_URL, new UsageLedgerRepository(tenantDb, db), {
      consumer: replicaId,
      stream: usageStream,
      claimIdleMs: config.USAGE_OUTBOX_CLAIM_IDLE_MS,
      onError: (err) => logger.warn({ err }, 'usage ledger write failed; the units stay in the outbox'),
    }),
  );
  const media = createMediaAccess(config);
  const services = await createAppServices({
    config,
    db,
    tenantDb,
    pubSub,
    logger,
    createPipeline: ({ directory, statuses, onTracked, onFaces, onTracksEnded, frameQuota: verdicts }) => {
      frameQuota = verdicts;
      const framePipeline = new FramePipeline({
        controlPlane,
        admission,
        cameras: directory,
        statuses,
        publisher: new MeteredPipelinePublisher(new PubSubPipelinePublisher(pubSub), usage, (err) => logger.warn({ err }, 'frame result publish failed (not delivered, not metered)')),
        summaries: new TrackSummaryRepository(tenantDb),
        checkpoints: new RedisTrackerCheckpointStore(redis),
        createSource: (camera, allowlist) => createCameraSource(camera, allowlist, media),
        logger,
        onTracked,
        onFaces,
        onTracksEnded,
        ownership,
        control: pubSubCameraControl(pubSub, logger),
      }, { noDetectionWarningFrames: config.NO_DETECTION_WARNING_FRAMES });
      return { runtime: framePipeline, view: framePipeline, videoProcessor: new BatchVideoProcessor(controlPlane), framePipeline };
    },
    onBackgroundError: (err) => logger.error({ err }, 'background video job work failed'),
    usage,
    onInviteLink: (event) => logger.info(event, 'member invite created: hand this link to the invitee (no mail is sent)'),
    billingEvents: {
      onError: (err) => logger.error({ err }, 'webhook delivery work failed'),
      onEndpointDisabled: (event) => logger.warn(event, 'webhook endpoint disabled after failing'),
    },
  });
  const { auth, cameras, videoJobs, billing, schema } = services;
  billing.start();
  services.identity.metrics.register(metrics.registry);
  // The vector index answers from memory: rebuild what differs from Postgres before serving.
  const identityIndex = await services.identity.start();
  logger.info(identityIndex, 'identity vector index ready');
  const pipeline = services.pipeline.framePipeline;
  services.analytics.start();
  services.analyticsJobs.metrics.register(metrics.registry);
  services.analyticsJobs.retention.start();
  services.analyticsJobs.configChanges.start();
  services.motion.start();
  wireCredentialRevocations(auth, pubSub, logger);
  const liveSessions = new LiveSessionRegistry(auth);
  const limiter = new RateLimiter(redis);
  const contexts = new ContextFactory(auth, db, limiter, { anonymousPerMinute: config.RATE_LIMIT_ANON_PER_MIN, tenantMultiplier: config.RATE_LIMIT_TENANT_MULTIPLIER });
  const authAttempts = new AuthAttemptGuard(limiter, {
    signInFailuresPerAddress: config.SIGN_IN_FAILURES_PER_ADDRESS,
    signInFailuresPerEmail: config.SIGN_IN_FAILURES_PER_EMAIL,
    signInWindowMs: 15 * 60_000,
    signUpsPerAddressPerHour: config.SIGN_UP_PER_ADDRESS_PER_HOUR,
  });

  const ingestUpload = createIngestUpgradeHandler({
    auth: { authenticate: (authorization) => auth.authenticate(authorization), findCamera: uploadCameraLookup(cameras) },
    credentials: { open: (authorization, onEnd) => liveSessions.open(authorization, (_end, reason) => onEnd(reason)) },
    // Ordering, clock drift and burst suppression at the edge; sampling is the control plane's.
    sink: new AdmissionFrameSink({ admission, consumer: pipeline }),
    ...(options.ingestSession ? { session: options.ingestSession } : {}),
    logger,
  });

  // Batch outputs over HTTP: bearer token / API key (the CLI) or a signed link (the dashboard).
  const outputDownloads = createOutputDownloadHandler({
    authenticate: (authorization) => auth.authenticate(authorization),
    admit: (principal, address) => contexts.enforceRateLimit(principal, address).then(
      () => true,
      () => false,
    ),
    findJob: (tenantId, jobId) =>
      services.outputs.videoJobs.getOrThrow(tenantId, jobId).catch((error: unknown) => {
        if (error instanceof NotFoundError) return null;
        throw error;
      }),
    signer: services.outputs.signer,
    outputDir: services.outputs.outputDir,
  });

  controlPlane.start();
  registerControlPlaneMetrics(controlPlane.core, metrics.registry);
  pipeline.faults.register(metrics.registry);

  let http: RunningHttpServer;
  try {
    http = await startHttpServer({
      config,
      logger,
      schema,
      contexts,
      metrics,
      authAttempts,
      liveSessions: new GraphqlWsLiveSessions(liveSessions),
      upgrades: new Map([[INGEST_PATH, ingestUpload]]),
      prefixRoutes: new Map([[OUTPUTS_PATH_PREFIX, outputDownloads]]),
      readiness: async () => ({
        postgres: await db.$queryRaw`SELECT 1`.then(
          () => true,
          () => false,
        ),
        redis: await redis.ping().then(
          (r) => r === 'PONG',
          () => false,
        ),
      }),
    });
  } catch (error) {
    // The port is taken, say: release what was opened so the process can exit cleanly.
    await ingestUpload.close();
    await services.analyticsJobs.retention.stop();
    services.analyticsJobs.configChanges.stop();
    await services.analytics.close();
    await services.motion.close();
    await controlPlane.stop();
    await videoJobs.stop();
    await billing.close();
    await services.identity.stop();
    // Let pending SUBSCRIBEs of the pub/sub answer first, so quitting rejects nothing in flight.
    await Promise.allSettled([redis.ping(), subscriber.ping()]);
    await Promise.allSettled([redis.quit(), subscriber.quit()]);
    await db.$disconnect();
    throw error;
  }
  logger.info({ url: http.url }, 'Trinetra API listening');
  const stop = async (): Promise<void> => {
    await ingestUpload.close();
    await http.close();
    await pipeline.close();
    await services.analyticsJobs.retention.stop();
    services.analyticsJobs.configChanges.stop();
    await services.analytics.close();
    await services.motion.close();
    await controlPlane.stop();
    await videoJobs.stop();
    await billing.close();
    await services.identity.stop();
    await Promise.allSettled([redis.quit(), subscriber.quit()]);
    await db.$disconnect();
  };
  if (options.resumeCameras ?? true) {
    // Cameras that fail to resume are counted faults (the pipeline's); only losing the camera
    // list itself (Postgres gone) stops start-up, and then nothing opened may stay open.
    await pipeline.resume().catch(async (error: unknown) => {
      await stop();
      throw error;
    });
    // Keeps the leases alive and takes over running cameras a dead replica held.
    pipeline.startOwnershipLoop();
  }

  return {
    http,
    db,
    redis,
    logger,
    cameras,
    auth,
    pipeline,
    controlPlane,
    stop,
  };
}
