import type { TenantDbFactory } from '@trinetra/db';
import type { FaceEmbeddingPort } from './application/face-embedding.port';
import { PersonGalleryService } from './application/person-gallery.service';
import { IdentityResolver } from './graphql/identity.resolver';
import { TenantDataKeyStore } from './infra/tenant-data-key.store';

/** What the server gives the identity module. */
export interface IdentityDeps {
  tenantDb: TenantDbFactory;
  /** The decoded IDENTITY_MASTER_KEY (32 bytes). */
  masterKey: Uint8Array;
  faces: FaceEmbeddingPort;
}

export interface IdentityModule {
  gallery: PersonGalleryService;
  resolvers: ReadonlyArray<readonly [new (...args: never[]) => object, object]>;
}

export function createIdentityModule(deps: IdentityDeps): IdentityModule {
  const gallery = new PersonGalleryService(deps.tenantDb, new TenantDataKeyStore(deps.tenantDb, deps.masterKey));
  return { gallery, resolvers: [[IdentityResolver, new IdentityResolver(gallery, deps.faces)]] };
}
