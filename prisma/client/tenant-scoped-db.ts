import type { SystemDb } from './prisma-clients';
import { assertTenantId, runInTenantSession } from './tenant-session-pool';

/**
 * Models whose rows belong to one tenant (they carry `tenantId`). A module that adds a
 * tenant-owned model adds its name here and gives its table the same RLS policy.
 */
const TENANT_OWNED = new Set(['User', 'Invite', 'RefreshToken', 'ApiKey', 'Camera', 'Zone', 'VideoManifest', 'VideoJob', 'TrackSummary', 'ZoneEvent', 'LineCrossing', 'ZoneTransition', 'ZoneOccupancyMinute', 'HeatmapMinute', 'AlertRule', 'Alert', 'WebhookEndpoint', 'WebhookDelivery', 'WebhookDeliveryAttempt', 'UsageRecord', 'Person', 'PersonEmbedding', 'IdentityDataKey', 'IdentityAuditLog']);
/** Models a tenant may read but never write through the scoped client. */
const READ_ONLY = new Set(['Plan', 'Tenant']);

const WHERE_OPS = new Set([
  'findUnique',
  'findUniqueOrThrow',
  'findFirst',
  'findFirstOrThrow',
  'findMany',
  'count',
  'aggregate',
  'groupBy',
  'update',
  'updateMany',
  'updateManyAndReturn',
  'delete',
  'deleteMany',
  'upsert',
]);
const READ_OPS = new Set(['findUnique', 'findUniqueOrThrow', 'findFirst', 'findFirstOrThrow', 'findMany', 'count', 'aggregate', 'groupBy']);
/** The identity module's policy tables (migration 20261129191300_identity_policy). */
for (const model of ['CameraIdentityPolicy', 'IdentityCameraLink', 'IdentitySettings']) TENANT_OWNED.add(model);

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
 * 2. every operation runs on a connection pinned to the `trinetra_app` role with
 *    `app.tenant_id` set (tenant-session-pool.ts), so Postgres row-level security refuses
 *    what layer 1 might miss (raw nested writes, a forgotten model registration).
 *
 * Wall 2 used to be a BEGIN / set_config / COMMIT batch around every query (three extra round
 * trips: 45% of API throughput in bench:api). The pool now keeps a connection pinned to its
 * last tenant and switches it, with one statement, only when a checkout wants another one.
 * We chose that over one transaction per GraphQL operation: an operation-long transaction
 * holds a connection through every resolver (pool exhaustion under slow clients and
 * subscriptions) and still pays BEGIN + set_config + COMMIT per request.
 */
export interface TenantScopeOptions {
  /**
   * Wall 2 (RLS session per operation). Default true. `false` exists only so bench:api can
   * measure what wall 2 costs; production code never turns it off.
   */
  rowLevelSecurity?: boolean;
}

/**
 * Prisma batches the `findUnique` calls of one tick into one request sent in the async
 * context of the first caller, which would run tenant B's lookup in tenant A's session (and
 * RLS would then hide B's own row). `findFirst` with the same filter returns the same row and
 * is never batched, so the tenant-scoped client sends that instead.
 */
const UNBATCHED: Partial<Record<string, 'findFirst' | 'findFirstOrThrow'>> = { findUnique: 'findFirst', findUniqueOrThrow: 'findFirstOrThrow' };

type Delegate = Record<string, (args: Args) => Promise<unknown>>;

function delegateOf(db: SystemDb, model: string): Delegate {
  return (db as unknown as Record<string, Delegate>)[model.charAt(0).toLowerCase() + model.slice(1)]!;
}

export function forTenant(db: SystemDb, tenantId: string, options: TenantScopeOptions = {}) {
  assertTenantId(tenantId);
  const rls = options.rowLevelSecurity ?? true;
  return db.$extends({
    name: 'tenant-scope',
    client: {
      /**
       * A transaction takes its connection before any operation inside it could pin the
       * tenant, and would run as the owner: refused until a caller needs one (then open it
       * inside runInTenantSession so the connection is pinned at checkout).
       */
      $transaction(..._args: unknown[]): never {
        throw new TenantScopeError('$transaction is not allowed through a tenant-scoped client');
      },
    },
    query: {
      async $allOperations({ model, operation, args, query }) {
        // Raw SQL passes wall 1 and could change the session settings wall 2 relies on.
        if (!model) throw new TenantScopeError(`${operation} is not allowed through a tenant-scoped client`);
        const scoped = scopeArgs(model, operation, (args ?? {}) as Args, tenantId);
        const unbatched = UNBATCHED[operation];
        const send = (): Promise<unknown> => (unbatched ? delegateOf(db, model)[unbatched]!(scoped) : query(scoped as typeof args));
        return rls ? runInTenantSession(tenantId, send) : send();
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
