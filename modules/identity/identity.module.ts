import path from 'node:path';
import type { Registry } from 'prom-client';
import type { SystemDb, TenantDbFactory } from '@trinetra/db';
import type { CameraDirectory } from '@trinetra/shared';
import { CameraGraphService } from './application/camera-graph.service';
import { CameraIdentityService } from './application/camera-identity.service';
import type { FaceEmbeddingPort } from './application/face-embedding.port';
import { GalleryMatcher } from './application/gallery-matcher';
import { IdentityAuditWriter } from './application/identity-audit';
import { IdentityMetrics } from './application/identity-metrics';
import { IdentitySettingsService } from './application/identity-settings.service';
import { IdentitySightingsService } from './application/identity-sightings.service';
import { PersonGalleryService } from './application/person-gallery.service';
import type { VectorIndex } from './application/vector-index.port';
import { IdentityResolver } from './graphql/identity.resolver';
import { HnswVectorIndex } from './infra/hnsw-vector-index';
import { MilvusVectorIndex } from './infra/milvus-vector-index';
import { TenantDataKeyStore } from './infra/tenant-data-key.store';

/** What the server gives the identity module. */
export interface IdentityDeps {
  /** Owner client: transactions (opened pinned to a tenant) and the start-up scan of tenants. */
  db: SystemDb;
  tenantDb: TenantDbFactory;
  /** The decoded IDENTITY_MASTER_KEY (32 bytes). */
  masterKey: Uint8Array;
  /** The decoded IDENTITY_MASTER_KEY_PREVIOUS while a master key rotation rolls out: unwraps only. */
  previousMasterKey?: Uint8Array;
  faces: FaceEmbeddingPort;
  /** Ingest's cameras: `identity` (the consent flag) is read from them. */
  cameras: Pick<CameraDirectory, 'find'>;
  /** The embedded index persists under `<dataDir>/identity-index`; absent: memory only (tests). */
  dataDir?: string;
  /** MILVUS_ADDRESS: use Milvus instead of the embedded index. */
  milvusAddress?: string;
  /** A ready index (tests and benches); wins over the two above. */
  index?: VectorIndex;
  metricsRegistry?: Registry;
}

export interface IdentityModule {
  gallery: PersonGalleryService;
  /** Match one face embedding against a tenant's gallery (the live path: E's live-track identifier). */
  matcher: GalleryMatcher;
  /** The rules after the vote: gate, false merges, companions, flicker, anonymous visit ids. */
  sightings: IdentitySightingsService;
  /** Reads the camera flag `identity` (ingest's, with its consent); `assertEnabled` throws FORBIDDEN with the reason; owns threshold offsets. */
  consent: CameraIdentityService;
  graphs: CameraGraphService;
  settings: IdentitySettingsService;
  metrics: IdentityMetrics;
  index: VectorIndex;
  resolvers: ReadonlyArray<readonly [new (...args: never[]) => object, object]>;
  /** Rebuilds each tenant's index where it differs from Postgres; starts the retention sweep. */
  start(): Promise<{ tenants: number; vectorsLoaded: number }>;
  stop(): Promise<void>;
}

/** How often unknown visitors' vectors past retention are dropped. */
const RETENTION_SWEEP_MS = 60_000;

export function createIdentityModule(deps: IdentityDeps): IdentityModule {
  const keys = new TenantDataKeyStore(deps.tenantDb, deps.masterKey, deps.previousMasterKey);
  const index =
    deps.index ??
    (deps.milvusAddress
      ? MilvusVectorIndex.connect(deps.milvusAddress)
      : new HnswVectorIndex(deps.dataDir ? { dir: path.join(deps.dataDir, 'identity-index'), dataKey: (tenantId) => keys.dataKey(tenantId) } : undefined));
  const metrics = new IdentityMetrics();
  if (deps.metricsRegistry) metrics.register(deps.metricsRegistry);
  const audit = new IdentityAuditWriter(deps.tenantDb);
  const gallery = new PersonGalleryService(deps.db, deps.tenantDb, keys, index);
  const consent = new CameraIdentityService(deps.tenantDb, deps.cameras, audit);
  const graphs = new CameraGraphService(deps.tenantDb, audit);
  const settings = new IdentitySettingsService(deps.tenantDb, audit);
  const matcher = new GalleryMatcher(index, consent, metrics);
  const sightings = new IdentitySightingsService(graphs, settings, metrics);
  let sweep: NodeJS.Timeout | undefined;
  return {
    gallery,
    matcher,
    sightings,
    consent,
    graphs,
    settings,
    metrics,
    index,
    resolvers: [[IdentityResolver, new IdentityResolver(gallery, deps.faces, consent, graphs, settings, matcher, sightings, index, audit)]],
    async start() {
      // Owner query across tenants (RLS does not apply to the owner): only ids, never vectors.
      const tenants = await deps.db.personEmbedding.groupBy({ by: ['tenantId'] });
      let vectorsLoaded = 0;
      for (const { tenantId } of tenants) vectorsLoaded += await gallery.rebuildIndex(tenantId);
      sweep = setInterval(() => void sightings.expire(Date.now()), RETENTION_SWEEP_MS);
      sweep.unref();
      return { tenants: tenants.length, vectorsLoaded };
    },
    async stop() {
      if (sweep) clearInterval(sweep);
      await index.close();
    },
  };
}
