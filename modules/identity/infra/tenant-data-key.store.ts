import { randomBytes } from 'node:crypto';
import type { TenantDbFactory } from '@trinetra/db';
import { dataKeyAad, seal } from './embedding-cipher';
import { type MasterKey, masterKey, unwrapDataKey } from './master-key';

/**
 * Per-tenant data keys: 32 random bytes per tenant, stored only wrapped by the master key
 * (IDENTITY_MASTER_KEY) in "IdentityDataKey", with the master key's fingerprint. Erasing one
 * tenant's identity data can drop its key; rotating the master key re-wraps keys without
 * touching embeddings (`identity rotate-master-key`). Unwrapped keys are cached in memory for the
 * process's life: a rotation changes the wrapping, never the data key, so a cached key stays right.
 */
export class TenantDataKeyStore {
  private readonly cache = new Map<string, Buffer>();
  /** The current key first: new data keys are wrapped by it, and it is tried first on legacy rows. */
  private readonly keys: readonly MasterKey[];

  /**
   * @param previousMasterKey IDENTITY_MASTER_KEY_PREVIOUS, while a rotation rolls out: rows not yet
   *   re-wrapped still open. It is only ever used to unwrap, never to wrap.
   */
  constructor(
    private readonly tenantDb: TenantDbFactory,
    currentMasterKey: Uint8Array,
    previousMasterKey?: Uint8Array,
  ) {
    const current = masterKey(currentMasterKey, 'IDENTITY_MASTER_KEY');
    this.keys = previousMasterKey ? [current, masterKey(previousMasterKey, 'IDENTITY_MASTER_KEY_PREVIOUS')] : [current];
  }

  async dataKey(tenantId: string): Promise<Buffer> {
    const cached = this.cache.get(tenantId);
    if (cached) return cached;
    const db = this.tenantDb(tenantId);
    let row = await db.identityDataKey.findFirst({ where: {} });
    if (!row) {
      const fresh = randomBytes(32);
      const current = this.keys[0]!;
      // Two first enrolments racing: the primary key lets one insert win; both then read it.
      await db.identityDataKey.createMany({
        data: [{ tenantId, wrappedKey: seal(current.key, fresh, dataKeyAad(tenantId)), masterKeyId: current.id }],
        skipDuplicates: true,
      });
      row = await db.identityDataKey.findFirst({ where: {} });
      if (!row) throw new Error(`identity data key of tenant ${tenantId} could not be stored`);
    }
    const { dataKey } = unwrapDataKey(tenantId, row, this.keys);
    this.cache.set(tenantId, dataKey);
    return dataKey;
  }
}
