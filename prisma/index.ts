export * from './client/prisma-clients';
export * from './client/tenant-scoped-db';
export * from './migrate/migration-runner';
export * from './generated/client';
