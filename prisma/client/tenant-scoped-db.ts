import type { SystemDb } from './prisma-clients';

/**
 * Models whose rows belong to one tenant (they carry `tenantId`). A module that adds a
 * tenant-owned model adds its name here and gives its table the same RLS policy.
 */
const TENANT_OWNED = new Set(['User', 'RefreshToken', 'ApiKey', 'Camera', 'Zone', 'VideoManifest', 'VideoJob', 'TrackSummary']);
/** Models a tenant may read but never write through the scoped client. */
const READ_ONLY = new Set(['Plan', 'Tenant']);

const WHERE_OPS = new Set([
  'findUnique', 'findUniqueOrThrow', 'findFirst', 'findFirstOrThrow', 'findMany', 'count', 'aggregate', 'groupBy',
  'update', 'updateMany', 'updateManyAndReturn', 'delete', 'deleteMany', 'upsert',
]);
const READ_OPS = new Set(['findUnique', 'findUniqueOrThrow', 'findFirst', 'findFirstOrThrow', 'findMany', 'count', 'aggregate', 'groupBy']);

export class TenantScopeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TenantScopeError';
  }
}

type Args = Record<string, unknown>;

/** Adds the tenant to every `where` and every created row; refuses what cannot be scoped. */
function scopeArgs(model: string, operation: string, args: Args, tenantId: string): Args {
  if (READ_ONLY.has(model)) {
    if (!READ_OPS.has(operation)) throw new TenantScopeError(`${model}.${operation} is not allowed through a tenant-scoped client`);
    if (model === 'Tenant') return { ...args, where: { ...(args['where'] as Args | undefined), id: tenantId } };
    return args;
  }
  if (!TENANT_OWNED.has(model)) {
    throw new TenantScopeError(`${model} is not registered as tenant-owned in tenant-scoped-db.ts`);
  }
  const scoped: Args = { ...args };
  if (WHERE_OPS.has(operation)) scoped['where'] = { ...(args['where'] as Args | undefined), tenantId };
  if (operation === 'create') scoped['data'] = { ...(args['data'] as Args), tenantId };
  if (operation === 'createMany' || operation === 'createManyAndReturn') {
    const data = args['data'];
    scoped['data'] = Array.isArray(data) ? data.map((d: Args) => ({ ...d, tenantId })) : { ...(data as Args), tenantId };
  }
  if (operation === 'upsert') scoped['create'] = { ...(args['create'] as Args), tenantId };
  return scoped;
}

/**
 * A client that can only see and change one tenant's rows. Two walls:
 * 1. every operation gets `tenantId` added to its filter and to the rows it creates, so a
 *    row of another tenant is simply not found (callers answer NOT_FOUND: no existence leak);
 * 2. every operation runs in a transaction that switches to the `trinetra_app` role with
 *    `app.tenant_id` set, so Postgres row-level security refuses what layer 1 might miss
 *    (raw nested writes, a forgotten model registration).
 * The cost of wall 2 is one short batch transaction per operation (measured in bench:api).
 */
export interface TenantScopeOptions {
  /**
   * Wall 2 (RLS transaction per operation). Default true. `false` exists only so bench:api can
   * measure what wall 2 costs; production code never turns it off.
   */
  rowLevelSecurity?: boolean;
}

export function forTenant(db: SystemDb, tenantId: string, options: TenantScopeOptions = {}) {
  const rls = options.rowLevelSecurity ?? true;
  return db.$extends({
    name: 'tenant-scope',
    query: {
      $allModels: {
        async $allOperations({ model, operation, args, query }) {
          const scoped = scopeArgs(model, operation, (args ?? {}) as Args, tenantId);
          if (!rls) return query(scoped as typeof args);
          // One statement sets both, so wall 2 costs BEGIN + this + COMMIT around the query.
          const [, result] = await db.$transaction([
            db.$executeRaw`SELECT set_config('role', 'trinetra_app', true), set_config('app.tenant_id', ${tenantId}, true)`,
            query(scoped as typeof args),
          ]);
          return result;
        },
      },
    },
  });
}

export type TenantDb = ReturnType<typeof forTenant>;

/** Returns the tenant-scoped client of a tenant; clients are cached (bounded) because `$extends` is not free. */
export type TenantDbFactory = (tenantId: string) => TenantDb;

export function createTenantDbFactory(db: SystemDb, options: TenantScopeOptions = {}, maxCached = 1_000): TenantDbFactory {
  const cache = new Map<string, TenantDb>();
  return (tenantId) => {
    let scoped = cache.get(tenantId);
    if (scoped) {
      cache.delete(tenantId);
    } else {
      scoped = forTenant(db, tenantId, options);
      if (cache.size >= maxCached) cache.delete(cache.keys().next().value as string);
    }
    cache.set(tenantId, scoped);
    return scoped;
  };
}
