import { randomUUID } from 'node:crypto';
import type { VectorIndex } from '../application/vector-index.port';
import { near, seededVectors } from '../testing/seeded-vectors';

export { near, seededVectors };

/**
 * The behaviour every VectorIndex must have (application/vector-index.port.ts), run against
 * the embedded hnswlib index always and against Milvus where MILVUS_ADDRESS answers.
 * `make` gives a fresh index; tenants are fresh UUIDs per test so runs never share state.
 */
export function vectorIndexContract(make: () => Promise<VectorIndex>, options: { dims?: number; model?: string } = {}): void {
  const dims = options.dims ?? 64;
  const model = options.model ?? `contract_${dims}`;
  let index: VectorIndex;
  beforeAll(async () => {
    index = await make();
  });
  afterAll(async () => {
    await index?.close();
  });

  const people = (tenant: string, n: number, seed: number) => {
    const vectors = seededVectors(n, dims, seed);
    return vectors.map((vector) => ({ id: randomUUID(), personId: randomUUID(), vector, tenant }));
  };

  it('finds the nearest person first, with a cosine score, one hit per person', async () => {
    const tenant = randomUUID();
    const rows = people(tenant, 50, 7);
    // A second vector for the first person: search still answers that person once.
    const extra = { id: randomUUID(), personId: rows[0]!.personId, vector: near(rows[0]!.vector, 99) };
    await index.upsert(tenant, model, [...rows, extra]);
    const hits = await index.search(tenant, model, near(rows[0]!.vector, 5), 5);
    expect(hits[0]?.personId).toBe(rows[0]!.personId);
    expect(hits[0]!.score).toBeGreaterThan(0.9);
    expect(hits[0]!.score).toBeLessThanOrEqual(1.0001);
    expect(new Set(hits.map((h) => h.personId)).size).toBe(hits.length);
    expect(hits.map((h) => h.score)).toEqual([...hits.map((h) => h.score)].sort((a, b) => b - a));
    expect(await index.count(tenant, model)).toBe(51);
  });

  it('answers [] for an empty tenant or an unknown model', async () => {
    expect(await index.search(randomUUID(), model, seededVectors(1, dims, 3)[0]!, 3)).toEqual([]);
    expect(await index.count(randomUUID(), model)).toBe(0);
  });

  it("never answers one tenant's search with another tenant's vectors", async () => {
    const a = randomUUID();
    const b = randomUUID();
    const [secret] = people(a, 1, 11);
    await index.upsert(a, model, [secret!]);
    await index.upsert(b, model, people(b, 3, 12));
    const hits = await index.search(b, model, secret!.vector, 10);
    expect(hits.map((h) => h.personId)).not.toContain(secret!.personId);
    expect(hits.every((h) => h.score < 0.9)).toBe(true);
  });

  it('upsert replaces a vector by id', async () => {
    const tenant = randomUUID();
    const [row] = people(tenant, 1, 21);
    await index.upsert(tenant, model, [row!]);
    const moved = seededVectors(1, dims, 22)[0]!;
    await index.upsert(tenant, model, [{ ...row!, vector: moved }]);
    expect(await index.count(tenant, model)).toBe(1);
    const [hit] = await index.search(tenant, model, moved, 1);
    expect(hit?.score).toBeGreaterThan(0.99);
  });

  it('remove drops every vector of a person at once; removing the absent is fine', async () => {
    const tenant = randomUUID();
    const rows = people(tenant, 5, 31);
    const twin = { id: randomUUID(), personId: rows[2]!.personId, vector: near(rows[2]!.vector, 32) };
    await index.upsert(tenant, model, [...rows, twin]);
    await index.remove(tenant, [rows[2]!.personId, randomUUID()]);
    expect(await index.count(tenant, model)).toBe(4);
    const hits = await index.search(tenant, model, rows[2]!.vector, 5);
    expect(hits.map((h) => h.personId)).not.toContain(rows[2]!.personId);
    await index.remove(randomUUID(), [randomUUID()]);
  });

  it('dropTenant forgets a tenant and only that tenant', async () => {
    const a = randomUUID();
    const b = randomUUID();
    await index.upsert(a, model, people(a, 3, 41));
    await index.upsert(b, model, people(b, 2, 42));
    await index.dropTenant(a);
    expect(await index.count(a, model)).toBe(0);
    expect(await index.count(b, model)).toBe(2);
  });
}
