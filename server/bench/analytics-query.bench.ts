import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { AnalyticsQueryRepository, TenantSql, type RollupLevel } from '@trinetra/analytics';
import { applyMigrations, createSystemDb } from '@trinetra/db';
import { seedPlans } from '../app/seed';
import { ensurePostgres } from '../boot/ensure-postgres';
import { loadConfig } from '../config/config';
import { createLogger } from '../observability/logger';

/**
 * npm run bench:analytics-query — heatmap and zone-stats query latency over 30 days of minute
 * buckets for 20 cameras (4 AREA zones each) in a real Postgres, through the same repository
 * the GraphQL resolvers use (tenant session, RLS). Target: p99 < 50 ms.
 *
 * Seeding is bulk SQL (generate_series), never row by row:
 * - ZoneOccupancyMinute: 80 zones x 43,200 minutes; its hour and day rollups are aggregated
 *   from those minute rows (GROUP BY, exactly what the write path keeps in step).
 * - HeatmapMinute: 20 cameras x 43,200 minutes of 64x48 counts. Summing 864,000 such arrays into
 *   rollups takes minutes on a small machine, so each camera-hour repeats one of 16 sparse
 *   template grids: its 10-minute and hour rows are 10 and 60 x the template, its 6-hour and
 *   day rows 60 x the sums of their hours' templates. The
 *   bench then checks exactness the honest way on a sample: the same range answered from minute
 *   rows only and from rollups must be equal cell by cell.
 * - ZoneEvent: a visit every 3 minutes per zone (ENTER + EXIT with dwell), 2.3 M rows.
 *
 * Queries: for each sample a random camera/zone and a random range of (almost) 30 days with
 * minute-ragged ends, so plans read day, hour and minute rows. Figures are wall-clock on a shared
 * machine. Env: BENCH_DAYS (default 30), BENCH_SAMPLES (default 200).
 */
const DAYS = Number(process.env['BENCH_DAYS'] ?? 30);
const SAMPLES = Number(process.env['BENCH_SAMPLES'] ?? 200);
const CAMERAS = 20;
const ZONES_PER_CAMERA = 4;
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const END = Math.floor(Date.UTC(2026, 10, 29) / DAY) * DAY;
const START = END - DAYS * DAY;

function quantile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

async function timed(label: string, fn: () => Promise<unknown>): Promise<void> {
  const t = performance.now();
  await fn();
  process.stdout.write(`seed ${label}: ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
}

async function seed(sql: Client, tenantId: string, cameraIds: readonly string[], zoneIds: readonly string[]): Promise<void> {
  const start = new Date(START).toISOString();
  const end = new Date(END - MINUTE).toISOString();
  await timed('occupancy minutes', () =>
    sql.query(
      `INSERT INTO "ZoneOccupancyMinute" ("tenantId", "zoneId", "bucketStart", "maxOccupancy", "occupancySum", "samples")
       SELECT $1::uuid, z, ts, 1 + (abs(hashtext(z::text || ts::text)) % 6), (abs(hashtext(ts::text || z::text)) % 900), 600
       FROM unnest($2::uuid[]) z, generate_series($3::timestamp, $4::timestamp, interval '1 minute') ts`,
      [tenantId, zoneIds, start, end],
    ),
  );
  await timed('occupancy rollups (GROUP BY of the minutes)', async () => {
    for (const [table, unit] of [
      ['ZoneOccupancyHour', 'hour'],
      ['ZoneOccupancyDay', 'day'],
    ] as const) {
      await sql.query(
        `INSERT INTO "${table}" ("tenantId", "zoneId", "bucketStart", "maxOccupancy", "occupancySum", "samples")
         SELECT "tenantId", "zoneId", date_trunc('${unit}', "bucketStart"), max("maxOccupancy"), sum("occupancySum"), sum("samples")
         FROM "ZoneOccupancyMinute" WHERE "tenantId" = $1::uuid GROUP BY 1, 2, 3`,
        [tenantId],
      );
    }
  });
  await timed('zone events', () =>
    sql.query(
      `INSERT INTO "ZoneEvent" ("id", "tenantId", "zoneId", "cameraId", "trackId", "kind", "at", "enteredAt", "dwellMs")
       SELECT gen_random_uuid(), $1::uuid, z.zone, z.camera, n::int, k.kind::"ZoneEventKind",
              CASE WHEN k.kind = 'ENTER' THEN v ELSE v + d * interval '1 millisecond' END,
              CASE WHEN k.kind = 'EXIT' THEN v END, CASE WHEN k.kind = 'EXIT' THEN d END
       FROM unnest($2::uuid[], $3::uuid[]) AS z(zone, camera),
            LATERAL (SELECT n, $4::timestamp + n * interval '3 minutes' + (abs(hashtext(z.zone::text || n)) % 60000) * interval '1 millisecond' AS v,
                            5000 + abs(hashtext(n || z.zone::text)) % 300000 AS d
                     FROM generate_series(0, $5::int - 1) n) s,
            (VALUES ('ENTER'), ('EXIT')) AS k(kind)`,
      [tenantId, zoneIds, zoneIds.map((_, i) => cameraIds[Math.floor(i / ZONES_PER_CAMERA)]), start, (DAYS * DAY) / (3 * MINUTE)],
    ),
  );
  // 16 sparse templates: a walkway of ~120 cells each with small counts.
  await sql.query(
    `CREATE TEMP TABLE tpl AS
     SELECT k, array_agg(CASE WHEN abs((i % 64) - (20 + k * 2) - (i / 64) / 3) < 3 THEN 1 + (i * (k + 3)) % 7 ELSE 0 END ORDER BY i) AS cells
     FROM generate_series(0, 15) k, generate_series(0, 3071) i GROUP BY k`,
  );
  await timed('heatmap minutes', () =>
    sql.query(
      `INSERT INTO "HeatmapMinute" ("tenantId", "cameraId", "bucketStart", "cells")
       SELECT $1::uuid, c.id, ts, t.cells
       FROM unnest($2::uuid[]) WITH ORDINALITY AS c(id, n), generate_series($3::timestamp, $4::timestamp, interval '1 minute') ts, tpl t
       WHERE t.k = (c.n * 7 + extract(epoch FROM date_trunc('hour', ts))::bigint / 3600) % 16`,
      [tenantId, cameraIds, start, end],
    ),
  );
  await timed('heatmap rollups', async () => {
    // Camera c's hour H repeats template (7c + H) mod 16, so a rollup starting at hour H0 that
    // spans n hours is 60 x the sum of n consecutive templates from (7c + H0) mod 16: 16 sums per
    // span length, computed once, then every rollup row is a join (no per-row array arithmetic).
    await sql.query(
      `CREATE TEMP TABLE span AS
       SELECT n.hours, s.k, array_agg(s.v ORDER BY s.o) AS cells
       FROM (VALUES (1), (6), (24)) AS n(hours),
            LATERAL (SELECT st.k, u.o, (60 * sum(u.x))::int AS v
                     FROM generate_series(0, 15) st(k), generate_series(0, n.hours - 1) i, tpl t, unnest(t.cells) WITH ORDINALITY AS u(x, o)
                     WHERE t.k = (st.k + i) % 16 GROUP BY st.k, u.o) s
       GROUP BY n.hours, s.k`,
    );
    await sql.query(
      `CREATE TEMP TABLE tpl10 AS SELECT k, (SELECT array_agg(10 * x ORDER BY o) FROM unnest(cells) WITH ORDINALITY AS u(x, o)) AS cells FROM tpl`,
    );
    await sql.query(
      `INSERT INTO "HeatmapTenMinutes" ("tenantId", "cameraId", "bucketStart", "cells")
       SELECT $1::uuid, c.id, b, t.cells
       FROM unnest($2::uuid[]) WITH ORDINALITY AS c(id, n), generate_series($3::timestamp, $4::timestamp, interval '10 minutes') b, tpl10 t
       WHERE t.k = (c.n * 7 + extract(epoch FROM date_trunc('hour', b))::bigint / 3600) % 16`,
      [tenantId, cameraIds, start, end],
    );
    for (const [table, width, hours] of [
      ['HeatmapHour', '1 hour', 1],
      ['HeatmapSixHours', '6 hours', 6],
      ['HeatmapDay', '1 day', 24],
    ] as const) {
      await sql.query(
        `INSERT INTO "${table}" ("tenantId", "cameraId", "bucketStart", "cells")
         SELECT $1::uuid, c.id, b, s.cells
         FROM unnest($2::uuid[]) WITH ORDINALITY AS c(id, n), generate_series($3::timestamp, $4::timestamp, interval '${width}') b, span s
         WHERE s.hours = ${hours} AND s.k = (c.n * 7 + extract(epoch FROM b)::bigint / 3600) % 16`,
        [tenantId, cameraIds, start, end],
      );
    }
  });
  // VACUUM sets the visibility map, as autovacuum would on a live database (index-only scans).
  await timed('vacuum analyze', () => sql.query('VACUUM ANALYZE'));
}

async function main(): Promise<void> {
  const logger = createLogger('warn', 'bench');
  const base = loadConfig({ ...process.env, LOG_LEVEL: 'silent', DATA_DIR: path.resolve(__dirname, '../../.trinetra') });
  const pg = await ensurePostgres(base.DATABASE_URL, base.DATA_DIR, logger);
  const dbName = `trinetra_bench_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: pg.databaseUrl.replace(/\/[^/?]*(\?|$)/, '/postgres$1') });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${dbName}"`);
  const dbUrl = new URL(pg.databaseUrl);
  dbUrl.pathname = `/${dbName}`;
  const owner = new Client({ connectionString: dbUrl.toString() });
  const db = createSystemDb({ databaseUrl: dbUrl.toString(), poolSize: 4 });
  let line: string | undefined;
  try {
    await applyMigrations(dbUrl.toString());
    await owner.connect();
    await seedPlans(db);
    const plan = await db.plan.findFirstOrThrow();
    const tenant = await db.tenant.create({ data: { name: 'Bench store', planId: plan.id } });
    const cameraIds: string[] = [];
    const zoneIds: string[] = [];
    for (let c = 0; c < CAMERAS; c += 1) {
      const camera = await db.camera.create({ data: { tenantId: tenant.id, name: `cam ${c}`, sourceKind: 'SIMULATOR' } });
      cameraIds.push(camera.id);
      for (let z = 0; z < ZONES_PER_CAMERA; z += 1) {
        const zone = await db.zone.create({
          data: { id: randomUUID(), tenantId: tenant.id, cameraId: camera.id, name: `zone ${z}`, polygon: [[0.1, 0.1], [0.4, 0.1], [0.4, 0.4], [0.1, 0.4]] },
        });
        zoneIds.push(zone.id);
      }
    }
    process.stdout.write(`seeding ${DAYS} days of minute buckets for ${CAMERAS} cameras, ${zoneIds.length} zones\n`);
    await seed(owner, tenant.id, cameraIds, zoneIds);

    const repo = new AnalyticsQueryRepository(new TenantSql(db));
    let seedRand = 42;
    const rand = (): number => {
      seedRand = (seedRand * 1103515245 + 12345) % 2147483648;
      return seedRand / 2147483648;
    };
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    /** [from, to) of almost the whole period with minute-ragged ends (day + hour + minute rows). */
    const nearlyAll = (): { from: Date; to: Date } => ({
      from: new Date(START + Math.floor(rand() * 1440) * MINUTE),
      to: new Date(END - Math.floor(rand() * 1440) * MINUTE),
    });

    // Exactness on samples: rollup plan vs minute rows only (ranges up to 3 days keep the minute path affordable).
    for (let i = 0; i < 3; i += 1) {
      const from = new Date(START + Math.floor(rand() * (DAYS - 3) * 1440) * MINUTE);
      const to = new Date(from.getTime() + (1 + Math.floor(rand() * 3 * 1440)) * MINUTE);
      const camera = pick(cameraIds);
      const [fast, slow] = await Promise.all([repo.heatmap(tenant.id, camera, from, to), repo.heatmap(tenant.id, camera, from, to, 'MINUTE')]);
      if (fast.some((v, k) => v !== slow[k])) throw new Error(`heatmap rollups differ from minutes for ${from.toISOString()}..${to.toISOString()}`);
      const zone = pick(zoneIds);
      const range = { from, to, bucketMs: HOUR };
      const [a, b] = await Promise.all([repo.occupancy(tenant.id, zone, range), repo.occupancy(tenant.id, zone, range, 'MINUTE')]);
      if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error('occupancy rollups differ from minutes');
    }
    process.stdout.write('exactness: rollup answers equal minute-only answers on 3 sampled ranges\n');

    const measure = async (label: string, run: () => Promise<unknown>): Promise<{ p50: number; p99: number }> => {
      for (let i = 0; i < 10; i += 1) await run();
      const times: number[] = [];
      for (let i = 0; i < SAMPLES; i += 1) {
        const t = performance.now();
        await run();
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      const r = { p50: quantile(times, 0.5), p99: quantile(times, 0.99) };
      process.stdout.write(`${label.padEnd(42)} p50 ${r.p50.toFixed(1).padStart(7)} ms   p99 ${r.p99.toFixed(1).padStart(7)} ms   (${SAMPLES} samples)\n`);
      return r;
    };
    const heat = await measure(`heatmap, ~${DAYS} d, rollups`, () => {
      const { from, to } = nearlyAll();
      return repo.heatmap(tenant.id, pick(cameraIds), from, to);
    });
    const statsDay = await measure(`zoneStats, ~${DAYS} d, DAY buckets`, () => {
      const { from, to } = nearlyAll();
      return repo.zoneStats(tenant.id, pick(zoneIds), { from, to, bucketMs: DAY });
    });
    const statsHour = await measure(`zoneStats, ~${DAYS} d, HOUR buckets`, () => {
      const { from, to } = nearlyAll();
      return repo.zoneStats(tenant.id, pick(zoneIds), { from, to, bucketMs: HOUR });
    });
    // For comparison: what the minute table alone costs for ONE day of one camera's heatmap.
    const minuteOnly = await measure('heatmap, 1 d, minute rows only (no rollups)', () => {
      const from = new Date(START + Math.floor(rand() * (DAYS - 1)) * DAY);
      return repo.heatmap(tenant.id, pick(cameraIds), from, new Date(from.getTime() + DAY), 'MINUTE' satisfies RollupLevel);
    });
    line = `days=${DAYS} cameras=${CAMERAS} zones=${zoneIds.length} heatmap_p50_ms=${heat.p50.toFixed(1)} heatmap_p99_ms=${heat.p99.toFixed(1)} zone_stats_day_p99_ms=${statsDay.p99.toFixed(1)} zone_stats_hour_p99_ms=${statsHour.p99.toFixed(1)} heatmap_1d_minutes_only_p99_ms=${minuteOnly.p99.toFixed(1)} target_p99_ms=50`;
  } finally {
    await db.$disconnect();
    await owner.end().catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.end();
    await pg.stop();
  }
  if (line !== undefined) process.stdout.write(`${line}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:analytics-query failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
