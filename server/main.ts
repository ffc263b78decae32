import { loadConfig } from './config/config';
import { startTrinetraApp } from './app/trinetra-app';
import { seedDemoTenant, seedPlans } from './app/seed';
import { writeDemoCredentials } from './app/demo-credentials-file';
import { prepareDatabase } from './boot/prepare-database';
import { ensureRedis } from './boot/ensure-redis';
import { startWorkerPool } from './boot/worker-pool';
import { createLogger } from './observability/logger';

/**
 * `npm start`: find or start Postgres and Redis, migrate, seed, serve. Ctrl-C stops
 * everything it started.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const pg = await prepareDatabase(config.DATABASE_URL, config.DATA_DIR, logger);
  const redis = await ensureRedis(config.REDIS_URL, logger);
  const effective = { ...config, DATABASE_URL: pg.databaseUrl, REDIS_URL: redis.redisUrl };
  const workers = startWorkerPool(
    {
      processes: config.WORKER_PROCESSES,
      env: {
        REDIS_URL: redis.redisUrl,
        FRAME_QUEUE_NAME: config.FRAME_QUEUE_NAME,
        BULLMQ_PREFIX: config.BULLMQ_PREFIX,
        ...(config.WORKER_INFERENCE_BACKEND ? { INFERENCE_BACKEND: config.WORKER_INFERENCE_BACKEND } : {}),
      },
    },
    logger,
  );
  const app = await startTrinetraApp(effective, { logger });
  await seedPlans(app.db);
  // The demo's password and key go to a 0600 file, never to stdout: a server's stdout is a log.
  const demo = config.SEED_DEMO ? await seedDemoTenant(app.db, app.auth, config.DEMO_PASSWORD) : null;
  const demoFile = demo ? writeDemoCredentials(config.DATA_DIR, demo) : null;
  const base = app.http.url.replace('/graphql', '');
  process.stdout.write(
    [
      '',
      'Trinetra is running.',
      ...(config.DASHBOARD_URL ? [`  Dashboard         : ${config.DASHBOARD_URL}`] : []),
      `  GraphQL API + IDE : ${base}/graphql`,
      `  Frame upload      : ${base.replace(/^http/, 'ws')}/ingest`,
      `  Health / metrics  : ${base}/healthz  ${base}/readyz  ${base}/metrics`,
      `  Postgres          : ${pg.embedded ? 'embedded (started by npm start)' : 'external'}`,
      `  gpu-workers       : ${config.WORKER_PROCESSES} process(es)`,
      ...(demo && demoFile
        ? [`  Demo tenant       : sign in as ${demo.email}; password and API key in ${demoFile} (mode 0600)`]
        : ['  Demo tenant       : not seeded (SEED_DEMO=true seeds it)']),
      '',
    ].join('\n') + '\n',
  );
  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await app.stop().catch((err: unknown) => logger.error({ err }, 'error while stopping the app'));
    await workers.stop();
    await redis.stop();
    await pg.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`Trinetra failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
