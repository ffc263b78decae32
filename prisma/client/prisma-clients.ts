import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/client';

export type { PrismaClient };

/**
 * The unscoped client: it connects as the database owner and bypasses row-level security.
 * Only authentication (finding a user by e-mail, a key by prefix), sign-up, seeding and
 * migrations may use it; everything tenant-owned goes through {@link TenantScopedDb}.
 */
export type SystemDb = PrismaClient;

export interface DbOptions {
  databaseUrl: string;
  /** Connections in the pool. Default 10: enough for one server process on 2 cores. */
  poolSize?: number;
}

export function createSystemDb(options: DbOptions): SystemDb {
  const adapter = new PrismaPg({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
  return new PrismaClient({ adapter });
}
