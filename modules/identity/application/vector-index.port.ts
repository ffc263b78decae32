/** One stored vector: an embedding row of a person (or of an anonymous visitor). */
export interface IndexedVector {
  /** The embedding's own id (PersonEmbedding.id): the unit of upsert. */
  id: string;
  /** Whose vector it is; search answers per owner. */
  personId: string;
  /** L2-normalised embedding. */
  vector: readonly number[];
}

/** One search answer: an owner and its best cosine similarity to the query (higher is closer). */
export interface VectorHit {
  personId: string;
  score: number;
}

/**
 * Approximate nearest-neighbour search over one tenant's embeddings of one model. Every call
 * names the tenant: an implementation must never answer one tenant's search with another
 * tenant's vectors (the embedded index keeps one index per tenant, Milvus filters by partition
 * key). Scores are cosine similarities of L2-normalised vectors.
 *
 * Implementations: infra/hnsw-vector-index.ts (embedded default, persisted under DATA_DIR) and
 * infra/milvus-vector-index.ts (when MILVUS_ADDRESS is set). One contract suite tests both
 * (test/vector-index.contract.ts).
 */
export interface VectorIndex {
  /** Adds or replaces vectors by id. All vectors of one model have one dimension. */
  upsert(tenantId: string, model: string, vectors: readonly IndexedVector[]): Promise<void>;
  /** Removes every vector of these owners, in every model. Removing what is absent is not an error. */
  remove(tenantId: string, personIds: readonly string[]): Promise<void>;
  /** The `k` closest owners (best vector per owner), closest first. An empty index answers []. */
  search(tenantId: string, model: string, vector: readonly number[], k: number): Promise<VectorHit[]>;
  /** How many vectors the tenant has in a model (health and tests). */
  count(tenantId: string, model: string): Promise<number>;
  /** Drops every vector of a tenant (rebuild, tenant deletion). */
  dropTenant(tenantId: string): Promise<void>;
  close(): Promise<void>;
}
