import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createSystemDb, createTenantDbFactory, type SystemDb } from '@trinetra/db';
import { createTestDatabase, type TestDatabase } from '../../../server/test/support/test-database';
import { PersonGalleryService } from '../application/person-gallery.service';
import { HnswVectorIndex } from '../infra/hnsw-vector-index';
import { TenantDataKeyStore } from '../infra/tenant-data-key.store';

let database: TestDatabase;
let db: SystemDb;
let gallery: PersonGalleryService;
let tenantA: string;
let tenantB: string;
const masterKey = randomBytes(32);
const vector = (seed: number) => Array.from({ length: 1024 }, (_, i) => Math.fround(Math.sin(seed * 31 + i) * 0.05));

async function tenant(planId: string): Promise<string> {
  return (await db.tenant.create({ data: { name: `t-${randomUUID()}`, planId } })).id;
}

async function ownerQuery<T extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: database.url });
  await c.connect();
  try {
    return (await c.query<T>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  database = await createTestDatabase();
  db = createSystemDb({ databaseUrl: database.url, poolSize: 2 });
  const tenantDb = createTenantDbFactory(db);
  gallery = new PersonGalleryService(db, tenantDb, new TenantDataKeyStore(tenantDb, masterKey), new HnswVectorIndex());
  const plan = await db.plan.create({
    data: { id: randomUUID(), code: `p-${randomUUID()}`, name: 'p', maxCameras: 5, monthlyFrameQuota: 1000n, requestsPerMinute: 100 },
  });
  tenantA = await tenant(plan.id);
  tenantB = await tenant(plan.id);
});

afterAll(async () => {
  await db?.$disconnect();
  await database?.drop();
});

describe('PersonGalleryService (Postgres, RLS, encrypted embeddings)', () => {
  it('stores embeddings sealed: the column holds no plaintext float32 vector, and the gallery opens them exactly', async () => {
    const embeddings = [vector(1), vector(2)];
    const person = await gallery.enroll(tenantA, 'user:test', { displayName: 'Amy', model: 'faceres', embeddings });
    const rows = await ownerQuery<{ sealed: Buffer; dimensions: number }>(`SELECT "sealed", "dimensions" FROM "PersonEmbedding" WHERE "personId" = $1`, [
      person.id,
    ]);
    expect(rows).toHaveLength(2);
    const plain = embeddings.map((e) => {
      const b = Buffer.alloc(e.length * 4);
      e.forEach((x, i) => b.writeFloatLE(x, i * 4));
      return b;
    });
    for (const row of rows) {
      expect(row.dimensions).toBe(1024);
      for (const p of plain) {
        // Not the vector, nor any 16-byte run of it, anywhere in the stored bytes.
        expect(row.sealed.includes(p.subarray(0, 16))).toBe(false);
        expect(row.sealed.includes(p.subarray(2048, 2064))).toBe(false);
      }
    }
    const [entry] = await gallery.galleries(tenantA, 'faceres');
    expect(entry?.personId).toBe(person.id);
    expect(entry?.embeddings).toEqual(embeddings);
    // The data key itself is stored only wrapped.
    const keys = await ownerQuery<{ wrappedKey: Buffer }>(`SELECT "wrappedKey" FROM "IdentityDataKey" WHERE "tenantId" = $1`, [tenantA]);
    expect(keys).toHaveLength(1);
    expect(keys[0]?.wrappedKey.length).toBeGreaterThan(32);
  });

  it('a sealed embedding copied to another person does not open (bound to its owner)', async () => {
    const a = await gallery.enroll(tenantA, 'user:test', { displayName: 'A', model: 'm-bind', embeddings: [vector(3)] });
    const b = await gallery.enroll(tenantA, 'user:test', { displayName: 'B', model: 'm-bind', embeddings: [vector(4)] });
    await ownerQuery(`UPDATE "PersonEmbedding" SET "sealed" = (SELECT "sealed" FROM "PersonEmbedding" WHERE "personId" = $1) WHERE "personId" = $2`, [
      a.id,
      b.id,
    ]);
    await expect(gallery.galleries(tenantA, 'm-bind')).rejects.toThrow();
  });

  it('erasure removes the person and every embedding, and writes exactly one audit row', async () => {
    const person = await gallery.enroll(tenantA, 'user:test', { displayName: 'Gone', model: 'faceres', embeddings: [vector(5), vector(6), vector(7)] });
    const before = (await gallery.auditLog(tenantA)).length;
    await expect(gallery.erase(tenantA, 'user:eraser', person.id)).resolves.toEqual({ personId: person.id, embeddingsErased: 3 });
    expect(await ownerQuery(`SELECT 1 FROM "PersonEmbedding" WHERE "personId" = $1`, [person.id])).toHaveLength(0);
    expect(await ownerQuery(`SELECT 1 FROM "Person" WHERE "id" = $1`, [person.id])).toHaveLength(0);
    const log = await gallery.auditLog(tenantA);
    expect(log).toHaveLength(before + 1);
    expect(log[0]).toMatchObject({ action: 'ERASE', personId: person.id, actor: 'user:eraser' });
    expect(log[0]?.detail).not.toContain('Gone');
    await expect(gallery.erase(tenantA, 'user:eraser', person.id)).rejects.toMatchObject({ apiCode: 'NOT_FOUND' });
  });

  it('another tenant cannot see, open or erase the people of a tenant', async () => {
    const person = await gallery.enroll(tenantA, 'user:test', { displayName: 'Private', model: 'faceres', embeddings: [vector(8)] });
    expect((await gallery.list(tenantB)).map((p) => p.id)).not.toContain(person.id);
    expect(await gallery.galleries(tenantB, 'faceres')).toEqual([]);
    await expect(gallery.erase(tenantB, 'user:intruder', person.id)).rejects.toMatchObject({ apiCode: 'NOT_FOUND' });
    expect((await gallery.list(tenantA)).map((p) => p.id)).toContain(person.id);
    expect(await gallery.auditLog(tenantB)).toEqual([]);
  });

  it('the audit log is append-only for the application role', async () => {
    const c = new Client({ connectionString: database.url });
    await c.connect();
    try {
      await c.query(`SET ROLE trinetra_app`);
      await c.query(`SELECT set_config('app.tenant_id', $1, false)`, [tenantA]);
      await expect(c.query(`DELETE FROM "IdentityAuditLog"`)).rejects.toThrow(/permission denied/);
      await expect(c.query(`UPDATE "IdentityAuditLog" SET "actor" = 'x'`)).rejects.toThrow(/permission denied/);
    } finally {
      await c.end();
    }
  });

  it('rejects more than three embeddings, mixed lengths and empty names', async () => {
    await expect(
      gallery.enroll(tenantA, 'u', { displayName: 'X', model: 'faceres', embeddings: [vector(1), vector(2), vector(3), vector(4)] }),
    ).rejects.toMatchObject({
      apiCode: 'BAD_USER_INPUT',
    });
    await expect(gallery.enroll(tenantA, 'u', { displayName: 'X', model: 'faceres', embeddings: [vector(1), [1, 2]] })).rejects.toMatchObject({
      apiCode: 'BAD_USER_INPUT',
    });
    await expect(gallery.enroll(tenantA, 'u', { displayName: ' ', model: 'faceres', embeddings: [vector(1)] })).rejects.toMatchObject({
      apiCode: 'BAD_USER_INPUT',
    });
  });
});
