import { randomUUID } from 'node:crypto';
import { createSystemDb, forTenant, runInTenantSession, TenantSessionPool, type SystemDb } from '@trinetra/db';
import { createTestDatabase, type TestDatabase } from './support/test-database';

/**
 * Wall 2 pins tenants to pooled connections (prisma/client/tenant-session-pool.ts). These tests run on pools
 * of one or two connections, so every connection serves both tenants and the owner in turn.
 */
interface SessionRow {
  role: string;
  tenant: string | null;
  cameras: string[];
}

const SESSION = (db: SystemDb) =>
  db.$queryRaw<
    SessionRow[]
  >`SELECT current_user::text AS role, current_setting('app.tenant_id', true) AS tenant, array(SELECT id::text FROM "Camera" ORDER BY 1) AS cameras`;

describe('tenant session pool', () => {
  let database: TestDatabase;
  let db: SystemDb;
  let owner: string;
  const tenants: Record<'a' | 'b', { id: string; cameras: string[] }> = { a: { id: randomUUID(), cameras: [] }, b: { id: randomUUID(), cameras: [] } };

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createSystemDb({ databaseUrl: database.url, poolSize: 2 });
    const plan = await db.plan.create({ data: { code: 'p', name: 'P', maxCameras: 10, monthlyFrameQuota: 1n, requestsPerMinute: 1 } });
    for (const t of Object.values(tenants)) {
      await db.tenant.create({ data: { id: t.id, name: t.id, planId: plan.id } });
      const scoped = forTenant(db, t.id);
      for (let i = 0; i < 3; i++) t.cameras.push((await scoped.camera.create({ data: { tenantId: t.id, name: `c${i}`, sourceKind: 'SIMULATOR' } })).id);
      t.cameras.sort();
    }
    // A row that crossed tenants by a bug: B's zone on A's camera. Wall 1 scopes only the top
    // level of a query, so only RLS keeps it out of A's `include: { zones }`.
    await db.zone.create({ data: { tenantId: tenants.b.id, cameraId: tenants.a.cameras[0]!, name: 'planted', polygon: [] } });
    owner = (await db.$queryRaw<{ u: string }[]>`SELECT current_user::text AS u`)[0]!.u;
  });
  afterAll(async () => {
    await db.$disconnect();
    await database.drop();
  });

  it('interleaves two tenants and the owner on two connections without a row or a setting crossing', async () => {
    const checks: Promise<void>[] = [];
    for (let i = 0; i < 12; i++) {
      for (const [self, other] of [
        [tenants.a, tenants.b],
        [tenants.b, tenants.a],
      ] as const) {
        const scoped = forTenant(db, self.id);
        // All created in one tick: Prisma would batch these findUnique calls across tenants.
        checks.push(scoped.camera.findMany({ orderBy: { id: 'asc' } }).then((rows) => expect(rows.map((r) => r.id)).toEqual(self.cameras)));
        checks.push(scoped.camera.findUnique({ where: { id: self.cameras[i % 3]! } }).then((row) => expect(row?.tenantId).toBe(self.id)));
        checks.push(scoped.camera.findMany({ include: { zones: true } }).then((rows) => expect(rows.flatMap((r) => r.zones)).toEqual([])));
        checks.push(scoped.camera.findUnique({ where: { id: self.cameras[0]! }, include: { zones: true } }).then((row) => expect(row?.zones).toEqual([])));
        checks.push(scoped.camera.findUnique({ where: { id: other.cameras[i % 3]! } }).then((row) => expect(row).toBeNull()));
        // Raw SQL past wall 1: only the pinned session (RLS) keeps the other tenant out.
        checks.push(
          runInTenantSession(self.id, () => SESSION(db)).then(([row]) => expect(row).toEqual({ role: 'trinetra_app', tenant: self.id, cameras: self.cameras })),
        );
      }
      // The owner's next use of a tenant-pinned connection sees no tenant and no role switch.
      checks.push(
        SESSION(db).then(([row]) =>
          expect({ role: row!.role, tenant: row!.tenant || null, all: row!.cameras.length }).toEqual({ role: owner, tenant: null, all: 6 }),
        ),
      );
    }
    await Promise.all(checks);
  }, 60_000);

  it('discards a connection handed back inside a transaction, so a rolled-back setting cannot stick', async () => {
    const pool = new TenantSessionPool({ connectionString: database.url, max: 1 });
    try {
      const leaky = await runInTenantSession(tenants.a.id, () => pool.connect());
      const leakyPid = (await leaky.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      // A buggy caller: changes the tenant inside an open transaction and hands the connection back.
      await leaky.query('BEGIN');
      await leaky.query("SELECT set_config('app.tenant_id', $1, false)", [tenants.b.id]);
      leaky.release();
      const next = await runInTenantSession(tenants.a.id, () =>
        pool.query<{ pid: number; tenant: string }>("SELECT pg_backend_pid() AS pid, current_setting('app.tenant_id') AS tenant"),
      );
      expect(next.rows[0]!.tenant).toBe(tenants.a.id);
      expect(next.rows[0]!.pid).not.toBe(leakyPid);
    } finally {
      await pool.end();
    }
  });

  it('switches one connection between tenants and back to the owner on each checkout', async () => {
    const pool = new TenantSessionPool({ connectionString: database.url, max: 1 });
    const who = "SELECT pg_backend_pid() AS pid, current_user::text AS role, current_setting('app.tenant_id', true) AS tenant";
    try {
      const seen = [];
      for (const tenant of [tenants.a.id, tenants.a.id, tenants.b.id, null, tenants.a.id, null]) {
        const run = () => pool.query<{ pid: number; role: string; tenant: string | null }>(who);
        seen.push((await (tenant ? runInTenantSession(tenant, run) : run())).rows[0]!);
      }
      expect(new Set(seen.map((s) => s.pid)).size).toBe(1);
      expect(seen.map((s) => [s.role, s.tenant || null])).toEqual([
        ['trinetra_app', tenants.a.id],
        ['trinetra_app', tenants.a.id],
        ['trinetra_app', tenants.b.id],
        [owner, null],
        ['trinetra_app', tenants.a.id],
        [owner, null],
      ]);
    } finally {
      await pool.end();
    }
  });

  it('refuses raw SQL, $transaction and a tenant id that is not a UUID on the tenant-scoped client', async () => {
    const scoped = forTenant(db, tenants.a.id);
    await expect(scoped.$queryRaw`SELECT 1`).rejects.toThrow(/not allowed/);
    await expect(scoped.$executeRawUnsafe('SELECT 1')).rejects.toThrow(/not allowed/);
    expect(() => scoped.$transaction([])).toThrow(/not allowed/);
    expect(() => forTenant(db, '')).toThrow(/UUID/);
    await expect(runInTenantSession("x', 'y", () => SESSION(db))).rejects.toThrow(/UUID/);
  });
});
