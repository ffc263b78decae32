import type { TenantDbFactory } from '@trinetra/db';
import { InvalidInputError, NotFoundError } from '@trinetra/shared';
import { MAX_EMBEDDINGS_PER_PERSON, type GalleryEntry } from '../domain/open-set-matcher';
import { embeddingAad, embeddingBytes, embeddingFromBytes, open, seal } from '../infra/embedding-cipher';
import type { TenantDataKeyStore } from '../infra/tenant-data-key.store';

/** An enrolled person as the API shows it: never the vectors. */
export interface PersonView {
  id: string;
  displayName: string;
  embeddingCount: number;
  createdAt: Date;
}

/** One audit row. */
export interface IdentityAuditEntry {
  id: string;
  action: 'ENROLL' | 'ERASE';
  personId: string | null;
  actor: string;
  detail: string;
  at: Date;
}

/** Who acted, for the audit log (`user:<id>` or `apiKey:<id>`). */
export type IdentityActor = string;

/**
 * Enrolled people and their encrypted embeddings (Postgres, RLS, tenant-scoped client). Every
 * enrolment and erasure writes one append-only audit row. Embeddings are sealed with the
 * tenant's data key before they leave this class and opened only to build a gallery.
 */
export class PersonGalleryService {
  constructor(
    private readonly tenantDb: TenantDbFactory,
    private readonly keys: TenantDataKeyStore,
  ) {}

  async enroll(
    tenantId: string,
    actor: IdentityActor,
    input: { displayName: string; model: string; embeddings: readonly (readonly number[])[] },
  ): Promise<PersonView> {
    const displayName = input.displayName.trim();
    if (displayName.length === 0 || displayName.length > 200) throw new InvalidInputError('displayName must be 1-200 characters');
    const count = input.embeddings.length;
    if (count === 0 || count > MAX_EMBEDDINGS_PER_PERSON)
      throw new InvalidInputError(`enrol 1 to ${MAX_EMBEDDINGS_PER_PERSON} face embeddings per person, got ${count}`);
    const dims = input.embeddings[0]?.length ?? 0;
    if (dims === 0 || input.embeddings.some((e) => e.length !== dims || e.some((x) => !Number.isFinite(x)))) {
      throw new InvalidInputError('embeddings must be non-empty finite vectors of one length');
    }
    const key = await this.keys.dataKey(tenantId);
    const db = this.tenantDb(tenantId);
    const person = await db.person.create({ data: { tenantId, displayName } });
    await db.personEmbedding.createMany({
      data: input.embeddings.map((e) => ({
        tenantId,
        personId: person.id,
        model: input.model,
        dimensions: dims,
        sealed: seal(key, embeddingBytes(e), embeddingAad(tenantId, person.id)),
      })),
    });
    await db.identityAuditLog.create({
      data: { tenantId, action: 'ENROLL', personId: person.id, actor, detail: `${count} embedding(s), model ${input.model}` },
    });
    return { id: person.id, displayName, embeddingCount: count, createdAt: person.createdAt };
  }

  async list(tenantId: string): Promise<PersonView[]> {
    const rows = await this.tenantDb(tenantId).person.findMany({
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      include: { _count: { select: { embeddings: true } } },
    });
    return rows.map((r) => ({ id: r.id, displayName: r.displayName, embeddingCount: r._count.embeddings, createdAt: r.createdAt }));
  }

  /** The tenant's galleries for one embedder model, decrypted (in memory only). */
  async galleries(tenantId: string, model: string): Promise<GalleryEntry[]> {
    const key = await this.keys.dataKey(tenantId);
    const rows = await this.tenantDb(tenantId).personEmbedding.findMany({ where: { model }, orderBy: [{ personId: 'asc' }, { createdAt: 'asc' }] });
    const byPerson = new Map<string, number[][]>();
    for (const r of rows) {
      const list = byPerson.get(r.personId) ?? [];
      list.push(embeddingFromBytes(open(key, r.sealed, embeddingAad(tenantId, r.personId))));
      byPerson.set(r.personId, list);
    }
    return [...byPerson].map(([personId, embeddings]) => ({ personId, embeddings }));
  }

  /**
   * Erases a person: the row and, by cascade, every embedding; one audit row records who and
   * when (not the name). A foreign or missing id is NOT_FOUND.
   */
  async erase(tenantId: string, actor: IdentityActor, personId: string): Promise<{ personId: string; embeddingsErased: number }> {
    const db = this.tenantDb(tenantId);
    const person = await db.person.findFirst({ where: { id: personId }, include: { _count: { select: { embeddings: true } } } });
    if (!person) throw new NotFoundError('Person', personId);
    const { count } = await db.person.deleteMany({ where: { id: personId } });
    if (count === 0) throw new NotFoundError('Person', personId);
    const erased = person._count.embeddings;
    await db.identityAuditLog.create({ data: { tenantId, action: 'ERASE', personId, actor, detail: `${erased} embedding(s) erased` } });
    return { personId, embeddingsErased: erased };
  }

  async auditLog(tenantId: string, limit = 100): Promise<IdentityAuditEntry[]> {
    const rows = await this.tenantDb(tenantId).identityAuditLog.findMany({
      orderBy: [{ at: 'desc' }, { id: 'desc' }],
      take: Math.min(Math.max(limit, 1), 500),
    });
    return rows.map((r) => ({ id: r.id, action: r.action as IdentityAuditEntry['action'], personId: r.personId, actor: r.actor, detail: r.detail, at: r.at }));
  }
}
