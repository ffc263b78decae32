export * from './domain/face-similarity';
export * from './domain/verification-metrics';
export * from './domain/open-set-matcher';
export * from './domain/track-identity-vote';
export * from './application/person-gallery.service';
export { TenantDataKeyStore } from './infra/tenant-data-key.store';
export * from './application/face-embedding.port';
export * from './identity.module';
