import { Redis } from 'ioredis';
import type { PubSub } from 'type-graphql';
import { createSystemDb, type SystemDb } from '@trinetra/db';
import { AdmissionFrameSink, createIngestUpgradeHandler, FrameAdmission, INGEST_PATH, uploadCameraLookup, type CameraRuntime, type CameraService, type FrameSink, type UploadSessionOptions } from '@trinetra/ingest';
import { systemClock } from '@trinetra/shared';
import type { AuthService } from '../auth/auth.service';
import type { AppConfig } from '../config/config';
import { ContextFactory } from '../graphql/context-factory';
import { createRedisPubSub } from '../graphql/redis-pub-sub';
import { RateLimiter } from '../http/rate-limiter';
import { type RunningHttpServer, startHttpServer } from '../http/http-server';
import { createLogger, type Logger } from '../observability/logger';
import { ServerMetrics } from '../observability/metrics';
import { createAppServices } from './app-services';

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
  stop(): Promise<void>;
}

export interface AppOptions {
  logger?: Logger;
  /** Starts and stops camera sources; the control plane provides it. */
  cameraRuntime?: CameraRuntime | null;
  /** The `/ingest` upload socket: where frames go (default: admission, then discarded until the control plane is wired) and per-connection limits. */
  ingest?: { sink?: FrameSink; session?: Omit<UploadSessionOptions, 'clock'> };
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

  const { auth, cameras, videoJobs, schema } = await createAppServices({
    config,
    db,
    pubSub,
    cameraRuntime: options.cameraRuntime ?? null,
    onBackgroundError: (err) => logger.error({ err }, 'background video job work failed'),
  });
  wireApiKeyRevocations(auth, pubSub, logger);
  const contexts = new ContextFactory(auth, db, new RateLimiter(redis), { anonymousPerMinute: config.RATE_LIMIT_ANON_PER_MIN });

  const ingestUpload = createIngestUpgradeHandler({
    auth: { authenticate: (authorization) => auth.authenticate(authorization), findCamera: uploadCameraLookup(cameras) },
    sink: options.ingest?.sink ?? new AdmissionFrameSink({ admission: new FrameAdmission({ clock: systemClock }) }),
    ...(options.ingest?.session ? { session: options.ingest.session } : {}),
    logger,
  });

  const http = await startHttpServer({
    config,
    logger,
    schema,
    contexts,
    metrics,
    upgrades: new Map([[INGEST_PATH, ingestUpload]]),
    readiness: async () => ({
      postgres: await db.$queryRaw`SELECT 1`.then(() => true, () => false),
      redis: await redis.ping().then((r) => r === 'PONG', () => false),
    }),
  });
  logger.info({ url: http.url }, 'Trinetra API listening');

  return {
    http,
    db,
    redis,
    logger,
    cameras,
    auth,
    stop: async () => {
      await ingestUpload.close();
      await http.close();
      await videoJobs.stop();
      await Promise.allSettled([redis.quit(), subscriber.quit()]);
      await db.$disconnect();
    },
  };
}
