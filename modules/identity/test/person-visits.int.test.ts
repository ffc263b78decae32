import { randomUUID } from 'node:crypto';
import { createSystemDb, type SystemDb } from '@trinetra/db';
import { createTestDatabase, type TestDatabase } from '../../../server/test/support/test-database';
import { PrismaPersonVisits } from '../infra/person-visit.store';

let database: TestDatabase;
let db: SystemDb;
let visits: PrismaPersonVisits;
let tenantA: string;
let tenantB: string;

async function person(tenantId: string): Promise<string> {
  return (await db.person.create({ data: { tenantId, displayName: `p-${randomUUID()}` } })).id;
}

/** Constructed capture times (no wall clock): minutes after a fixed start. */
const at = (minutes: number) => new Date(Date.UTC(2026, 10, 29, 9, 0, 0) + minutes * 60_000);

beforeAll(async () => {
  database = await createTestDatabase();
  db = createSystemDb({ databaseUrl: database.url, poolSize: 2 });
  visits = new PrismaPersonVisits(db);
  const plan = await db.plan.create({
    data: { id: randomUUID(), code: `p-${randomUUID()}`, name: 'p', maxCameras: 5, monthlyFrameQuota: 1000n, requestsPerMinute: 100 },
  });
  tenantA = (await db.tenant.create({ data: { name: `t-${randomUUID()}`, planId: plan.id } })).id;
  tenantB = (await db.tenant.create({ data: { name: `t-${randomUUID()}`, planId: plan.id } })).id;
});

afterAll(async () => {
  await db?.$disconnect();
  await database?.drop();
});

describe('PrismaPersonVisits (Postgres, RLS)', () => {
  it('counts a new visit only after more than 30 minutes unseen, and persists it on Person', async () => {
    const ann = await person(tenantA);
    expect(await visits.recordSighting(tenantA, ann, at(0))).toBe(1);
    expect(await visits.recordSighting(tenantA, ann, at(20))).toBe(1); // same visit
    expect(await visits.recordSighting(tenantA, ann, at(45))).toBe(1); // 25 min after the last sighting
    expect(await visits.recordSighting(tenantA, ann, at(75))).toBe(1); // exactly 30 min: still the same visit
    expect(await visits.recordSighting(tenantA, ann, at(106))).toBe(2); // 31 min unseen: a new visit
    // A late camera's older sighting belongs to the current visit and never moves lastSeenAt back.
    expect(await visits.recordSighting(tenantA, ann, at(10))).toBe(2);
    const row = await db.person.findUniqueOrThrow({ where: { id: ann }, select: { visitCount: true, lastSeenAt: true } });
    expect(row).toEqual({ visitCount: 2, lastSeenAt: at(106) });
    expect(await visits.recordSighting(tenantA, ann, at(24 * 60))).toBe(3);
  });

  it('is per tenant: another tenant cannot count (or see) a person, and an erased person has no visit', async () => {
    const bob = await person(tenantA);
    expect(await visits.recordSighting(tenantB, bob, at(0))).toBeNull();
    expect((await db.person.findUniqueOrThrow({ where: { id: bob } })).visitCount).toBe(0);
    await db.person.delete({ where: { id: bob } });
    expect(await visits.recordSighting(tenantA, bob, at(0))).toBeNull();
  });

  it('two cameras naming the same person at once start one visit, not two', async () => {
    const cy = await person(tenantA);
    const both = await Promise.all([visits.recordSighting(tenantA, cy, at(0)), visits.recordSighting(tenantA, cy, at(0))]);
    expect(both).toEqual([1, 1]);
  });
});
