import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/client';
import { TenantSessionPool } from './tenant-session-pool';

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

/**
 * The owner client and every tenant-scoped client made from it share this pool; a
 * {@link TenantSessionPool} pins each checked-out connection to the owner or to one tenant
 * (wall 2, see tenant-session-pool.ts). `disposeExternalPool` so `$disconnect()` ends it.
 */
export function createSystemDb(options: DbOptions): SystemDb {
  const pool = new TenantSessionPool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
  return new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
}
