import { Redis } from 'ioredis';
import { createSystemDb, createTenantDbFactory, type SystemDb } from '@trinetra/db';
import { ZoneRepository, ZoneResolver, ZoneService } from '@trinetra/analytics';
import { CameraRepository, CameraResolver, CameraService, type CameraRuntime } from '@trinetra/ingest';
import { AccessTokenService } from '../auth/access-token';
import { AuthResolver } from '../auth/auth.resolver';
import { AuthService } from '../auth/auth.service';
import type { AppConfig } from '../config/config';
import { ContextFactory } from '../graphql/context-factory';
import { createRedisPubSub } from '../graphql/redis-pub-sub';
import { buildGraphQLSchema } from '../graphql/schema';
import { RateLimiter } from '../http/rate-limiter';
import { type RunningHttpServer, startHttpServer } from '../http/http-server';
import { createLogger, type Logger } from '../observability/logger';
import { ServerMetrics } from '../observability/metrics';
import { DEFAULT_PLAN_CODE } from './seed';
import { PubSubCameraStatusPublisher } from './redis-camera-status-publisher';

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
}

/**
 * The composition root: builds every service from the validated config, wires modules'
 * resolvers into one schema and starts the HTTP/WebSocket server. Nothing else constructs
 * infrastructure clients.
 */
export async function startTrinetraApp(config: AppConfig, options: AppOptions = {}): Promise<TrinetraApp> {
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  const db = createSystemDb({ databaseUrl: config.DATABASE_URL, poolSize: config.DB_POOL_SIZE });
  const tenantDb = createTenantDbFactory(db);
  const redisOptions = { maxRetriesPerRequest: 3, lazyConnect: false };
  const redis = new Redis(config.REDIS_URL, redisOptions);
  const subscriber = new Redis(config.REDIS_URL, redisOptions);
  for (const [name, client] of [['redis', redis], ['redis-subscriber', subscriber]] as const) {
    client.on('error', (err) => logger.warn({ err: err.message, client: name }, 'redis connection error'));
  }
  const pubSub = createRedisPubSub(redis, subscriber);
  const metrics = new ServerMetrics();

  const auth = new AuthService(db, tenantDb, new AccessTokenService({ secret: config.JWT_SECRET, ttlSeconds: config.ACCESS_TOKEN_TTL_S }), {
    accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_S,
    refreshTokenTtlSeconds: config.REFRESH_TOKEN_TTL_S,
    defaultPlanCode: DEFAULT_PLAN_CODE,
  });
  const cameraRepository = new CameraRepository(tenantDb);
  const cameras = new CameraService(cameraRepository, new PubSubCameraStatusPublisher(pubSub), options.cameraRuntime ?? null);
  const zones = new ZoneService(new ZoneRepository(tenantDb));

  const schema = await buildGraphQLSchema(
    [
      [AuthResolver, new AuthResolver(auth, tenantDb)],
      [CameraResolver, new CameraResolver(cameras)],
      [ZoneResolver, new ZoneResolver(zones, async (tenantId, ids) => (await cameraRepository.findByIds(tenantId, ids)).map((c) => ({ id: c.id, name: c.name })))],
    ],
    pubSub,
  );
  const contexts = new ContextFactory(auth, db, new RateLimiter(redis), { anonymousPerMinute: config.RATE_LIMIT_ANON_PER_MIN });

  const http = await startHttpServer({
    config,
    logger,
    schema,
    contexts,
    metrics,
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
      await http.close();
      await Promise.allSettled([redis.quit(), subscriber.quit()]);
      await db.$disconnect();
    },
  };
}
