import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HierarchicalNSW } from 'hnswlib-node';
import type { IndexedVector, VectorHit, VectorIndex } from '../application/vector-index.port';
import { MAX_EMBEDDINGS_PER_PERSON } from '../domain/open-set-matcher';
import { open, seal } from './embedding-cipher';

/**
 * HNSW parameters, chosen by `npm run bench:identity-sweep` (100k random 1024-d vectors, queries a
 * stored vector + 0.3 noise, recall@1 of that vector; random vectors are HNSW's hardest case, real
 * faces cluster). Measured 2026-11-29 on the shared 2-core machine, per query the fastest of
 * 3 passes (M=32 rows at load 0.1-0.5):
 *   M=16 efC=100 ef=64 (before):  p50 1.33 ms, p99 2.08 ms, recall@1 0.722 (bench:identity, quiet)
 *   M=16 efC=200 ef=64 / 128 / 400: recall 0.746 / 0.913 / 0.998, p50 1.50 / 2.32 / 6.74 ms (load ~4)
 *   M=32 efC=200 ef=24 / 32 / 48 / 64: recall 0.873 / 0.933 / 0.981 / 0.994,
 *                                       p50 1.05 / 1.29 / 1.75 / 2.21 ms, p99 1.80 / 2.13 / 2.79 / 3.39 ms
 * The graph's degree, not the search breadth, is what random 1024-d data lacks: at the old cost
 * (p50 ~1.35 ms) M=32 finds 0.933 where M=16 found 0.722. No setting reaches both p99 < 2 ms and
 * recall ~0.99 on this CPU: ef 32 is the best recall with p99 near 2 ms (2.13 ms); ef 64 gives 0.994
 * for p99 3.4 ms. Costs of M=32: builds ~2.5x slower than M=16 at the same efConstruction
 * (72 against 180 vectors/s under load ~3; bench:identity built 100k in 1030 s, 97/s), ~3% more
 * memory (links beside 4 KiB vectors).
 * With hnswlib built for x86-64-v3 (AVX2/FMA; scripts/hnswlib-simd-build.js at install), searches
 * are 1.23x faster at every ef: ef 32 has p99 1.84 ms at 100k, under the 2 ms target
 * (`npm run bench:identity-simd`, both builds side by side on one graph; docs/IDENTITY.md).
 * A missed neighbour gives UNKNOWN, never another person's name.
 */
const M = 32;
const EF_CONSTRUCTION = 200;
/** Search breadth; raised to k when k is larger (see the figures above). */
const EF_SEARCH = 32;
/**
 * Indexes persisted before M was raised (their header has no `m`) were built with M=16, where
 * ef 32 would find only 0.55 at 100k: they keep the breadth they were measured at until a
 * compaction (an erasure, or deletions past a quarter) rebuilds them with M.
 */
const LEGACY_M = 16;
const LEGACY_EF_SEARCH = 64;
const INITIAL_CAPACITY = 1024;

/** Where a persisted index goes, and the key that seals it (the tenant's identity data key). */
export interface HnswPersistence {
  /** Folder under DATA_DIR, e.g. `<DATA_DIR>/identity-index`. */
  dir: string;
  dataKey(tenantId: string): Promise<Uint8Array>;
}

interface Slot {
  id: string;
  personId: string;
}

/** One tenant's index of one model. Labels are hnswlib's numeric ids; `slots` maps them back. */
class TenantModelIndex {
  readonly byId = new Map<string, number>();
  readonly slots = new Map<number, Slot>();
  deleted = 0;
  /** Labels only grow; a loaded index continues above its highest stored label. */
  nextLabel = 0;

  constructor(
    readonly dims: number,
    readonly hnsw: HierarchicalNSW = TenantModelIndex.empty(dims, INITIAL_CAPACITY),
    /** The M the graph was built with (persisted indexes may predate the current one). */
    readonly m: number = M,
  ) {}

  get efSearch(): number {
    return this.m === M ? EF_SEARCH : LEGACY_EF_SEARCH;
  }

  static empty(dims: number, capacity: number): HierarchicalNSW {
    const index = new HierarchicalNSW('cosine', dims);
    index.initIndex({ maxElements: capacity, m: M, efConstruction: EF_CONSTRUCTION, randomSeed: 100, allowReplaceDeleted: false });
    index.setEf(EF_SEARCH);
    return index;
  }

  get live(): number {
    return this.slots.size;
  }

  add(v: IndexedVector): void {
    if (v.vector.length !== this.dims) throw new RangeError(`vector has ${v.vector.length} dimensions, the index ${this.dims}`);
    const old = this.byId.get(v.id);
    if (old !== undefined) this.drop(old);
    if (this.hnsw.getCurrentCount() >= this.hnsw.getMaxElements()) this.hnsw.resizeIndex(Math.max(INITIAL_CAPACITY, this.hnsw.getMaxElements() * 2));
    const label = this.nextLabel++;
    this.hnsw.addPoint(v.vector as number[], label);
    this.byId.set(v.id, label);
    this.slots.set(label, { id: v.id, personId: v.personId });
  }

  drop(label: number): void {
    const slot = this.slots.get(label);
    if (!slot) return;
    this.hnsw.markDelete(label);
    this.slots.delete(label);
    this.byId.delete(slot.id);
    this.deleted++;
  }

  /** A fresh index of only the live vectors: marked-deleted vectors keep their bytes in hnswlib, so erasure rebuilds. */
  compacted(): TenantModelIndex {
    const next = new TenantModelIndex(this.dims, TenantModelIndex.empty(this.dims, Math.max(INITIAL_CAPACITY, this.live * 2)));
    for (const [label, slot] of this.slots) next.add({ ...slot, vector: this.hnsw.getPoint(label) });
    return next;
  }

  search(vector: readonly number[], k: number): VectorHit[] {
    if (this.live === 0) return [];
    if (vector.length !== this.dims) throw new RangeError(`query has ${vector.length} dimensions, the index ${this.dims}`);
    // Up to MAX_EMBEDDINGS_PER_PERSON vectors per owner: ask for enough neighbours to fill k owners.
    const want = Math.min(this.live, k * MAX_EMBEDDINGS_PER_PERSON);
    this.hnsw.setEf(Math.max(this.efSearch, want));
    const { neighbors, distances } = this.hnsw.searchKnn(vector as number[], want);
    const best = new Map<string, number>();
    neighbors.forEach((label, i) => {
      const slot = this.slots.get(label);
      if (!slot) return;
      const score = 1 - (distances[i] ?? 1);
      if (score > (best.get(slot.personId) ?? -Infinity)) best.set(slot.personId, score);
    });
    return [...best]
      .map(([personId, score]) => ({ personId, score }))
      .sort((a, b) => b.score - a.score)
      .slice(0, k);
  }
}

const keyOf = (tenantId: string, model: string) => `${tenantId}\u0000${model}`;
const indexAad = (tenantId: string, model: string) => `identity-index:${tenantId}:${model}`;

/**
 * The embedded vector index (hnswlib-node, a native addon built from source at install): one
 * HNSW graph per tenant and model, so one tenant's search cannot reach another's vectors.
 *
 * Persistence (optional): after each change the tenant's index is written under
 * `persistence.dir/<tenant>/<model>.idx`, sealed with the tenant's data key (AES-256-GCM)
 * because it holds the vectors, which are biometric data and must never rest in plaintext.
 * hnswlib only writes to a path, so the plaintext passes through a file in /dev/shm (memory)
 * that is removed at once. Postgres stays the source of truth: the module rebuilds an index
 * whose ids differ from the stored embeddings (identity.module.ts, `rebuildFromDatabase`).
 *
 * Removal rebuilds the graph without the removed vectors: hnswlib's markDelete only hides a
 * vector from search and keeps its bytes, which erasure must not.
 */
export class HnswVectorIndex implements VectorIndex {
  private readonly indexes = new Map<string, TenantModelIndex>();
  private readonly chains = new Map<string, Promise<unknown>>();

  constructor(private readonly persistence?: HnswPersistence) {}

  /** Serialises the operations on one tenant (loads, writes and compactions never interleave). */
  private serial<T>(tenantId: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.chains.get(tenantId) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    this.chains.set(
      tenantId,
      next.catch(() => undefined),
    );
    return next;
  }

  async upsert(tenantId: string, model: string, vectors: readonly IndexedVector[]): Promise<void> {
    if (vectors.length === 0) return;
    await this.serial(tenantId, async () => {
      const dims = vectors[0]!.vector.length;
      let index = await this.load(tenantId, model);
      if (!index) {
        index = new TenantModelIndex(dims);
        this.indexes.set(keyOf(tenantId, model), index);
      }
      for (const v of vectors) index.add(v);
      if (index.deleted > Math.max(64, index.live / 4)) this.indexes.set(keyOf(tenantId, model), (index = index.compacted()));
      await this.persist(tenantId, model, index);
    });
  }

  async remove(tenantId: string, personIds: readonly string[]): Promise<void> {
    if (personIds.length === 0) return;
    const gone = new Set(personIds);
    await this.serial(tenantId, async () => {
      for (const model of await this.models(tenantId)) {
        const index = await this.load(tenantId, model);
        if (!index) continue;
        const labels = [...index.slots].filter(([, s]) => gone.has(s.personId)).map(([label]) => label);
        if (labels.length === 0) continue;
        for (const label of labels) index.drop(label);
        const fresh = index.compacted();
        this.indexes.set(keyOf(tenantId, model), fresh);
        await this.persist(tenantId, model, fresh);
      }
    });
  }

  async search(tenantId: string, model: string, vector: readonly number[], k: number): Promise<VectorHit[]> {
    if (!Number.isInteger(k) || k < 1) throw new RangeError('k must be a positive integer');
    const cached = this.indexes.get(keyOf(tenantId, model));
    // The common case answers synchronously from memory; only a first touch waits for a load.
    const index = cached ?? (await this.serial(tenantId, () => this.load(tenantId, model)));
    return index ? index.search(vector, k) : [];
  }

  async count(tenantId: string, model: string): Promise<number> {
    const index = this.indexes.get(keyOf(tenantId, model)) ?? (await this.serial(tenantId, () => this.load(tenantId, model)));
    return index?.live ?? 0;
  }

  /** Every vector id of a tenant's model (used to check a persisted index against Postgres). */
  async ids(tenantId: string, model: string): Promise<Set<string>> {
    const index = this.indexes.get(keyOf(tenantId, model)) ?? (await this.serial(tenantId, () => this.load(tenantId, model)));
    return new Set(index ? index.byId.keys() : []);
  }

  async dropTenant(tenantId: string): Promise<void> {
    await this.serial(tenantId, async () => {
      for (const key of [...this.indexes.keys()]) if (key.startsWith(`${tenantId}\u0000`)) this.indexes.delete(key);
      if (this.persistence) await rm(path.join(this.persistence.dir, tenantId), { recursive: true, force: true });
    });
  }

  async close(): Promise<void> {
    await Promise.all([...this.chains.values()]);
    this.indexes.clear();
  }

  private async models(tenantId: string): Promise<string[]> {
    const models = new Set<string>();
    for (const key of this.indexes.keys()) if (key.startsWith(`${tenantId}\u0000`)) models.add(key.slice(tenantId.length + 1));
    if (this.persistence && existsSync(path.join(this.persistence.dir, tenantId))) {
      const { readdir } = await import('node:fs/promises');
      for (const f of await readdir(path.join(this.persistence.dir, tenantId))) if (f.endsWith('.idx')) models.add(decodeURIComponent(f.slice(0, -4)));
    }
    return [...models];
  }

  private file(tenantId: string, model: string): string {
    return path.join(this.persistence!.dir, tenantId, `${encodeURIComponent(model)}.idx`);
  }

  /** The in-memory index, or the persisted one opened, or undefined when the tenant has none. */
  private async load(tenantId: string, model: string): Promise<TenantModelIndex | undefined> {
    const key = keyOf(tenantId, model);
    const cached = this.indexes.get(key);
    if (cached || !this.persistence) return cached;
    const file = this.file(tenantId, model);
    if (!existsSync(file)) return undefined;
    const plain = open(await this.persistence.dataKey(tenantId), await readFile(file), indexAad(tenantId, model));
    const headerLength = plain.readUInt32LE(0);
    const header = JSON.parse(plain.subarray(4, 4 + headerLength).toString('utf8')) as { dims: number; m?: number; slots: [number, string, string][] };
    const hnsw = new HierarchicalNSW('cosine', header.dims);
    await withScratchFile(async (scratch) => {
      await writeFile(scratch, plain.subarray(4 + headerLength), { mode: 0o600 });
      hnsw.readIndexSync(scratch, false);
    });
    const index = new TenantModelIndex(header.dims, hnsw, header.m ?? LEGACY_M);
    // Labels restart above the highest stored one, so a new vector never reuses a live label.
    for (const [label, id, personId] of header.slots) {
      index.slots.set(label, { id, personId });
      index.byId.set(id, label);
    }
    index.nextLabel = Math.max(0, ...header.slots.map(([l]) => l + 1), hnsw.getCurrentCount());
    this.indexes.set(key, index);
    return index;
  }

  private async persist(tenantId: string, model: string, index: TenantModelIndex): Promise<void> {
    if (!this.persistence) return;
    const file = this.file(tenantId, model);
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    if (index.live === 0) {
      await rm(file, { force: true });
      return;
    }
    const graph = await withScratchFile(async (scratch) => {
      index.hnsw.writeIndexSync(scratch);
      return readFile(scratch);
    });
    const header = Buffer.from(JSON.stringify({ dims: index.dims, m: index.m, slots: [...index.slots].map(([label, s]) => [label, s.id, s.personId]) }), 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32LE(header.length, 0);
    const sealed = seal(await this.persistence.dataKey(tenantId), Buffer.concat([length, header, graph]), indexAad(tenantId, model));
    const temp = `${file}.${randomUUID()}.tmp`;
    await writeFile(temp, sealed, { mode: 0o600 });
    await rename(temp, file);
  }
}

/** A private scratch file in memory (/dev/shm) where there is one, removed afterwards whatever happens. */
async function withScratchFile<T>(fn: (file: string) => Promise<T>): Promise<T> {
  const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const file = path.join(base, `trinetra-hnsw-${randomUUID()}`);
  try {
    return await fn(file);
  } finally {
    await rm(file, { force: true });
  }
}
