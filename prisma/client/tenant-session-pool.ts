import { AsyncLocalStorage } from 'node:async_hooks';
import { Pool, type PoolClient } from 'pg';

/**
 * Wall 2 (Postgres row-level security) without a transaction per query.
 *
 * Every connection of the pool is in one of two session states: the owner's (no role switch,
 * no tenant: what auth, sign-up and migrations need) or one tenant's (`SET ROLE trinetra_app`
 * and `app.tenant_id` set for the session, `is_local = false`). A checkout compares the state
 * the caller needs (the tenant of the surrounding {@link runInTenantSession}, else the owner)
 * with the state the connection is known to be in and switches it first when they differ:
 * one statement, sent before the caller's first query, outside any transaction block.
 *
 * A connection that already serves the wanted tenant costs nothing more; switching costs one
 * round trip. The old design (BEGIN / set_config / COMMIT around every query) cost three.
 *
 * Why a leftover setting cannot reach the next user of a connection:
 * - every checkout goes through {@link TenantSessionPool.connect} (pg-pool's own `query`
 *   calls it too), and it switches whenever the wanted state is not the known one;
 * - the known state is written only after the switch statement succeeded; a failed switch
 *   destroys the connection;
 * - a connection handed back inside a transaction block (status not idle) is destroyed on
 *   its next checkout, so a switch can never run inside a transaction that later rolls back
 *   (which would silently undo it and leave the known state wrong);
 * - nothing else changes these settings: the tenant-scoped client refuses raw SQL and
 *   `$transaction` (tenant-scoped-db.ts), so only code holding the owner client could.
 */
const tenantSession = new AsyncLocalStorage<string>();

/** The session state of a connection that serves the owner (no role switch, no tenant). */
const OWNER = '';
const TENANT_ROLE = 'trinetra_app';
const SWITCH_SQL = "SELECT set_config('role', $1, false), set_config('app.tenant_id', $2, false)";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class TenantSessionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TenantSessionError';
  }
}

export function assertTenantId(tenantId: string): void {
  if (!UUID.test(tenantId)) throw new TenantSessionError(`tenant id must be a UUID, got ${JSON.stringify(tenantId)}`);
}

/**
 * Runs `fn` so that every connection it checks out of a {@link TenantSessionPool} runs as
 * `trinetra_app` with `app.tenant_id = tenantId`: RLS is the only wall for SQL sent from here.
 * The tenant-scoped client wraps each operation in it. Prisma batches `findUnique` calls of one
 * tick and sends them in the context of the first caller, so code in here must not use the
 * owner client's `findUnique` (the tenant-scoped client turns it into `findFirst` for that reason).
 */
export function runInTenantSession<T>(tenantId: string, fn: () => PromiseLike<T>): Promise<T> {
  if (!UUID.test(tenantId)) return Promise.reject(new TenantSessionError(`tenant id must be a UUID, got ${JSON.stringify(tenantId)}`));
  // Prisma's promises are lazy: they start on `.then`. Call it here, inside the context;
  // returning the thenable would let the engine call `.then` later, outside it.
  return tenantSession.run(tenantId, () => new Promise<T>((resolve, reject) => fn().then(resolve, reject)));
}

type ConnectCallback = (err: Error | undefined, client: PoolClient | undefined, done: (release?: unknown) => void) => void;

export class TenantSessionPool extends Pool {
  /** Session state each live connection is known to be in; absent = fresh (the owner's). */
  private readonly stateOf = new WeakMap<PoolClient, string>();

  override connect(): Promise<PoolClient>;
  override connect(callback: ConnectCallback): void;
  override connect(callback?: ConnectCallback): Promise<PoolClient> | void {
    // Read now, in the caller's context: pg-pool may hand over a connection later from the
    // context of whoever released it.
    const wanted = tenantSession.getStore() ?? OWNER;
    const checkedOut = this.checkOut(wanted);
    if (!callback) return checkedOut;
    checkedOut.then(
      (client) => callback(undefined, client, (release) => client.release(release as Error | boolean | undefined)),
      (error: Error) => callback(error, undefined, () => undefined),
    );
  }

  private async checkOut(wanted: string): Promise<PoolClient> {
    for (;;) {
      const client = await super.connect();
      if (client.getTransactionStatus() !== 'I') {
        // Returned inside a transaction block: its settings may still roll back. Destroy it.
        this.stateOf.delete(client);
        client.release(true);
        continue;
      }
      if ((this.stateOf.get(client) ?? OWNER) === wanted) return client;
      this.stateOf.delete(client);
      // A checked-out client has no pool listener: a connection dropped during the switch would
      // emit an unhandled 'error'. The switch query rejects with the same error, handled below.
      const duringSwitch = (): void => undefined;
      client.on('error', duringSwitch);
      try {
        await client.query(SWITCH_SQL, wanted === OWNER ? ['none', ''] : [TENANT_ROLE, wanted]);
      } catch (error) {
        client.release(true);
        throw error;
      } finally {
        client.removeListener('error', duringSwitch);
      }
      this.stateOf.set(client, wanted);
      return client;
    }
  }
}
