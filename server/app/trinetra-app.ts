import { Redis } from 'ioredis';
import type { PubSub } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { createSystemDb, createTenantDbFactory, type SystemDb } from '@trinetra/db';
import { AdmissionFrameSink, createIngestUpgradeHandler, FrameAdmission, INGEST_PATH, uploadCameraLookup, type CameraService, type UploadSessionOptions } from '@trinetra/ingest';
import { systemClock } from '@trinetra/shared';
import {
  BatchVideoProcessor,
  BullMqFrameTransport,
  ControlPlane,
  FramePipeline,
  PubSubPipelinePublisher,
  RedisTrackerCheckpointStore,
  registerControlPlaneMetrics,
  TrackSummaryRepository,
} from '@trinetra/tracking';
import { createFrameSource } from '../pipeline/frame-source.factory';
import type { AuthService } from '../auth/auth.service';
import type { AppConfig } from '../config/config';
import { AuthAttemptGuard } from '../graphql/auth-attempt-guard';
import { ContextFactory } from '../graphql/context-factory';
import { createRedisPubSub } from '../graphql/redis-pub-sub';
import { RateLimiter } from '../http/rate-limiter';
import { type RunningHttpServer, startHttpServer } from '../http/http-server';
import { createLogger, type Logger } from '../observability/logger';
import { ServerMetrics } from '../observability/metrics';
import { createAppServices, createMediaAccess } from './app-services';

const API_KEY_REVOKED_TOPIC = 'API_KEY_REVOKED';

/** Revoking a key in one process drops it from every process's cache, through Redis pub/sub. */
function wireApiKeyRevocations(auth: AuthService, pubSub: PubSub, logger: Logger): void {
  auth.useRevocationBroadcast({ publish: (prefix) => pubSub.publish(API_KEY_REVOKED_TOPIC, prefix) });
  void (async () => {
    for await (const prefix of pubSub.subscribe(API_KEY_REVOKED_TOPIC)) auth.forgetApiKey(String(prefix));
  })().catch((err: unknown) => logger.error({ err }, 'API key revocation listener stopped'));
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
  const subscriber = new Redis(config.REDIS_URL, redisOptions);
  for (const [name, client] of [['redis', redis], ['redis-subscriber', subscriber]] as const) {
    client.on('error', (err) => logger.warn({ err: err.message, client: name }, 'redis connection error'));
  }
  const pubSub = createRedisPubSub(redis, subscriber);
  const metrics = new ServerMetrics();

  const tenantDb = createTenantDbFactory(db);

  // The frame pipeline (modules/tracking/pipeline): control plane (pending buffers, dispatch to
  // the worker pool over BullMQ), tracker sessions, and results out through ports.
  const controlPlane = new ControlPlane(new BullMqFrameTransport({ redis: config.REDIS_URL, queueName: config.FRAME_QUEUE_NAME, bullPrefix: config.BULLMQ_PREFIX, instanceId: randomUUID() }));
  const admission = new FrameAdmission({ clock: systemClock });
  const media = createMediaAccess(config);
  const services = await createAppServices({
    config,
    db,
    tenantDb,
    pubSub,
    createPipeline: ({ directory, statuses }) => {
      const framePipeline = new FramePipeline({
        controlPlane,
        admission,
        cameras: directory,
        statuses,
        publisher: new PubSubPipelinePublisher(pubSub),
        summaries: new TrackSummaryRepository(tenantDb),
        checkpoints: new RedisTrackerCheckpointStore(redis),
        createSource: (camera, allowlist) => createFrameSource(camera, allowlist, media),
        logger,
      });
      return { runtime: framePipeline, view: framePipeline, videoProcessor: new BatchVideoProcessor(controlPlane), framePipeline };
    },
    onBackgroundError: (err) => logger.error({ err }, 'background video job work failed'),
  });
  const { auth, cameras, videoJobs, schema } = services;
  const pipeline = services.pipeline.framePipeline;
  wireApiKeyRevocations(auth, pubSub, logger);
  const limiter = new RateLimiter(redis);
  const contexts = new ContextFactory(auth, db, limiter, { anonymousPerMinute: config.RATE_LIMIT_ANON_PER_MIN });
  const authAttempts = new AuthAttemptGuard(limiter, {
    signInFailuresPerAddress: config.SIGN_IN_FAILURES_PER_ADDRESS,
    signInFailuresPerEmail: config.SIGN_IN_FAILURES_PER_EMAIL,
    signInWindowMs: 15 * 60_000,
    signUpsPerAddressPerHour: config.SIGN_UP_PER_ADDRESS_PER_HOUR,
  });

  const ingestUpload = createIngestUpgradeHandler({
    auth: { authenticate: (authorization) => auth.authenticate(authorization), findCamera: uploadCameraLookup(cameras) },
    // Ordering, clock drift and burst suppression at the edge; sampling is the control plane's.
    sink: new AdmissionFrameSink({ admission, consumer: pipeline }),
    ...(options.ingestSession ? { session: options.ingestSession } : {}),
    logger,
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
      upgrades: new Map([[INGEST_PATH, ingestUpload]]),
      readiness: async () => ({
        postgres: await db.$queryRaw`SELECT 1`.then(() => true, () => false),
        redis: await redis.ping().then((r) => r === 'PONG', () => false),
      }),
    });
  } catch (error) {
    // The port is taken, say: release what was opened so the process can exit cleanly.
    await ingestUpload.close();
    await controlPlane.stop();
    await videoJobs.stop();
    // Let pending SUBSCRIBEs of the pub/sub answer first, so quitting rejects nothing in flight.
    await Promise.allSettled([redis.ping(), subscriber.ping()]);
    await Promise.allSettled([redis.quit(), subscriber.quit()]);
    await db.$disconnect();
    throw error;
  }
  logger.info({ url: http.url }, 'Trinetra API listening');
  if (options.resumeCameras ?? true) {
    await pipeline.resume();
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
    stop: async () => {
      await ingestUpload.close();
      await http.close();
      await pipeline.close();
      await controlPlane.stop();
      await videoJobs.stop();
      await Promise.allSettled([redis.quit(), subscriber.quit()]);
      await db.$disconnect();
    },
  };
}
