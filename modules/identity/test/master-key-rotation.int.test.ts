import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createSystemDb, createTenantDbFactory, type SystemDb, type TenantDbFactory } from '@trinetra/db';
import { decodeIdentityMasterKey } from '../../../server/config/dev-identity-master-key';
import { createTestDatabase, type TestDatabase } from '../../../server/test/support/test-database';
import { PersonGalleryService } from '../application/person-gallery.service';
import { runRotateMasterKey } from '../cli/rotate-master-key.command';
import { MasterKeyErrorCode } from '../domain/master-key.error';
import { createIdentityModule } from '../identity.module';
import { HnswVectorIndex } from '../infra/hnsw-vector-index';
import { masterKey } from '../infra/master-key';
import { rotateMasterKey } from '../infra/master-key-rotation';
import { TenantDataKeyStore } from '../infra/tenant-data-key.store';

let database: TestDatabase;
let db: SystemDb;
let tenantDb: TenantDbFactory;
let planId: string;
const K1 = masterKey(randomBytes(32), 'IDENTITY_MASTER_KEY');
const K2 = masterKey(randomBytes(32), 'IDENTITY_MASTER_KEY_NEW');
const K3 = masterKey(randomBytes(32), 'IDENTITY_MASTER_KEY_NEW');
const vector = (seed: number) => Array.from({ length: 1024 }, (_, i) => Math.fround(Math.sin(seed * 31 + i) * 0.05));
/** Each tenant's one enrolled person and the vector they were enrolled with. */
const enrolled = new Map<string, { personId: string; vector: number[] }>();

/** A fresh service, as a server process just started with these keys would have (no cached data key). */
function gallery(current: Uint8Array, previous?: Uint8Array): { gallery: PersonGalleryService; index: HnswVectorIndex } {
  const index = new HnswVectorIndex();
  return { gallery: new PersonGalleryService(db, tenantDb, new TenantDataKeyStore(tenantDb, current, previous), index), index };
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

const keyRows = () =>
  ownerQuery<{ tenantId: string; wrappedKey: Buffer; masterKeyId: string | null }>(
    `SELECT "tenantId", "wrappedKey", "masterKeyId" FROM "IdentityDataKey" ORDER BY "tenantId"`,
  );
const rotateAudits = () =>
  ownerQuery<{ tenantId: string; actor: string; detail: string }>(
    `SELECT "tenantId", "actor", "detail" FROM "IdentityAuditLog" WHERE "action" = 'MASTER_KEY_ROTATE'`,
  );

/** Every tenant's person opens and matches by their own vector through a fresh service with these keys. */
async function expectAllOpen(current: Uint8Array, previous?: Uint8Array): Promise<void> {
  const { gallery: g, index } = gallery(current, previous);
  for (const [tenantId, { personId, vector: v }] of enrolled) {
    const [entry] = await g.galleries(tenantId, 'faceres');
    expect(entry).toEqual({ personId, embeddings: [v] });
    await g.rebuildIndex(tenantId);
    const [hit] = await index.search(tenantId, 'faceres', v, 1);
    expect(hit?.personId).toBe(personId);
    expect(hit!.score).toBeGreaterThan(0.999);
  }
  await index.close();
}

beforeAll(async () => {
  database = await createTestDatabase();
  db = createSystemDb({ databaseUrl: database.url, poolSize: 3 });
  tenantDb = createTenantDbFactory(db);
  planId = (
    await db.plan.create({ data: { id: randomUUID(), code: `p-${randomUUID()}`, name: 'p', maxCameras: 5, monthlyFrameQuota: 1000n, requestsPerMinute: 100 } })
  ).id;
  // Five tenants enrolled by a server on K1; a sixth tenant never enrolled (no key row).
  const { gallery: g, index } = gallery(K1.key);
  for (let i = 0; i < 5; i += 1) {
    const tenantId = (await db.tenant.create({ data: { name: `t-${randomUUID()}`, planId } })).id;
    const person = await g.enroll(tenantId, 'user:test', { displayName: `P${i}`, model: 'faceres', embeddings: [vector(i + 1)] });
    enrolled.set(tenantId, { personId: person.id, vector: vector(i + 1) });
  }
  await db.tenant.create({ data: { name: `t-${randomUUID()}`, planId } });
  await index.close();
});

afterAll(async () => {
  await db?.$disconnect();
  await database?.drop();
});

describe('identity master key rotation (Postgres)', () => {
  it('a server records the fingerprint of the master key that wrapped each data key', async () => {
    const rows = await keyRows();
    expect(rows).toHaveLength(5);
    for (const row of rows) expect(row.masterKeyId).toBe(K1.id);
  });

  it('a wrong old key is refused before any row changes, naming the fingerprint that wrapped them', async () => {
    // One legacy row (wrapped before fingerprints were recorded) must be handled by trial, too.
    const [legacy] = await keyRows();
    await ownerQuery(`UPDATE "IdentityDataKey" SET "masterKeyId" = NULL WHERE "tenantId" = $1`, [legacy!.tenantId]);
    const before = await keyRows();
    const wrongOld = masterKey(randomBytes(32), 'IDENTITY_MASTER_KEY');
    const run = rotateMasterKey(db, wrongOld, K2, { actor: 'cli' });
    await expect(run).rejects.toMatchObject({ code: MasterKeyErrorCode.UNKNOWN_MASTER_KEY });
    await expect(rotateMasterKey(db, wrongOld, K2, { actor: 'cli' })).rejects.toThrow(
      new RegExp(`wrapped by master key ${K1.id}.*and 4 more data key.*no data key was changed`),
    );
    expect(await keyRows()).toEqual(before);
    expect(await rotateAudits()).toEqual([]);
  });

  it('equal old and new keys are refused', async () => {
    await expect(rotateMasterKey(db, K1, masterKey(Buffer.from(K1.key), 'IDENTITY_MASTER_KEY_NEW'), { actor: 'cli' })).rejects.toMatchObject({
      code: MasterKeyErrorCode.KEY_INVALID,
    });
  });

  it('a rotation stopped after two tenants leaves each row wholly old or new; the servers keep working on new + previous, and a rerun completes', async () => {
    const stop = new Error('killed after two tenants');
    await expect(
      rotateMasterKey(db, K1, K2, {
        actor: 'cli',
        onProgress: ({ done }) => {
          if (done === 2) throw stop;
        },
      }),
    ).rejects.toBe(stop);
    const half = await keyRows();
    expect(half.filter((r) => r.masterKeyId === K2.id)).toHaveLength(2);
    expect(half.filter((r) => r.masterKeyId !== K2.id)).toHaveLength(3);
    expect(await rotateAudits()).toHaveLength(2);
    // The rollout window: new key first, old one as previous.
    await expectAllOpen(K2.key, K1.key);

    const report = await rotateMasterKey(db, K1, K2, { actor: 'cli' });
    expect(report).toEqual({ rotated: 3, alreadyRotated: 2, remaining: 0 });
    for (const row of await keyRows()) expect(row.masterKeyId).toBe(K2.id);
  });

  it('after the rotation a server with only the new key opens and matches every tenant', async () => {
    await expectAllOpen(K2.key);
  });

  it('a server with only the old key refuses with an error naming the new key fingerprint', async () => {
    const { gallery: g, index } = gallery(K1.key);
    const [tenantId] = enrolled.keys();
    const read = g.galleries(tenantId!, 'faceres');
    await expect(read).rejects.toMatchObject({ code: MasterKeyErrorCode.UNKNOWN_MASTER_KEY });
    await expect(g.galleries(tenantId!, 'faceres')).rejects.toThrow(
      new RegExp(`wrapped by master key ${K2.id}, which this process does not hold \\(it has IDENTITY_MASTER_KEY ${K1.id}\\)`),
    );
    await index.close();
  });

  it('a second run changes nothing and audits nothing', async () => {
    const before = await keyRows();
    expect(await rotateMasterKey(db, K1, K2, { actor: 'cli' })).toEqual({ rotated: 0, alreadyRotated: 5, remaining: 0 });
    expect(await keyRows()).toEqual(before);
    const audits = await rotateAudits();
    expect(audits).toHaveLength(5);
    expect(new Set(audits.map((a) => a.tenantId))).toEqual(new Set(enrolled.keys()));
    for (const a of audits) {
      expect(a.actor).toBe('cli');
      expect(a.detail).toBe(`data key re-wrapped: master key ${K1.id} -> ${K2.id}`);
    }
  });

  it('a server on the new key wraps new tenants with it', async () => {
    const tenantId = (await db.tenant.create({ data: { name: `t-${randomUUID()}`, planId } })).id;
    const { gallery: g, index } = gallery(K2.key, K1.key);
    await g.enroll(tenantId, 'user:test', { displayName: 'New', model: 'faceres', embeddings: [vector(99)] });
    const [row] = await ownerQuery<{ masterKeyId: string }>(`SELECT "masterKeyId" FROM "IdentityDataKey" WHERE "tenantId" = $1`, [tenantId]);
    expect(row?.masterKeyId).toBe(K2.id);
    enrolled.set(tenantId, { personId: (await g.list(tenantId))[0]!.id, vector: vector(99) });
    await index.close();
  });

  it('the CLI rotates on to a third key, prints fingerprints and counts, never a key', async () => {
    const out: string[] = [];
    const io = { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => out.push(s) } };
    const env = { IDENTITY_MASTER_KEY: Buffer.from(K2.key).toString('base64'), IDENTITY_MASTER_KEY_NEW: Buffer.from(K3.key).toString('base64url') };
    const deps = { decodeKey: decodeIdentityMasterKey, openDb: () => createSystemDb({ databaseUrl: database.url, poolSize: 2 }) };
    expect(await runRotateMasterKey(['--dry-run'], io, deps, env)).toBe(0);
    expect((await keyRows()).every((r) => r.masterKeyId === K2.id)).toBe(true);
    expect(await runRotateMasterKey([], io, deps, env)).toBe(0);
    const text = out.join('');
    expect(text).toContain(`master keys: old ${K2.id} (IDENTITY_MASTER_KEY), new ${K3.id} (IDENTITY_MASTER_KEY_NEW)`);
    expect(text).toContain('dry run: every data key opens; 6 to re-wrap, 0 already on the new key');
    expect(text).toContain('rotated=6 already_rotated=0 remaining=0');
    for (const k of [K2, K3]) for (const enc of ['base64', 'base64url', 'hex'] as const) expect(text).not.toContain(Buffer.from(k.key).toString(enc));
    await expectAllOpen(K3.key);
    // Run again: nothing to do. Then keys that wrapped nothing any more: refused (exit 1), nothing changed.
    const before = await keyRows();
    expect(await runRotateMasterKey([], io, deps, env)).toBe(0);
    expect(out.join('')).toContain('rotated=0 already_rotated=6 remaining=0');
    const stale = { IDENTITY_MASTER_KEY: Buffer.from(K1.key).toString('base64'), IDENTITY_MASTER_KEY_NEW: Buffer.from(K2.key).toString('base64') };
    expect(await runRotateMasterKey([], io, deps, stale)).toBe(1);
    expect(out.join('')).toMatch(new RegExp(`wrapped by master key ${K3.id}.*no data key was changed`));
    expect(await keyRows()).toEqual(before);
  });

  it('two runs at once re-wrap each data key once (row locks): one audit row per tenant', async () => {
    const [a, b] = await Promise.all([rotateMasterKey(db, K3, K1, { actor: 'cli' }), rotateMasterKey(db, K3, K1, { actor: 'cli' })]);
    expect(a!.rotated + b!.rotated).toBe(6);
    expect(a!.remaining + b!.remaining).toBe(0);
    expect((await rotateAudits()).filter((r) => r.detail.endsWith(`${K3.id} -> ${K1.id}`))).toHaveLength(6);
    await expectAllOpen(K1.key);
  });

  it('a server starts on the new key with the old one as previous, and refuses to start with a key that wrapped nothing', async () => {
    // start() only rebuilds the index from Postgres: it never embeds a photo or reads a camera.
    const module = (current: Uint8Array, previous?: Uint8Array) =>
      createIdentityModule({
        db,
        tenantDb,
        masterKey: current,
        ...(previous ? { previousMasterKey: previous } : {}),
        faces: { model: 'faceres', embedFacePhotos: () => Promise.reject(new Error('not used by start()')) },
        cameras: { find: () => Promise.resolve(null) },
        index: new HnswVectorIndex(),
      });
    const rolling = module(K2.key, K1.key);
    await expect(rolling.start()).resolves.toEqual({ tenants: 6, vectorsLoaded: 6 });
    await rolling.stop();
    const wrong = module(K2.key);
    await expect(wrong.start()).rejects.toThrow(new RegExp(`wrapped by master key ${K1.id}, which this process does not hold`));
    await wrong.stop();
  });
});
