import { type Prisma, runInTenantSession, type SystemDb } from '@trinetra/db';

/**
 * Runs `fn` in one Postgres transaction on a connection pinned to the tenant (`trinetra_app`
 * role, `app.tenant_id` set: RLS applies). The tenant-scoped client refuses `$transaction`
 * (prisma/client/tenant-scoped-db.ts) because a transaction takes its connection before any
 * operation could pin it; opening it inside runInTenantSession pins it at checkout, as that
 * file asks. Inside, every query must still name the tenant (the `tx` client adds nothing).
 */
export function tenantTransaction<T>(db: SystemDb, tenantId: string, fn: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
  return runInTenantSession(tenantId, () => db.$transaction(fn, { timeout: 15_000 }));
}
