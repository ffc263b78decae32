import { randomUUID } from 'node:crypto';
import { AnalyticsQueryRepository, AnalyticsRetentionJob, AnalyticsRetentionRepository, AnalyticsWriteRepository, TenantSql } from '@trinetra/analytics';
import { createSystemDb, createTenantDbFactory, type SystemDb } from '@trinetra/db';
import { createTestDatabase, type TestDatabase } from './support/test-database';

/**
 * Analytics storage on a real Postgres: rollups written by the real write path answer exactly
 * what the minute rows answer, and per-tenant retention deletes old rows in batches (manual clock).
 */
const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const CELLS = 64 * 48;

interface Tenant {
  id: string;
  cameraId: string;
  zoneId: string;
}

describe('analytics storage: rollups and retention (real Postgres)', () => {
  let database: TestDatabase;
  let db: SystemDb;
  let sql: TenantSql;
  let writes: AnalyticsWriteRepository;
  let queries: AnalyticsQueryRepository;
  const a: Tenant = { id: randomUUID(), cameraId: randomUUID(), zoneId: randomUUID() };
  const b: Tenant = { id: randomUUID(), cameraId: randomUUID(), zoneId: randomUUID() };

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createSystemDb({ databaseUrl: database.url, poolSize: 3 });
    sql = new TenantSql(db);
    writes = new AnalyticsWriteRepository(createTenantDbFactory(db), sql);
    queries = new AnalyticsQueryRepository(sql);
    const plan = await db.plan.create({ data: { code: 'p', name: 'P', maxCameras: 10, monthlyFrameQuota: 1n, requestsPerMinute: 1 } });
    for (const t of [a, b]) {
      await db.tenant.create({ data: { id: t.id, name: t.id, planId: plan.id } });
      await db.camera.create({ data: { id: t.cameraId, tenantId: t.id, name: 'c', sourceKind: 'SIMULATOR' } });
      await db.zone.create({ data: { id: t.zoneId, tenantId: t.id, cameraId: t.cameraId, name: 'z', polygon: [[0, 0], [1, 0], [1, 1]] } });
    }
  });
  afterAll(async () => {
    await db.$disconnect();
    await database.drop();
  });

  function batch(cameraId: string) {
    return { cameraId, zoneEvents: [], crossings: [], transitions: [], alerts: [], occupancy: [], heatmaps: [] };
  }

  /** Sparse random grids for `minutes`, some minutes written twice (the flush adds to what is stored). */
  async function writeMinutes(t: Tenant, minutes: readonly number[], seed: number): Promise<void> {
    let s = seed;
    const rand = (): number => {
      s = (s * 1103515245 + 12345) % 2147483648;
      return s / 2147483648;
    };
    for (const [k, m] of minutes.entries()) {
      const cells = new Uint32Array(CELLS);
      for (let i = 0; i < 20; i += 1) cells[Math.floor(rand() * CELLS)] = 1 + Math.floor(rand() * 9);
      const occupancy = [{ zoneId: t.zoneId, bucketStart: m, max: Math.floor(rand() * 6), sum: Math.floor(rand() * 500), samples: 60 }];
      await writes.write(t.id, { ...batch(t.cameraId), heatmaps: [{ bucketStart: m, cells }], occupancy });
      if (k % 5 === 0) await writes.write(t.id, { ...batch(t.cameraId), heatmaps: [{ bucketStart: m, cells }], occupancy });
    }
  }

  it('answers heatmaps and occupancy from rollups exactly as from minute rows, per tenant', async () => {
    const t0 = Date.UTC(2026, 9, 1);
    // Minutes over 3 days: dense around day and hour edges, sparse elsewhere.
    const minutes: number[] = [];
    for (let m = 0; m < 3 * 1440; m += 1) if (m % 37 === 0 || m % 1440 < 70 || m % 1440 > 1380 || m % 60 === 59) minutes.push(t0 + m * MIN);
    await writeMinutes(a, minutes, 1);
    await writeMinutes(b, minutes.slice(0, 50), 2);

    const ranges: [number, number][] = [
      [t0, t0 + 3 * DAY],
      [t0 + 17 * MIN, t0 + 2 * DAY + 5 * HOUR + 3 * MIN],
      [t0 + 23 * HOUR + 55 * MIN, t0 + DAY + 10 * MIN],
      [t0 + 6 * HOUR, t0 + 12 * HOUR],
      [t0 - DAY, t0 + 4 * DAY],
      [t0 + 30_000, t0 + DAY + 90_000],
    ];
    let nonZero = 0;
    for (const [from, to] of ranges) {
      const f = new Date(from);
      const tt = new Date(to);
      const viaRollups = await queries.heatmap(a.id, a.cameraId, f, tt);
      const viaMinutes = await queries.heatmap(a.id, a.cameraId, f, tt, 'MINUTE');
      expect(viaRollups).toEqual(viaMinutes);
      nonZero += viaMinutes.reduce((n, v) => n + v, 0);
      for (const bucketMs of [HOUR, DAY]) {
        const range = { from: f, to: tt, bucketMs };
        expect(await queries.occupancy(a.id, a.zoneId, range)).toEqual(await queries.occupancy(a.id, a.zoneId, range, 'MINUTE'));
      }
    }
    expect(nonZero).toBeGreaterThan(0);
    // Tenant isolation: B's ids asked as A (and A's camera asked as B) see nothing.
    expect((await queries.heatmap(a.id, b.cameraId, new Date(t0), new Date(t0 + 3 * DAY))).every((v) => v === 0)).toBe(true);
    expect((await queries.heatmap(b.id, a.cameraId, new Date(t0), new Date(t0 + 3 * DAY))).every((v) => v === 0)).toBe(true);
    expect(await queries.occupancy(b.id, a.zoneId, { from: new Date(t0), to: new Date(t0 + 3 * DAY), bucketMs: DAY })).toEqual([]);
    const bGrid = await queries.heatmap(b.id, b.cameraId, new Date(t0), new Date(t0 + 3 * DAY));
    expect(bGrid).toEqual(await queries.heatmap(b.id, b.cameraId, new Date(t0), new Date(t0 + 3 * DAY), 'MINUTE'));
  }, 120_000);

  it('deletes rows past each tenant retention in batches, day-aligned, leaving rollups equal to minutes', async () => {
    const now = Date.UTC(2026, 11, 1, 15, 30);
    // A keeps 30 days; B has no settings row (default 90).
    await db.analyticsSettings.create({ data: { tenantId: a.id, retentionDays: 30 } });
    const ages = [100, 60, 31, 29, 10];
    for (const t of [a, b]) {
      const at = ages.map((d) => new Date(now - d * DAY));
      await writes.write(t.id, {
        ...batch(t.cameraId),
        zoneEvents: at.flatMap((x) => [0, 1, 2].map((i) => ({ zoneId: t.zoneId, trackId: i, kind: 'ENTER' as const, at: x, enteredAt: null, dwellMs: null, personKey: null }))),
        crossings: at.map((x) => ({ zoneId: t.zoneId, trackId: 1, direction: 'IN' as const, at: x })),
      });
      await writeMinutes(t, at.map((x) => Math.floor(x.getTime() / MIN) * MIN), 3);
    }
    const count = async (t: Tenant, table: string): Promise<number> =>
      Number((await db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM "${table}" WHERE "tenantId" = $1::uuid`, t.id))[0]!.n);
    const before = { aEvents: await count(a, 'ZoneEvent'), bEvents: await count(b, 'ZoneEvent') };

    const logged: string[] = [];
    const job = new AnalyticsRetentionJob(
      { repository: new AnalyticsRetentionRepository(db, sql), clock: { now: () => now }, logger: { warn: (_c, m) => logged.push(m), error: (_c, m) => logged.push(m) } },
      { batchSize: 2 },
    );
    const run = await job.runOnce();
    expect(run.failures).toBe(0);
    expect(logged).toEqual([]);

    // A: the 100, 60 and 31-day-old rows are gone (cutoff: start of the UTC day 30 days ago); 29 and 10 stay.
    const cutoffA = Math.floor((now - 30 * DAY) / DAY) * DAY;
    const oldest = async (t: Tenant, table: string, column: string): Promise<number> =>
      (await db.$queryRawUnsafe<{ m: Date }[]>(`SELECT min("${column}") AS m FROM "${table}" WHERE "tenantId" = $1::uuid`, t.id))[0]!.m.getTime();
    for (const [table, column] of [
      ['ZoneEvent', 'at'],
      ['LineCrossing', 'at'],
      ['HeatmapMinute', 'bucketStart'],
      ['HeatmapDay', 'bucketStart'],
      ['ZoneOccupancyMinute', 'bucketStart'],
      ['ZoneOccupancyDay', 'bucketStart'],
    ] as const) {
      expect(await oldest(a, table, column)).toBeGreaterThanOrEqual(cutoffA);
    }
    expect(await count(a, 'ZoneEvent')).toBe(before.aEvents - 3 * 3);
    // 3 events per age, batches of 2: several batches ran for A's ZoneEvent.
    expect(run.deleted).toContainEqual({ tenantId: a.id, table: 'ZoneEvent', rows: 9 });
    // B (default 90 days): only the 100-day-old rows went.
    expect(await count(b, 'ZoneEvent')).toBe(before.bEvents - 3);
    expect(await oldest(b, 'LineCrossing', 'at')).toBe(now - 60 * DAY);

    // What is left still answers the same from rollups and from minutes.
    const all = [new Date(now - 120 * DAY), new Date(now + DAY)] as const;
    for (const t of [a, b]) expect(await queries.heatmap(t.id, t.cameraId, ...all)).toEqual(await queries.heatmap(t.id, t.cameraId, ...all, 'MINUTE'));

    // A second run finds nothing to delete.
    expect((await job.runOnce()).deleted).toEqual([]);
  }, 120_000);
});
