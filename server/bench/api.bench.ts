import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { applyMigrations, createTenantDbFactory } from '@trinetra/db';
import { FileVideoProcessor } from '@trinetra/ingest';
import { idlePipelineView } from '@trinetra/tracking';
import type { GraphQLContext, Principal } from '@trinetra/shared';
import { createLoaderRegistry } from '@trinetra/shared';
import { createAppServices } from '../app/app-services';
import { seedPlans } from '../app/seed';
import { startTrinetraApp } from '../app/trinetra-app';
import { ensurePostgres } from '../boot/ensure-postgres';
import { ensureRedis } from '../boot/ensure-redis';
import { loadConfig } from '../config/config';
import { createRedisPubSub } from '../graphql/redis-pub-sub';
import { createLogger } from '../observability/logger';

/**
 * bench:api — an authenticated `cameras(first: 20)` query under load from a separate process
 * (autocannon), against (1) Trinetra's full server, (2) a bare Apollo standalone server with the
 * same schema and resolvers but none of our middleware (no auth, rate limit, query limits, error
 * mapping, metrics), and (3) the bare server without the row-level-security transaction, to show
 * what tenant wall 2 costs (`rls_cost`), plus (4) the bare server alternating two tenants per
 * request, so pooled connections keep switching tenant: wall 2's worst case, reported apart as
 * `rls_cost_2_tenants` (prisma/client/tenant-session-pool.ts). Same run, same database; the
 * servers take turns in rounds (rotating order) so a shared, noisy machine's drift falls on all.
 *
 * Options (env): BENCH_DURATION_S (default 10), BENCH_CONNECTIONS (default 16), BENCH_ROUNDS (default 2).
 */
const QUERY = JSON.stringify({ query: '{ cameras(first: 20) { edges { node { id name tier status } } pageInfo { hasNextPage endCursor } } }' });
const DURATION = Number(process.env['BENCH_DURATION_S'] ?? 10);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 16);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 2);

interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

function autocannon(url: string, headers: Record<string, string>): Promise<LoadResult> {
  const bin = require.resolve('autocannon/autocannon.js');
  const args = [bin, '-j', '-c', String(CONNECTIONS), '-d', String(DURATION), '-m', 'POST', '-b', QUERY, '-H', 'content-type=application/json'];
  for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}=${v}`);
  args.push(url);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited ${code}`));
      const r = JSON.parse(out) as { requests: { average: number }; latency: { p50: number; p99: number }; errors: number; non2xx: number };
      resolve({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors, non2xx: r.non2xx });
    });
  });
}

/** Means of the rounds' figures (errors summed). */
function meanOf(runs: readonly LoadResult[]): LoadResult {
  const mean = (pick: (r: LoadResult) => number): number => runs.reduce((sum, r) => sum + pick(r), 0) / runs.length;
  const total = (pick: (r: LoadResult) => number): number => runs.reduce((sum, r) => sum + pick(r), 0);
  return { rps: mean((r) => r.rps), p50: Math.round(mean((r) => r.p50)), p99: Math.round(mean((r) => r.p99)), errors: total((r) => r.errors), non2xx: total((r) => r.non2xx) };
}

async function main(): Promise<void> {
  const logger = createLogger('warn', 'bench');
  const base = loadConfig({ ...process.env, LOG_LEVEL: 'silent', DATA_DIR: path.resolve(__dirname, '../../.trinetra') });
  const pg = await ensurePostgres(base.DATABASE_URL, base.DATA_DIR, logger);
  const redisHandle = await ensureRedis(base.REDIS_URL, logger);
  const dbName = `trinetra_bench_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: pg.databaseUrl.replace(/\/[^/?]*(\?|$)/, '/postgres$1') });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${dbName}"`);
  const dbUrl = new URL(pg.databaseUrl);
  dbUrl.pathname = `/${dbName}`;
  await applyMigrations(dbUrl.toString());
  const config = loadConfig({ ...process.env, NODE_ENV: 'production', JWT_SECRET: 'bench-secret-bench-secret-bench-secret!!', LOG_LEVEL: 'silent', PORT: '0', HOST: '127.0.0.1', DATABASE_URL: dbUrl.toString(), REDIS_URL: redisHandle.redisUrl, SEED_DEMO: 'false' });

  const results: Record<string, LoadResult> = {};
  try {
    const app = await startTrinetraApp(config, { logger: createLogger('silent') });
    await seedPlans(app.db);
    // A plan whose rate limit the load cannot reach, so we measure work, not refusals.
    await app.db.plan.update({ where: { code: 'pro' }, data: { requestsPerMinute: 100_000_000 } });
    const tokens = await app.auth.signUp({ tenantName: 'Bench', email: `bench-${randomUUID()}@x.test`, password: 'bench-password-123' });
    const principalOf = await app.auth.authenticate(`Bearer ${tokens.accessToken}`);
    const tenantId = principalOf!.tenantId;
    await app.db.tenant.update({ where: { id: tenantId }, data: { plan: { connect: { code: 'pro' } } } });
    const admin: Principal = { kind: 'user', id: principalOf!.id, tenantId, scopes: new Set(['admin']) };
    const { secret } = await app.auth.createApiKey(admin, 'bench', ['cameras:read']);
    for (let i = 0; i < 20; i++) await app.cameras.create(tenantId, { name: `cam ${i}`, purpose: 'general', tier: 'STANDARD', sourceKind: 'SIMULATOR', targetFps: 10 });
    const otherTokens = await app.auth.signUp({ tenantName: 'Bench 2', email: `bench-${randomUUID()}@x.test`, password: 'bench-password-123' });
    const other = (await app.auth.authenticate(`Bearer ${otherTokens.accessToken}`))!;
    await app.db.tenant.update({ where: { id: other.tenantId }, data: { plan: { connect: { code: 'pro' } } } });
    const otherAdmin: Principal = { kind: 'user', id: other.id, tenantId: other.tenantId, scopes: new Set(['admin']) };
    for (let i = 0; i < 20; i++) await app.cameras.create(other.tenantId, { name: `cam ${i}`, purpose: 'general', tier: 'STANDARD', sourceKind: 'SIMULATOR', targetFps: 10 });

    const warm = async (url: string, headers: Record<string, string>): Promise<void> => {
      for (let i = 0; i < 50; i++) await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: QUERY });
    };
    const ours = { authorization: `Bearer ${secret}` };
    await warm(app.http.url, ours);
    const targets: { name: string; url: string; headers: Record<string, string>; stop?: () => Promise<void> }[] = [{ name: 'trinetra', url: app.http.url, headers: ours }];

    const bareRedis = [new Redis(config.REDIS_URL), new Redis(config.REDIS_URL)] as const;
    const bareKinds = [
      ['bare', true, [admin]],
      ['bare_no_rls', false, [admin]],
      ['bare_2_tenants', true, [admin, otherAdmin]],
    ] as const;
    for (const [name, rowLevelSecurity, principals] of bareKinds) {
      const { schema } = await createAppServices({
        config,
        db: app.db,
        tenantDb: createTenantDbFactory(app.db, { rowLevelSecurity }),
        pubSub: createRedisPubSub(bareRedis[0], bareRedis[1]),
        createPipeline: () => ({ runtime: null, view: idlePipelineView, videoProcessor: new FileVideoProcessor() }),
      });
      const bare = new ApolloServer<GraphQLContext>({ schema });
      let turn = 0;
      const { url } = await startStandaloneServer(bare, { listen: { port: 0, host: '127.0.0.1' }, context: async () => ({ requestId: 'bench', principal: principals[turn++ % principals.length]!, loader: createLoaderRegistry() }) });
      await warm(url, {});
      targets.push({ name, url, headers: {}, stop: () => bare.stop() });
    }
    const runs: Record<string, LoadResult[]> = {};
    for (let round = 0; round < ROUNDS; round++) {
      for (let k = 0; k < targets.length; k++) {
        const target = targets[(round + k) % targets.length]!;
        (runs[target.name] ??= []).push(await autocannon(target.url, target.headers));
      }
    }
    for (const target of targets) results[target.name] = meanOf(runs[target.name]!);
    for (const target of targets) await target.stop?.();
    bareRedis.forEach((r) => r.disconnect());
    await app.stop();
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.end();
    await redisHandle.stop();
    await pg.stop();
  }

  const row = (name: string, r: LoadResult): string => `${name.padEnd(12)} ${r.rps.toFixed(0).padStart(7)} req/s   p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(4)} ms   errors ${r.errors} non2xx ${r.non2xx}`;
  const ours = results['trinetra']!;
  const bare = results['bare']!;
  const noRls = results['bare_no_rls']!;
  const twoTenants = results['bare_2_tenants']!;
  process.stdout.write(`cameras(first: 20), ${CONNECTIONS} connections, ${DURATION} s each, mean of ${ROUNDS} rounds, load from a separate autocannon process\n`);
  for (const [name, r] of Object.entries(results)) process.stdout.write(`${row(name, r)}\n`);
  process.stdout.write(
    `trinetra_rps=${ours.rps.toFixed(0)} trinetra_p50_ms=${ours.p50} trinetra_p99_ms=${ours.p99} bare_rps=${bare.rps.toFixed(0)} bare_p50_ms=${bare.p50} bare_p99_ms=${bare.p99} ratio=${(ours.rps / bare.rps).toFixed(2)} bare_no_rls_rps=${noRls.rps.toFixed(0)} rls_cost=${(1 - bare.rps / noRls.rps).toFixed(2)} bare_2_tenants_rps=${twoTenants.rps.toFixed(0)} rls_cost_2_tenants=${(1 - twoTenants.rps / noRls.rps).toFixed(2)}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:api failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
