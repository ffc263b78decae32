import { createRequire } from 'node:module';
import type * as MilvusSdk from '@zilliz/milvus2-sdk-node';
import type { MilvusClient } from '@zilliz/milvus2-sdk-node';
import type { IndexedVector, VectorHit, VectorIndex } from '../application/vector-index.port';
import { MAX_EMBEDDINGS_PER_PERSON } from '../domain/open-set-matcher';

const PREFIX = 'trinetra_identity_';

let sdk: typeof MilvusSdk | undefined;
/**
 * The Milvus SDK, loaded on first use: a server without MILVUS_ADDRESS never loads it (gRPC,
 * protobuf, parquet: a second of start-up). Under jest, its uuid is mapped (jest.config.js).
 */
function milvusSdk(): typeof MilvusSdk {
  sdk ??= createRequire(__filename)('@zilliz/milvus2-sdk-node') as typeof MilvusSdk;
  return sdk;
}
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids go into Milvus filter expressions: only UUIDs, so nothing a caller sends can change the filter. */
function uuid(value: string, what: string): string {
  if (!UUID.test(value)) throw new RangeError(`${what} must be a UUID`);
  return value.toLowerCase();
}

/** A collection name for a model: Milvus allows letters, digits and underscores. */
export function milvusCollectionOf(model: string): string {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(model)) throw new RangeError(`model name ${JSON.stringify(model)} cannot name a Milvus collection`);
  return `${PREFIX}${model.replace(/-/g, '_')}`;
}

/**
 * The Milvus implementation of {@link VectorIndex} (used when MILVUS_ADDRESS is set): one
 * collection per embedding model (`trinetra_identity_<model>`), the tenant id as its partition
 * key, and every search and delete filtered by `tenant_id == "<tenant>"`, so one tenant's
 * query can only reach its own partition. HNSW with the COSINE metric, as the embedded index.
 * Reads use Strong consistency: an erased person must not match a moment after erasure.
 * Collections are created on first use; the vector dimension is fixed by the first upsert.
 */
export class MilvusVectorIndex implements VectorIndex {
  private readonly ready = new Map<string, Promise<void>>();

  constructor(private readonly client: MilvusClient) {}

  static connect(address: string, options: { token?: string } = {}): MilvusVectorIndex {
    return new MilvusVectorIndex(new (milvusSdk().MilvusClient)({ address, ...(options.token ? { token: options.token } : {}), timeout: 10_000 }));
  }

  /** Whether Milvus answers at the address within `timeoutMs` (the contract suite asks before registering). */
  static async answers(address: string, timeoutMs = 3_000): Promise<boolean> {
    const client = new (milvusSdk().MilvusClient)({ address, timeout: timeoutMs });
    try {
      const res = await Promise.race([client.checkHealth(), new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs))]);
      return res.isHealthy;
    } catch {
      return false;
    } finally {
      await client.closeConnection().catch(() => undefined);
    }
  }

  private ensure(model: string, dims: number): Promise<void> {
    const name = milvusCollectionOf(model);
    let ready = this.ready.get(name);
    if (!ready) {
      ready = (async () => {
        const { DataType } = milvusSdk();
        const has = await this.client.hasCollection({ collection_name: name });
        if (!has.value) {
          await this.client.createCollection({
            collection_name: name,
            fields: [
              { name: 'id', data_type: DataType.VarChar, is_primary_key: true, type_params: { max_length: 36 } },
              { name: 'tenant_id', data_type: DataType.VarChar, is_partition_key: true, type_params: { max_length: 36 } },
              { name: 'person_id', data_type: DataType.VarChar, type_params: { max_length: 36 } },
              { name: 'vector', data_type: DataType.FloatVector, type_params: { dim: dims } },
            ],
            num_partitions: 64,
          });
          await this.client.createIndex({ collection_name: name, field_name: 'vector', index_type: 'HNSW', metric_type: 'COSINE', params: { M: 16, efConstruction: 200 } });
        }
        await this.client.loadCollectionSync({ collection_name: name });
      })();
      ready.catch(() => this.ready.delete(name));
      this.ready.set(name, ready);
    }
    return ready;
  }

  private async existing(): Promise<string[]> {
    const res = await this.client.listCollections();
    return res.data.map((c) => c.name).filter((n) => n.startsWith(PREFIX));
  }

  async upsert(tenantId: string, model: string, vectors: readonly IndexedVector[]): Promise<void> {
    if (vectors.length === 0) return;
    const tenant = uuid(tenantId, 'tenantId');
    const data = vectors.map((v) => ({ id: uuid(v.id, 'vector id'), tenant_id: tenant, person_id: uuid(v.personId, 'personId'), vector: [...v.vector] }));
    await this.ensure(model, vectors[0]!.vector.length);
    const res = await this.client.upsert({ collection_name: milvusCollectionOf(model), data });
    if (res.status.error_code !== 'Success') throw new Error(`Milvus upsert failed: ${res.status.reason}`);
  }

  async remove(tenantId: string, personIds: readonly string[]): Promise<void> {
    if (personIds.length === 0) return;
    const tenant = uuid(tenantId, 'tenantId');
    const ids = personIds.map((p) => JSON.stringify(uuid(p, 'personId'))).join(', ');
    for (const name of await this.existing()) {
      const res = await this.client.delete({ collection_name: name, filter: `tenant_id == "${tenant}" and person_id in [${ids}]`, consistency_level: 'Strong' });
      if (res.status.error_code !== 'Success') throw new Error(`Milvus delete failed: ${res.status.reason}`);
    }
  }

  async search(tenantId: string, model: string, vector: readonly number[], k: number): Promise<VectorHit[]> {
    if (!Number.isInteger(k) || k < 1) throw new RangeError('k must be a positive integer');
    const tenant = uuid(tenantId, 'tenantId');
    const name = milvusCollectionOf(model);
    if (!this.ready.has(name) && !(await this.existing()).includes(name)) return [];
    await this.ensure(model, vector.length);
    const res = await this.client.search({
      collection_name: name,
      data: [...vector],
      limit: k * MAX_EMBEDDINGS_PER_PERSON,
      filter: `tenant_id == "${tenant}"`,
      output_fields: ['person_id'],
      params: { ef: Math.max(64, k * MAX_EMBEDDINGS_PER_PERSON) },
      consistency_level: milvusSdk().ConsistencyLevelEnum.Strong,
    });
    if (res.status.error_code !== 'Success') throw new Error(`Milvus search failed: ${res.status.reason}`);
    const best = new Map<string, number>();
    for (const hit of res.results as unknown as Array<{ score: number; person_id: string }>) {
      if (hit.score > (best.get(hit.person_id) ?? -Infinity)) best.set(hit.person_id, hit.score);
    }
    return [...best]
      .map(([personId, score]) => ({ personId, score }))
      .sort((a, b) => b.score - a.score)
      .slice(0, k);
  }

  async count(tenantId: string, model: string): Promise<number> {
    const tenant = uuid(tenantId, 'tenantId');
    const name = milvusCollectionOf(model);
    if (!(await this.existing()).includes(name)) return 0;
    await this.client.loadCollectionSync({ collection_name: name });
    const res = await this.client.query({ collection_name: name, filter: `tenant_id == "${tenant}"`, output_fields: ['count(*)'], consistency_level: milvusSdk().ConsistencyLevelEnum.Strong });
    return Number((res.data[0] as Record<string, unknown> | undefined)?.['count(*)'] ?? 0);
  }

  async dropTenant(tenantId: string): Promise<void> {
    const tenant = uuid(tenantId, 'tenantId');
    for (const name of await this.existing()) await this.client.delete({ collection_name: name, filter: `tenant_id == "${tenant}"`, consistency_level: 'Strong' });
  }

  async close(): Promise<void> {
    await this.client.closeConnection();
  }
}
