import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { near, seededVectors, vectorIndexContract } from '../test/vector-index.contract';
import { open, seal } from './embedding-cipher';
import { HnswVectorIndex } from './hnsw-vector-index';

describe('HnswVectorIndex (embedded, memory only): VectorIndex contract', () => {
  vectorIndexContract(async () => new HnswVectorIndex());
});

describe('HnswVectorIndex persisted under DATA_DIR: VectorIndex contract', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hnsw-contract-'));
  const key = randomBytes(32);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  vectorIndexContract(async () => new HnswVectorIndex({ dir, dataKey: async () => key }));
});

describe('HnswVectorIndex persistence', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'hnsw-persist-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reopens a tenant index from disk, sealed: no plaintext float run of any vector in the file', async () => {
    const tenant = randomUUID();
    const keys = new Map<string, Buffer>([[tenant, randomBytes(32)]]);
    const dataKey = async (t: string) => keys.get(t)!;
    const vectors = seededVectors(20, 128, 5).map((vector) => ({ id: randomUUID(), personId: randomUUID(), vector }));
    const first = new HnswVectorIndex({ dir, dataKey });
    await first.upsert(tenant, 'faceres', vectors);
    await first.close();

    const files = readdirSync(path.join(dir, tenant));
    expect(files).toEqual(['faceres.idx']);
    const bytes = readFileSync(path.join(dir, tenant, 'faceres.idx'));
    for (const v of vectors) {
      const plain = Buffer.alloc(16);
      for (let i = 0; i < 4; i++) plain.writeFloatLE(v.vector[i]!, i * 4);
      expect(bytes.includes(plain)).toBe(false);
    }

    const reopened = new HnswVectorIndex({ dir, dataKey });
    const [hit] = await reopened.search(tenant, 'faceres', near(vectors[3]!.vector, 9), 1);
    expect(hit?.personId).toBe(vectors[3]!.personId);
    expect(await reopened.count(tenant, 'faceres')).toBe(20);
    // New vectors after a reopen never reuse a live label.
    await reopened.upsert(tenant, 'faceres', [{ id: randomUUID(), personId: randomUUID(), vector: seededVectors(1, 128, 77)[0]! }]);
    expect(await reopened.count(tenant, 'faceres')).toBe(21);
    expect((await reopened.search(tenant, 'faceres', vectors[3]!.vector, 1))[0]?.personId).toBe(vectors[3]!.personId);
    await reopened.close();
  });

  it('a file opened with another tenant key fails instead of answering', async () => {
    const tenant = randomUUID();
    const writer = new HnswVectorIndex({ dir, dataKey: async () => randomBytes(32) });
    await writer.upsert(tenant, 'faceres', [{ id: randomUUID(), personId: randomUUID(), vector: seededVectors(1, 16, 1)[0]! }]);
    await writer.close();
    const reader = new HnswVectorIndex({ dir, dataKey: async () => randomBytes(32) });
    await expect(reader.search(tenant, 'faceres', seededVectors(1, 16, 1)[0]!, 1)).rejects.toThrow();
  });

  it('erasure rewrites the file without the removed vectors (markDelete alone would keep their bytes)', async () => {
    const tenant = randomUUID();
    const key = randomBytes(32);
    const index = new HnswVectorIndex({ dir, dataKey: async () => key });
    const rows = seededVectors(5, 32, 3).map((vector) => ({ id: randomUUID(), personId: randomUUID(), vector }));
    await index.upsert(tenant, 'faceres', rows);
    await index.remove(tenant, [rows[0]!.personId]);
    await index.close();
    const reopened = new HnswVectorIndex({ dir, dataKey: async () => key });
    expect(await reopened.count(tenant, 'faceres')).toBe(4);
    expect((await reopened.ids(tenant, 'faceres')).has(rows[0]!.id)).toBe(false);
    const hits = await reopened.search(tenant, 'faceres', rows[0]!.vector, 5);
    expect(hits.map((h) => h.personId)).not.toContain(rows[0]!.personId);
  });

  it('an index persisted before M was raised (no m in its header) keeps its M until a compaction rebuilds it', async () => {
    const tenant = randomUUID();
    const key = randomBytes(32);
    const file = path.join(dir, tenant, 'faceres.idx');
    const aad = `identity-index:${tenant}:faceres`;
    const header = () => {
      const plain = open(key, readFileSync(file), aad);
      return JSON.parse(plain.subarray(4, 4 + plain.readUInt32LE(0)).toString('utf8')) as { m?: number };
    };
    const rows = seededVectors(6, 32, 8).map((vector) => ({ id: randomUUID(), personId: randomUUID(), vector }));
    const writer = new HnswVectorIndex({ dir, dataKey: async () => key });
    await writer.upsert(tenant, 'faceres', rows);
    await writer.close();
    expect(header().m).toBe(32);
    // Rewrite the header as an older release wrote it: no `m`.
    const plain = open(key, readFileSync(file), aad);
    const length = plain.readUInt32LE(0);
    const { m: _m, ...old } = JSON.parse(plain.subarray(4, 4 + length).toString('utf8')) as Record<string, unknown>;
    const oldHeader = Buffer.from(JSON.stringify(old), 'utf8');
    const prefix = Buffer.alloc(4);
    prefix.writeUInt32LE(oldHeader.length, 0);
    writeFileSync(file, seal(key, Buffer.concat([prefix, oldHeader, plain.subarray(4 + length)]), aad));

    const reopened = new HnswVectorIndex({ dir, dataKey: async () => key });
    expect((await reopened.search(tenant, 'faceres', near(rows[2]!.vector, 4), 1))[0]?.personId).toBe(rows[2]!.personId);
    await reopened.upsert(tenant, 'faceres', [{ id: randomUUID(), personId: randomUUID(), vector: seededVectors(1, 32, 99)[0]! }]);
    expect(header().m).toBe(16);
    await reopened.remove(tenant, [rows[0]!.personId]);
    expect(header().m).toBe(32);
    expect((await reopened.search(tenant, 'faceres', near(rows[2]!.vector, 4), 1))[0]?.personId).toBe(rows[2]!.personId);
    await reopened.close();
  });
});
