import { Prisma, runInTenantSession, type SystemDb } from '@trinetra/db';

/**
 * Raw SQL for one tenant, for what Prisma's query API cannot say (time buckets, percentiles,
 * array sums, additive upserts). Both tenancy walls hold: each statement runs on a connection
 * pinned to the tenant (`runInTenantSession`: `trinetra_app` role, RLS), and every statement
 * written here also filters by `"tenantId"` itself. Statements are tagged templates only
 * (values are parameters), and none changes session settings.
 */
export class TenantSql {
  constructor(private readonly db: SystemDb) {}

  query<T>(tenantId: string, sql: Prisma.Sql): Promise<T[]> {
    return runInTenantSession(tenantId, () => this.db.$queryRaw<T[]>(sql));
  }

  execute(tenantId: string, sql: Prisma.Sql): Promise<number> {
    return runInTenantSession(tenantId, () => this.db.$executeRaw(sql));
  }
}
