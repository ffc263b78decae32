export * from './client/prisma-clients';
export * from './client/tenant-scoped-db';
export * from './migrate/migration-runner';
export * from './generated/client';
export * from './client/tenant-session-pool';
