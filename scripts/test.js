#!/usr/bin/env node
// `npm test`: finds (or starts) Postgres and Redis exactly like `npm start`, prepares the
// models, runs every jest project, and removes the databases the run created. Each
// integration test file works in its own fresh database (server/test/support/test-database.ts).
// Extra arguments go to jest (e.g. `npm test -- --selectProjects unit`).
'use strict';
const { spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const path = require('node:path');
const { Client } = require('pg');
const { ensureDashboardBuild } = require('./dashboard-build');

const root = path.resolve(__dirname, '..');
const { loadConfig } = require(path.join(root, 'server/dist/config/config.js'));
const { ensurePostgres } = require(path.join(root, 'server/dist/boot/ensure-postgres.js'));
const { ensureRedis } = require(path.join(root, 'server/dist/boot/ensure-redis.js'));
const { createLogger } = require(path.join(root, 'server/dist/observability/logger.js'));

const TEST_DB_PREFIX = 'trinetra_test_';

function adminUrl(url) {
  const u = new URL(url);
  u.pathname = '/postgres';
  return u.toString();
}

/**
 * Drops this run's test databases (names carry the run id, see server/test/support/test-database.ts)
 * and any older than 6 h (crashed runs). Databases of another run going on at the same time stay.
 */
async function sweepTestDatabases(url, runId) {
  const client = new Client({ connectionString: adminUrl(url) });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${TEST_DB_PREFIX}%`]);
    const staleBefore = Date.now() - 6 * 3600_000;
    for (const { datname } of rows) {
      const created = parseInt(datname.slice(TEST_DB_PREFIX.length).split('_')[0], 36);
      if (datname.includes(`_${runId}_`) || created < staleBefore) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
}

function run(cmd, args, env) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', env });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main() {
  const runId = `r${randomBytes(4).toString('hex')}`;
  // The ONNX models the inference tests run: converted when missing or when their source changed.
  const prepared = await run(process.execPath, [path.join(root, 'gpu-worker/dist/models/prepare-models.js')], process.env);
  if (prepared !== 0) {
    throw new Error('model preparation failed (see the [models] lines above); fix the cause and retry, or run `npm run models:prepare` on its own');
  }
  // The browser tests need the dashboard's production build; made here, once, before jest runs
  // its test files in parallel (two `next build`s in one folder refuse each other).
  if (!ensureDashboardBuild({ log: (m) => console.log(`npm test: ${m}`) })) {
    throw new Error('the dashboard build failed (see above)');
  }
  const config = loadConfig({ ...process.env, DATA_DIR: process.env.DATA_DIR ?? path.join(root, '.trinetra') });
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn', 'trinetra-test');
  const pg = await ensurePostgres(config.DATABASE_URL, config.DATA_DIR, logger);
  const redis = await ensureRedis(config.REDIS_URL, logger);
  const env = {
    ...process.env,
    TEST_RUN_ID: runId,
    TEST_DATABASE_URL: pg.databaseUrl,
    TEST_REDIS_URL: redis.redisUrl,
    DATABASE_URL: pg.databaseUrl,
    REDIS_URL: redis.redisUrl,
  };
  let code;
  try {
    const jest = require.resolve('jest/bin/jest', { paths: [root] });
    // No --forceExit: a test file that leaves a connection, timer or process open keeps jest
    // from exiting, which is a bug to fix where it is opened (find it with --detectOpenHandles).
    code = await run(process.execPath, [jest, ...process.argv.slice(2)], env);
  } finally {
    await sweepTestDatabases(pg.databaseUrl, runId).catch((err) => console.error('could not remove test databases:', err.message));
    await redis.stop();
    await pg.stop();
  }
  process.exit(code);
}

main().catch((err) => {
  console.error(`npm test could not start: ${err && err.message ? err.message : err}`);
  process.exit(1);
});
