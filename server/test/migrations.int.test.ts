import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { applyMigrations, createSystemDb, type SystemDb } from '@trinetra/db';
import { createTestDatabase, type TestDatabase } from './support/test-database';

describe('SQL migrations and the Prisma client', () => {
  let database: TestDatabase;
  let db: SystemDb;

  beforeAll(async () => {
    database = await createTestDatabase({ migrate: false });
  });
  afterAll(async () => {
    await db?.$disconnect();
    await database.drop();
  });

  it('apply to an empty database, record themselves like prisma migrate deploy, and a second apply is a no-op', async () => {
    const first = await applyMigrations(database.url);
    expect(first.applied.length).toBeGreaterThan(0);
    expect(first.alreadyApplied).toEqual([]);
    const second = await applyMigrations(database.url);
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toEqual(first.applied);

    const pg = new Client({ connectionString: database.url });
    await pg.connect();
    const rows = await pg.query('SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name');
    await pg.end();
    expect(rows.rows.map((r) => r.migration_name)).toEqual(first.applied);
    for (const row of rows.rows) {
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(row.finished_at).not.toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
  });

  it('lets the Prisma client create, read, update and delete every model', async () => {
    db = createSystemDb({ databaseUrl: database.url, poolSize: 2 });
    const plan = await db.plan.create({ data: { id: randomUUID(), code: `p-${randomUUID()}`, name: 'P', maxCameras: 1, monthlyFrameQuota: 10n, requestsPerMinute: 5 } });
    const tenant = await db.tenant.create({ data: { id: randomUUID(), name: 'T', planId: plan.id, networkAllowlist: ['10.0.0.0/8'] } });
    const user = await db.user.create({ data: { id: randomUUID(), tenantId: tenant.id, email: `${randomUUID()}@x.test`, passwordHash: 'h' } });
    const token = await db.refreshToken.create({ data: { id: randomUUID(), tenantId: tenant.id, userId: user.id, familyId: randomUUID(), tokenHash: randomUUID(), expiresAt: new Date(Date.now() + 1000) } });
    const key = await db.apiKey.create({ data: { id: randomUUID(), tenantId: tenant.id, name: 'k', prefix: `trk_${randomUUID().slice(0, 8)}`, secretHash: 'x', scopes: ['ingest'] } });
    const camera = await db.camera.create({ data: { id: randomUUID(), tenantId: tenant.id, name: 'c', sourceKind: 'NETWORK', sourceUrl: 'rtsp://cam/1', tier: 'BILLING', updatedAt: new Date() } });
    const zone = await db.zone.create({ data: { id: randomUUID(), tenantId: tenant.id, cameraId: camera.id, name: 'z', kind: 'LINE', polygon: [[0, 0.5], [1, 0.5]], updatedAt: new Date() } });

    const manifest = await db.videoManifest.create({ data: { id: randomUUID(), tenantId: tenant.id, name: 'm.csv', encoding: 'utf-8', delimiter: ',', rowCount: 1 } });
    const job = await db.videoJob.create({ data: { id: randomUUID(), tenantId: tenant.id, manifestId: manifest.id, line: 2, localPath: '/v/a.mp4', filename: 'a.mp4' } });
    const summary = await db.trackSummary.create({
      data: { id: randomUUID(), tenantId: tenant.id, cameraId: camera.id, trackId: 7, firstSeenAt: new Date(0), lastSeenAt: new Date(1000), frames: 10, pathLengthPx: 42.5, meanQuality: 0.8, issues: ['left_wrist_missing_30%'] },
    });

    expect(await db.tenant.findUnique({ where: { id: tenant.id } })).toMatchObject({ networkAllowlist: ['10.0.0.0/8'] });
    expect(await db.videoJob.findUnique({ where: { id: job.id } })).toMatchObject({ status: 'queued', attempts: 0, metadata: {} });
    expect(await db.trackSummary.findUnique({ where: { id: summary.id } })).toMatchObject({ trackId: 7, issues: ['left_wrist_missing_30%'] });
    expect(await db.camera.findUnique({ where: { id: camera.id } })).toMatchObject({ tier: 'BILLING', status: 'IDLE', desiredStatus: 'STOPPED', targetFps: 10 });
    expect(await db.zone.findUnique({ where: { id: zone.id } })).toMatchObject({ polygon: [[0, 0.5], [1, 0.5]], kind: 'LINE' });

    await db.plan.update({ where: { id: plan.id }, data: { monthlyFrameQuota: 20n } });
    await db.tenant.update({ where: { id: tenant.id }, data: { name: 'T2' } });
    await db.user.update({ where: { id: user.id }, data: { role: 'ADMIN' } });
    await db.refreshToken.update({ where: { id: token.id }, data: { usedAt: new Date() } });
    await db.apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date() } });
    await db.camera.update({ where: { id: camera.id }, data: { status: 'LIVE' } });
    await db.zone.update({ where: { id: zone.id }, data: { kind: 'AREA', polygon: [[0, 0], [1, 0], [1, 1]] } });
    await db.videoManifest.update({ where: { id: manifest.id }, data: { rowCount: 2 } });
    await db.videoJob.update({ where: { id: job.id }, data: { status: 'done', frameCount: 120 } });
    await db.trackSummary.update({ where: { id: summary.id }, data: { meanQuality: 0.9 } });
    expect((await db.videoJob.findUniqueOrThrow({ where: { id: job.id } })).status).toBe('done');
    expect((await db.plan.findUniqueOrThrow({ where: { id: plan.id } })).monthlyFrameQuota).toBe(20n);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).role).toBe('ADMIN');
    expect((await db.camera.findUniqueOrThrow({ where: { id: camera.id } })).status).toBe('LIVE');

    await db.trackSummary.delete({ where: { id: summary.id } });
    await db.videoJob.delete({ where: { id: job.id } });
    await db.videoManifest.delete({ where: { id: manifest.id } });
    await db.zone.delete({ where: { id: zone.id } });
    await db.camera.delete({ where: { id: camera.id } });
    await db.apiKey.delete({ where: { id: key.id } });
    await db.refreshToken.delete({ where: { id: token.id } });
    await db.user.delete({ where: { id: user.id } });
    await db.tenant.delete({ where: { id: tenant.id } });
    await db.plan.delete({ where: { id: plan.id } });
    expect(await db.tenant.count()).toBe(0);
  });
});
