export * from './domain/zone-geometry';
export * from './infra/zone.repository';
export * from './application/zone.service';
export * from './graphql/zone.resolver';
