import { randomUUID } from 'node:crypto';
import type { SystemDb, TenantDbFactory } from '@trinetra/db';
import { InvalidInputError, NotFoundError } from '@trinetra/shared';
import { emaUpdate } from '../domain/gallery-ema';
import { IdentityError, IdentityErrorCode } from '../domain/identity.error';
import { MAX_EMBEDDINGS_PER_PERSON, type GalleryEntry, type MatchThresholds } from '../domain/open-set-matcher';
import { embeddingAad, embeddingBytes, embeddingFromBytes, open, seal } from '../infra/embedding-cipher';
import type { TenantDataKeyStore } from '../infra/tenant-data-key.store';
import { tenantTransaction } from '../infra/tenant-transaction';
import type { VectorIndex } from './vector-index.port';

/** An enrolled person as the API shows it: never the vectors. */
export interface PersonView {
  id: string;
  displayName: string;
  tags: string[];
  embeddingCount: number;
  createdAt: Date;
}

/** One audit row. */
export interface IdentityAuditEntry {
  id: string;
  action: string;
  personId: string | null;
  actor: string;
  detail: string;
  at: Date;
}

/** Who acted, for the audit log (`user:<id>` or `apiKey:<id>`). */
export type IdentityActor = string;

export const MAX_TAGS = 20;
const TAG = /^[\p{L}\p{N}][\p{L}\p{N} _.-]{0,39}$/u;

function validTags(tags: readonly string[]): string[] {
  const clean = [...new Set(tags.map((t) => t.trim()))];
  if (clean.length > MAX_TAGS) throw new InvalidInputError(`at most ${MAX_TAGS} tags`, { field: 'tags' });
  const bad = clean.find((t) => !TAG.test(t));
  if (bad !== undefined) throw new InvalidInputError(`tag "${bad.slice(0, 50)}" must be 1-40 letters, digits, space, _ . -`, { field: 'tags' });
  return clean;
}

function validEmbeddings(embeddings: readonly (readonly number[])[], dims?: number): number {
  const d = dims ?? embeddings[0]?.length ?? 0;
  if (d === 0 || embeddings.some((e) => e.length !== d || e.some((x) => !Number.isFinite(x)))) {
    throw new InvalidInputError('embeddings must be non-empty finite vectors of one length');
  }
  return d;
}

/**
 * Enrolled people and their encrypted embeddings (Postgres, RLS) mirrored in the vector index.
 * Every write is one transaction with its audit row, and the index changes inside it (before
 * the commit): a failure anywhere leaves neither a half-enrolled person nor a half-erased one.
 * Embeddings are sealed with the tenant's data key before they leave this class and opened
 * only to (re)build the index.
 */
export class PersonGalleryService {
  /** Embedding rows the start-up rebuild could not open (tampered or moved): left out of the index. */
  readonly unopenable = new Set<string>();

  constructor(
    private readonly db: SystemDb,
    private readonly tenantDb: TenantDbFactory,
    private readonly keys: TenantDataKeyStore,
    private readonly index: VectorIndex,
  ) {}

  async enroll(
    tenantId: string,
    actor: IdentityActor,
    input: { displayName: string; tags?: readonly string[]; model: string; embeddings: readonly (readonly number[])[] },
  ): Promise<PersonView> {
    const displayName = input.displayName.trim();
    if (displayName.length === 0 || displayName.length > 200) throw new InvalidInputError('displayName must be 1-200 characters', { field: 'displayName' });
    const tags = validTags(input.tags ?? []);
    const count = input.embeddings.length;
    if (count === 0 || count > MAX_EMBEDDINGS_PER_PERSON)
      throw new InvalidInputError(`enrol 1 to ${MAX_EMBEDDINGS_PER_PERSON} face embeddings per person, got ${count}`);
    const dims = validEmbeddings(input.embeddings);
    const key = await this.keys.dataKey(tenantId);
    const personId = randomUUID();
    const rows = input.embeddings.map((e) => ({ id: randomUUID(), vector: e }));
    const person = await tenantTransaction(this.db, tenantId, async (tx) => {
      const created = await tx.person.create({ data: { id: personId, tenantId, displayName, tags } });
      await tx.personEmbedding.createMany({
        data: rows.map((r) => ({ id: r.id, tenantId, personId, model: input.model, dimensions: dims, sealed: seal(key, embeddingBytes(r.vector), embeddingAad(tenantId, personId)) })),
      });
      await tx.identityAuditLog.create({ data: { tenantId, action: 'ENROLL', personId, actor, detail: `${count} embedding(s), model ${input.model}` } });
      await this.index.upsert(tenantId, input.model, rows.map((r) => ({ id: r.id, personId, vector: r.vector })));
      return created;
    }).catch(async (error: unknown) => {
      await this.index.remove(tenantId, [personId]); // the commit failed after the index took it
      throw error;
    });
    return { id: person.id, displayName, tags, embeddingCount: count, createdAt: person.createdAt };
  }

  /** Adds one face embedding to a person (at most MAX_EMBEDDINGS_PER_PERSON). */
  async addEmbedding(tenantId: string, actor: IdentityActor, personId: string, model: string, embedding: readonly number[]): Promise<PersonView> {
    const key = await this.keys.dataKey(tenantId);
    const id = randomUUID();
    await tenantTransaction(this.db, tenantId, async (tx) => {
      // Row lock: two concurrent additions cannot both see room for a fourth embedding.
      const locked = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "Person" WHERE "id" = ${personId}::uuid AND "tenantId" = ${tenantId}::uuid FOR UPDATE`;
      if (locked.length === 0) throw new NotFoundError('Person', personId);
      const existing = await tx.personEmbedding.findMany({ where: { tenantId, personId }, select: { model: true, dimensions: true } });
      if (existing.length >= MAX_EMBEDDINGS_PER_PERSON)
        throw new IdentityError(IdentityErrorCode.GALLERY_FULL, `person ${personId} already has ${MAX_EMBEDDINGS_PER_PERSON} embeddings; erase and re-enrol to replace them`);
      validEmbeddings([embedding], existing.find((e) => e.model === model)?.dimensions);
      await tx.personEmbedding.create({
        data: { id, tenantId, personId, model, dimensions: embedding.length, sealed: seal(key, embeddingBytes(embedding), embeddingAad(tenantId, personId)) },
      });
      await tx.identityAuditLog.create({ data: { tenantId, action: 'ADD_PHOTO', personId, actor, detail: `1 embedding added, model ${model}` } });
      await this.index.upsert(tenantId, model, [{ id, personId, vector: embedding }]);
    }).catch(async (error: unknown) => {
      await this.reindexPerson(tenantId, personId).catch(() => undefined);
      throw error;
    });
    return this.get(tenantId, personId);
  }

  async tag(tenantId: string, actor: IdentityActor, personId: string, tags: readonly string[]): Promise<PersonView> {
    const clean = validTags(tags);
    const db = this.tenantDb(tenantId);
    const { count } = await db.person.updateMany({ where: { id: personId }, data: { tags: clean } });
    if (count === 0) throw new NotFoundError('Person', personId);
    await db.identityAuditLog.create({ data: { tenantId, action: 'TAG', personId, actor, detail: `tags: ${clean.join(', ') || '(none)'}` } });
    return this.get(tenantId, personId);
  }

  async get(tenantId: string, personId: string): Promise<PersonView> {
    const r = await this.tenantDb(tenantId).person.findFirst({ where: { id: personId }, include: { _count: { select: { embeddings: true } } } });
    if (!r) throw new NotFoundError('Person', personId);
    return { id: r.id, displayName: r.displayName, tags: r.tags, embeddingCount: r._count.embeddings, createdAt: r.createdAt };
  }

  /** A page of people, oldest first (keyset on createdAt, id). */
  async list(tenantId: string, page: { first?: number; after?: { createdAt: Date; id: string }; tag?: string } = {}): Promise<PersonView[]> {
    const take = Math.min(Math.max(page.first ?? 100, 1), 200);
    const rows = await this.tenantDb(tenantId).person.findMany({
      where: {
        ...(page.tag ? { tags: { has: page.tag } } : {}),
        ...(page.after ? { OR: [{ createdAt: { gt: page.after.createdAt } }, { createdAt: page.after.createdAt, id: { gt: page.after.id } }] } : {}),
      },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take,
      include: { _count: { select: { embeddings: true } } },
    });
    return rows.map((r) => ({ id: r.id, displayName: r.displayName, tags: r.tags, embeddingCount: r._count.embeddings, createdAt: r.createdAt }));
  }

  async count(tenantId: string): Promise<number> {
    return this.tenantDb(tenantId).person.count({});
  }

  /** The tenant's galleries for one embedder model, decrypted (in memory only). */
  async galleries(tenantId: string, model: string): Promise<GalleryEntry[]> {
    const byPerson = new Map<string, number[][]>();
    for (const r of await this.openEmbeddings(tenantId, model)) {
      const list = byPerson.get(r.personId) ?? [];
      list.push(r.vector);
      byPerson.set(r.personId, list);
    }
    return [...byPerson].map(([personId, embeddings]) => ({ personId, embeddings }));
  }

  /**
   * Erases a person in one transaction: the row and, by cascade, every embedding, the vectors
   * in the index (the graph is rebuilt without them) and one audit row that records who and
   * when (not the name). A foreign or missing id is NOT_FOUND. If anything fails, nothing is erased.
   */
  async erase(tenantId: string, actor: IdentityActor, personId: string): Promise<{ personId: string; embeddingsErased: number }> {
    let indexTouched = false;
    try {
      return await tenantTransaction(this.db, tenantId, async (tx) => {
        const person = await tx.person.findFirst({ where: { id: personId, tenantId }, include: { _count: { select: { embeddings: true } } } });
        if (!person) throw new NotFoundError('Person', personId);
        const { count } = await tx.person.deleteMany({ where: { id: personId, tenantId } });
        if (count === 0) throw new NotFoundError('Person', personId);
        const erased = person._count.embeddings;
        await tx.identityAuditLog.create({ data: { tenantId, action: 'ERASE', personId, actor, detail: `${erased} embedding(s) erased` } });
        indexTouched = true;
        await this.index.remove(tenantId, [personId]);
        return { personId, embeddingsErased: erased };
      });
    } catch (error) {
      // Rolled back after the index dropped the vectors: put back what Postgres still holds.
      if (indexTouched) await this.reindexPerson(tenantId, personId).catch(() => undefined);
      throw error;
    }
  }

  /**
   * Refreshes a person's closest embedding from a high-quality sighting (EMA, gallery-ema.ts).
   * Answers whether it changed anything.
   */
  async refreshFromSighting(
    tenantId: string,
    personId: string,
    model: string,
    sighting: readonly number[],
    quality: number,
    thresholds: MatchThresholds,
  ): Promise<boolean> {
    const rows = (await this.openEmbeddings(tenantId, model)).filter((r) => r.personId === personId);
    const update = emaUpdate(
      rows.map((r) => r.vector),
      sighting,
      quality,
      thresholds,
    );
    if (!update) return false;
    const row = rows[update.index]!;
    const key = await this.keys.dataKey(tenantId);
    // The write and its audit row commit together, like every other gallery write.
    const count = await tenantTransaction(this.db, tenantId, async (tx) => {
      const { count: updated } = await tx.personEmbedding.updateMany({
        where: { id: row.id },
        data: { sealed: seal(key, embeddingBytes(update.embedding), embeddingAad(tenantId, personId)) },
      });
      if (updated > 0) {
        await tx.identityAuditLog.create({
          data: { tenantId, action: 'GALLERY_REFRESH', personId, actor: 'system:live-sighting', detail: `embedding ${update.index + 1} of ${rows.length} refreshed by EMA (quality ${quality.toFixed(2)})` },
        });
      }
      return updated;
    });
    if (count === 0) return false; // erased meanwhile
    await this.index.upsert(tenantId, model, [{ id: row.id, personId, vector: update.embedding }]);
    return true;
  }

  /**
   * Makes the index match Postgres for a tenant: when the ids differ in any model (a crash, a
   * restore, a persisted index from another machine) the tenant's vectors are reloaded from the
   * sealed rows. Answers how many vectors were (re)loaded (0: it already matched).
   */
  async rebuildIndex(tenantId: string): Promise<number> {
    const rows = await this.tenantDb(tenantId).personEmbedding.findMany({ select: { id: true, model: true } });
    const byModel = new Map<string, Set<string>>();
    for (const r of rows) if (!this.unopenable.has(r.id)) byModel.set(r.model, (byModel.get(r.model) ?? new Set()).add(r.id));
    let same = true;
    for (const [model, ids] of byModel) {
      const indexed = await this.indexIds(tenantId, model);
      if (indexed === null || indexed.size !== ids.size || [...ids].some((id) => !indexed.has(id))) same = false;
    }
    if (same) return 0;
    await this.index.dropTenant(tenantId);
    let loaded = 0;
    for (const model of byModel.keys()) {
      const full = await this.openEmbeddings(tenantId, model, { skipUnopenable: true });
      for (const chunk of chunks(full, 1000)) await this.index.upsert(tenantId, model, chunk.map((r) => ({ id: r.id, personId: r.personId, vector: r.vector })));
      loaded += full.length;
    }
    // Decrypting a gallery is a biometric read: audited like any other.
    await this.tenantDb(tenantId).identityAuditLog.create({
      data: { tenantId, action: 'GALLERY_READ', personId: null, actor: 'system:index-rebuild', detail: `${loaded} embedding(s) loaded into the vector index` },
    });
    return loaded;
  }

  async auditLog(tenantId: string, limit = 100): Promise<IdentityAuditEntry[]> {
    const rows = await this.tenantDb(tenantId).identityAuditLog.findMany({
      orderBy: [{ at: 'desc' }, { id: 'desc' }],
      take: Math.min(Math.max(limit, 1), 500),
    });
    return rows.map((r) => ({ id: r.id, action: r.action, personId: r.personId, actor: r.actor, detail: r.detail, at: r.at }));
  }

  private async indexIds(tenantId: string, model: string): Promise<Set<string> | null> {
    const withIds = this.index as VectorIndex & { ids?: (t: string, m: string) => Promise<Set<string>> };
    return withIds.ids ? withIds.ids(tenantId, model) : null;
  }

  private async reindexPerson(tenantId: string, personId: string): Promise<void> {
    const rows = await this.tenantDb(tenantId).personEmbedding.findMany({ where: { personId } });
    await this.index.remove(tenantId, [personId]);
    if (rows.length === 0) return;
    const key = await this.keys.dataKey(tenantId);
    const byModel = new Map<string, { id: string; personId: string; vector: number[] }[]>();
    for (const r of rows) {
      const list = byModel.get(r.model) ?? [];
      list.push({ id: r.id, personId, vector: embeddingFromBytes(open(key, r.sealed, embeddingAad(tenantId, personId))) });
      byModel.set(r.model, list);
    }
    for (const [model, list] of byModel) await this.index.upsert(tenantId, model, list);
  }

  /**
   * Decrypts a tenant's embeddings of one model. A row that does not open (tampered, moved to
   * another person) throws, except with `skipUnopenable` (the start-up rebuild), where it is left
   * out of the index and counted in `unopenable`: one bad row must not keep a server from starting.
   */
  private async openEmbeddings(tenantId: string, model: string, options: { skipUnopenable?: boolean } = {}): Promise<{ id: string; personId: string; vector: number[] }[]> {
    const rows = await this.tenantDb(tenantId).personEmbedding.findMany({ where: { model }, orderBy: [{ personId: 'asc' }, { createdAt: 'asc' }] });
    const key = await this.keys.dataKey(tenantId);
    return rows.flatMap((r) => {
      try {
        return [{ id: r.id, personId: r.personId, vector: embeddingFromBytes(open(key, r.sealed, embeddingAad(tenantId, r.personId))) }];
      } catch (error) {
        if (!options.skipUnopenable) throw error;
        this.unopenable.add(r.id);
        return [];
      }
    });
  }
}

function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}
